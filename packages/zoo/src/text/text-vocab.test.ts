import { useBackend } from '@seqzoo/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { ZooFormatError } from '../errors';
import type { RecurrentLM } from '../lm/recurrent-lm';
import { RnnClassifier } from '../rnn/rnn-classifier';
import { registry, saveAndLoad } from '../testing/round-trip';
import { textInputSchema, textVocabFromJSON } from './text-vocab';

beforeAll(async () => {
  await useBackend('cpu');
});

const words = textInputSchema.parse({});
const torchVocab = {
  tokens: ['<pad>', '\n', 'a', 'b'],
  specials: { pad: 0, unk: null, bos: null, eos: 1 },
};

describe('text vocabularies made elsewhere', () => {
  it('reads { tokens, specials } alone or as vocab beside a tokenizer; the tokenizer defaults to the config', () => {
    const alone = textVocabFromJSON(torchVocab, textInputSchema.parse({ unit: 'char' }));
    expect(alone.tokenizer.tokenize('ab')).toEqual(['a', 'b']);
    expect(alone.vocab.specials).toEqual(torchVocab.specials);
    const wrapped = textVocabFromJSON({
      tokenizer: { kind: 'char', lowercase: true },
      vocab: torchVocab,
    } as never);
    expect(wrapped.tokenizer.tokenize('AB')).toEqual(['a', 'b']);
    expect(wrapped.vocab.encode(['b', 'a'])).toEqual([3, 2]);
  });

  it('rejects a malformed one with a ZooFormatError naming vocabularies.text', () => {
    expect(() => textVocabFromJSON({ words: [] } as never, words)).toThrow(ZooFormatError);
    expect(() => textVocabFromJSON({ words: [] } as never, words)).toThrow(
      /vocabularies.text: expected \{ tokenizer\?, vocab \}/,
    );
    expect(() =>
      textVocabFromJSON({ tokens: ['a'], specials: { pad: 0 } } as never, words),
    ).toThrow(/vocabularies.text: The vocabulary's specials has no 'unk'/);
    expect(() => textVocabFromJSON(torchVocab)).toThrow(/no tokenizer/);
  });

  it('a language model needs an eos id', async () => {
    const noEos = { ...torchVocab, specials: { ...torchVocab.specials, eos: null } };
    await expect(
      registry.create('zoo:char-lm', {}, { vocabularies: { text: noEos } }),
    ).rejects.toThrow(/a language model needs an eos id/);
  });

  it('a language model keeps the ids: reads eos first, never generates pad, refuses unknown characters', async () => {
    const lm = (await registry.create(
      'zoo:char-lm',
      { hiddenSize: 4, embeddingSize: 3 },
      { vocabularies: { text: torchVocab } },
    )) as RecurrentLM;
    expect(lm.encode('ba')).toEqual([3, 2]);
    expect(() => lm.encode('z')).toThrow(/"z" is not in the vocabulary, which has no unk id/);
    const text = lm.generate({ seed: 1, maxLength: 20 });
    expect(text).toMatch(/^[ab]*$/);
    const loaded = await saveAndLoad<RecurrentLM>(lm, 'cpu');
    expect(loaded.vocab.specials).toEqual(torchVocab.specials);
    expect(loaded.generate({ seed: 1, maxLength: 20 })).toBe(text);
    lm.dispose();
    loaded.dispose();
  });

  it('a classifier pads with the pad id, stands pad for an empty text when there is no unk', () => {
    const vocab = {
      tokens: ['x', '<pad>', 'good', 'bad'],
      specials: { pad: 1, unk: null, bos: null, eos: null },
    };
    const rc = new RnnClassifier(
      { hiddenSize: 3, embeddingSize: 2 },
      { text: vocab, labels: ['n', 'p'] },
    );
    expect(rc.encode('')).toEqual([1]);
    expect(rc.encode('bad good')).toEqual([3, 2]);
    const weight = rc.stateDict().get('embedding.weight');
    expect(Array.from(weight?.dataSync().slice(2, 4) ?? [])).toEqual([0, 0]); // paddingIdx row
    expect(rc.predict(['good', 'bad good', ''])).toHaveLength(3);
    const none = { ...vocab, specials: { ...vocab.specials, pad: null } };
    const bare = new RnnClassifier(
      { hiddenSize: 3, embeddingSize: 2 },
      { text: none, labels: ['n', 'p'] },
    );
    expect(() => bare.encode('')).toThrow(/neither an unk nor a pad id/);
    rc.dispose();
    bare.dispose();
  });
});
