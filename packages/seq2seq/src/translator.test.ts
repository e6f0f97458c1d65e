import { useBackend } from '@seqzoo/backend';
import { pretokenized, Vocab } from '@seqzoo/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { Seq2SeqInputError } from './errors';
import { Seq2Seq } from './model';
import { Translator } from './translator';

beforeAll(async () => {
  await useBackend('cpu');
});

const source = Vocab.fromTokens('abc');
const target = Vocab.fromTokens(['X', 'Y', 'Z']);
const make = () =>
  new Seq2Seq({
    sourceVocabSize: source.size,
    targetVocabSize: target.size,
    embeddingSize: 4,
    hiddenSize: 8,
    seed: 2,
  });

describe('Translator', () => {
  it('round-trips through JSON and translates the same', async () => {
    const t = new Translator(make(), source, target, { targetTokenizer: pretokenized() });
    const before = t.translate(['abc', ['c', 'a']], { beamWidth: 2, nBest: 2 });
    const json = JSON.parse(JSON.stringify(await t.toJSON()));
    const back = Translator.fromJSON(json);
    const after = back.translate(['abc', ['c', 'a']], { beamWidth: 2, nBest: 2 });
    expect(after).toEqual(before);
    expect(before[0][0].sourceTokens).toEqual(['a', 'b', 'c']);
    expect(before[0][0].text).toBe(before[0][0].outputTokens.join(' '));
    const greedy = t.translate(['ab'], { method: 'greedy' });
    expect(greedy[0]).toHaveLength(1);
    const map = t.formatAttention(greedy[0][0]);
    expect(map.split('\n')).toHaveLength(greedy[0][0].tokens.length + 1);
    expect(map.split('\n')[0].trim()).toBe('ab');
    t.model.dispose();
    back.model.dispose();
  });

  it('rejects vocabularies that do not fit, empty inputs and foreign JSON', () => {
    const model = make();
    expect(() => new Translator(model, Vocab.fromTokens('abcd'), target)).toThrow(
      /do not fit the model/,
    );
    const t = new Translator(model, source, target);
    expect(() => t.translate([''])).toThrow(Seq2SeqInputError);
    expect(() => Translator.fromJSON({ format: 'other' } as never)).toThrow(
      /Not a saved seqzoo seq2seq model/,
    );
    model.dispose();
  });
});
