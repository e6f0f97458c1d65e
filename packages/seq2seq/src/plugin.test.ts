import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectNoLeaks } from '@seqzoo/backend/testing';
import { charTokenizer, pretokenized, Vocab } from '@seqzoo/data';
import { ConfigError, createRegistry, loadModel, saveModel } from '@seqzoo/registry';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { disposeTensors } from './model';
import { type Seq2SeqModel, seq2seqPlugin } from './plugin';

const registry = createRegistry({ plugins: [seq2seqPlugin] });
const dir = mkdtempSync(join(tmpdir(), 'seq2seq-plugin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Letters → phonemes, the G2P shape: characters in, space-separated tokens out.
const vocabularies = {
  source: Vocab.fromTokens('abcdefgh').toJSON(),
  target: Vocab.fromTokens(['AA', 'B', 'K', 'D', 'EH']).toJSON(),
  sourceTokenizer: charTokenizer().toJSON(),
  targetTokenizer: pretokenized().toJSON(),
};

describe('seq2seq:attention in the registry', () => {
  it('is listed, with defaults, and rejects a bad config naming the field', () => {
    expect(registry.list().map((m) => m.id)).toContain('seq2seq:attention');
    expect(registry.describe('seq2seq:attention').defaults).toMatchObject({
      cell: 'lstm',
      attention: 'general',
      bidirectional: true,
    });
    return expect(
      // @ts-expect-error: 'luong' is not an attention the schema knows, at compile time too
      registry.create(
        'seq2seq:attention',
        { attention: 'luong' },
        { backend: 'cpu', vocabularies },
      ),
    ).rejects.toThrow(ConfigError);
  });

  it('needs its vocabularies', async () => {
    await expect(registry.create('seq2seq:attention', {}, { backend: 'cpu' })).rejects.toThrow(
      /needs vocabularies \{ source, target \}/,
    );
  });

  it('saves on wasm with its vocabularies and loads on cpu, translating identically', async () => {
    const model = await registry.create<Seq2SeqModel>(
      'seq2seq:attention',
      { cell: 'gru', hiddenSize: 16, embeddingSize: 8, attention: 'bahdanau', seed: 3 },
      { backend: 'wasm', vocabularies },
    );
    // A few steps so that the weights are not the initial ones.
    const t = model.translator;
    const optimizer = tf.train.adam(0.05);
    const batch = model.tensors(
      ['bad', 'cab', 'head'].map((w) => t.encodeSource(w)),
      ['B AA D', 'K AA B', 'H EH D'].map((p) => t.encodeTarget(p)),
    );
    for (let i = 0; i < 5; i++)
      optimizer.minimize(() => model.loss(batch), false, model.parameters());
    disposeTensors(batch);
    optimizer.dispose();
    const before = t.translate(['bad', 'fig'], { beamWidth: 3, nBest: 2 });
    await saveModel(registry, model, join(dir, 'g2p'));
    model.dispose();

    const loaded = await loadModel<Seq2SeqModel>(registry, join(dir, 'g2p'), { backend: 'cpu' });
    expect(tf.getBackend()).toBe('cpu');
    expect(loaded.model.modelConfig).toMatchObject({ cell: 'gru', attention: 'bahdanau' });
    const after = loaded.model.translator.translate(['bad', 'fig'], { beamWidth: 3, nBest: 2 });
    expect(after.map((l) => l.map((h) => h.text))).toEqual(before.map((l) => l.map((h) => h.text)));
    after.forEach((list, i) => {
      list.forEach((h, j) => {
        expect(Math.abs(h.score - before[i][j].score)).toBeLessThan(1e-4);
      });
    });
    // Output tokens are phonemes joined by spaces; unknown letters map to <unk>.
    expect(
      after[0][0].text.split(' ').every((p) => p === '' || vocabularies.target.tokens.includes(p)),
    ).toBe(true);
    await expectNoLeaks(() => loaded.model.translator.translate(['hello'], { beamWidth: 2 }));
    loaded.model.dispose();
  });
});
