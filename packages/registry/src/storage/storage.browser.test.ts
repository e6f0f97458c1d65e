import { useBackend } from '@seqzoo/backend';
import { Dense, Embedding, LSTM, Module } from '@seqzoo/layers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExampleMlp } from '../example/mlp';
import { examplePlugin } from '../example/plugin';
import { importWeights } from '../interop';
import { createRegistry } from '../registry';
import { loadModel, saveModel } from '../save-load';

const registry = createRegistry({ plugins: [examplePlugin] });

async function outputs(model: ExampleMlp): Promise<number[]> {
  const y = tf.tidy(() => model.forward(tf.tensor2d([[0.5, -1, 2, 0.25]])));
  const out = Array.from(await y.data());
  y.dispose();
  return out;
}

describe('browser storages', () => {
  beforeAll(() => useBackend('cpu'));

  for (const url of ['localstorage://seqzoo-test-mlp', 'indexeddb://seqzoo-test-mlp']) {
    it(`saves to and loads from ${url}`, async () => {
      const model = await registry.create<ExampleMlp>(
        'example:mlp',
        { seed: 4 },
        { backend: 'cpu', vocabularies: { labels: ['a', 'b', 'c'] } },
      );
      await saveModel(registry, model, url, { training: { note: 'browser' } });
      const loaded = await loadModel<ExampleMlp>(registry, url, { backend: 'cpu' });
      expect(await outputs(loaded.model)).toEqual(await outputs(model));
      expect(loaded.model.labels).toEqual(['a', 'b', 'c']);
      expect(loaded.training).toEqual({ note: 'browser' });
      model.dispose();
      loaded.model.dispose();
    });
  }

  for (const url of ['localstorage://seqzoo-test-overwrite', 'indexeddb://seqzoo-test-overwrite']) {
    it(`overwrites a model in ${url}: the second one loads`, async () => {
      const a = await registry.create<ExampleMlp>('example:mlp', { seed: 1 }, { backend: 'cpu' });
      const b = await registry.create<ExampleMlp>('example:mlp', { seed: 2 }, { backend: 'cpu' });
      await saveModel(registry, a, url);
      await saveModel(registry, b, url);
      const loaded = await loadModel<ExampleMlp>(registry, url, { backend: 'cpu' });
      expect(await outputs(loaded.model)).toEqual(await outputs(b));
      expect(await outputs(loaded.model)).not.toEqual(await outputs(a));
      expect(loaded.modelJson.weights.file).toBe('weights.safetensors');
      for (const m of [a, b, loaded.model]) m.dispose();
    });
  }

  it('refuses to read downloads:// and to write http(s)://', async () => {
    await expect(loadModel(registry, 'downloads://x')).rejects.toThrow(/write only/);
    const model = await registry.create('example:mlp', {}, { backend: 'cpu' });
    await expect(saveModel(registry, model, `${location.origin}/nowhere`)).rejects.toThrow(
      /read only/,
    );
    model.dispose();
  });

  it('loads a saved model over http(s)', async () => {
    const expected = await (await fetch('/goldens/saved-mlp-v1/expected.json')).json();
    const loaded = await loadModel<ExampleMlp>(
      registry,
      `${location.origin}/goldens/saved-mlp-v1`,
      { backend: 'cpu' },
    );
    const y = tf.tidy(() => loaded.model.forward(tf.tensor2d(expected.x)));
    const got = await y.data();
    const want = expected.y.flat() as number[];
    expect(Math.max(...want.map((v, i) => Math.abs(v - got[i])))).toBeLessThan(1e-6);
    expect(loaded.model.labels).toEqual(['ham', 'spam']);
    y.dispose();
    for (const t of loaded.optimizer?.tensors.values() ?? []) t.dispose();
    loaded.model.dispose();
  });

  it('imports PyTorch weights over http(s) and gives PyTorch’s outputs (1e-5)', async () => {
    const golden = await (await fetch('/goldens/pytorch-taggers.json')).json();
    const c = golden.lstm.config;
    class Tagger extends Module {
      embedding = this.registerModule(
        'embedding',
        new Embedding({ numEmbeddings: c.vocab, embeddingDim: c.emb }),
      );
      rnn = this.registerModule(
        'rnn',
        new LSTM({
          inputSize: c.emb,
          hiddenSize: c.hidden,
          numLayers: c.layers,
          bidirectional: c.bidirectional,
        }),
      );
      head = this.registerModule(
        'head',
        new Dense({ inputSize: 2 * c.hidden, outputSize: c.classes }),
      );
    }
    const model = new Tagger();
    await importWeights(model, `${location.origin}/goldens/lstm-tagger.safetensors`);
    const logits = tf.tidy(() => {
      const { output, state } = model.rnn.forward(
        model.embedding.forward(tf.tensor2d(golden.lstm.ids, undefined, 'int32')),
      );
      tf.dispose(Object.values(state));
      return model.head.forward(output);
    });
    const got = await logits.data();
    const want = golden.lstm.logits.flat(2) as number[];
    expect(Math.max(...want.map((w, i) => Math.abs(w - got[i])))).toBeLessThan(1e-5);
    logits.dispose();
    model.dispose();
  });
});
