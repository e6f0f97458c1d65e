import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBackend } from '@seqzoo/backend';
import { Dense, Embedding, GRU, LSTM, Module } from '@seqzoo/layers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelFileError } from './errors';
import { exportWeights, importWeights } from './interop';
import { parseSafetensors } from './safetensors/parse';

const goldens = join(dirname(fileURLToPath(import.meta.url)), '../goldens');

interface TaggerConfig {
  kind: 'lstm' | 'gru';
  vocab: number;
  emb: number;
  hidden: number;
  layers: number;
  bidirectional: boolean;
  classes: number;
}

/** The seqzoo twin of make-pytorch-model.py's Tagger: same attribute names, same maths. */
class Tagger extends Module {
  readonly embedding: Embedding;
  readonly rnn: LSTM | GRU;
  readonly head: Dense;
  constructor(c: TaggerConfig) {
    super();
    this.embedding = this.registerModule(
      'embedding',
      new Embedding({ numEmbeddings: c.vocab, embeddingDim: c.emb, seed: 9 }),
    );
    const rnn = {
      inputSize: c.emb,
      hiddenSize: c.hidden,
      numLayers: c.layers,
      bidirectional: c.bidirectional,
      seed: 9,
    };
    this.rnn = this.registerModule('rnn', c.kind === 'lstm' ? new LSTM(rnn) : new GRU(rnn));
    this.head = this.registerModule(
      'head',
      new Dense({
        inputSize: c.hidden * (c.bidirectional ? 2 : 1),
        outputSize: c.classes,
        seed: 9,
      }),
    );
  }
  forward(ids: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const { output, state } = this.rnn.forward(this.embedding.forward(ids));
      tf.dispose(Object.values(state));
      return this.head.forward(output);
    });
  }
}

interface Golden {
  config: TaggerConfig;
  names: string[];
  ids: number[][];
  logits: number[][][];
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('PyTorch interop (goldens from make-pytorch-model.py, torch 1.13)', () => {
  let data: Record<'lstm' | 'gru', Golden>;
  beforeAll(async () => {
    await useBackend('cpu');
    data = JSON.parse(await readFile(join(goldens, 'pytorch-taggers.json'), 'utf8'));
  });

  for (const kind of ['lstm', 'gru'] as const) {
    it(`${kind}: after importWeights seqzoo gives PyTorch's outputs (1e-5), and exports the same file back`, async () => {
      const g = data[kind];
      // on wasm as well as cpu: the weights travel, the backend does not matter
      for (const backend of ['wasm', 'cpu'] as const) {
        await useBackend(backend);
        const m = new Tagger(g.config);
        await importWeights(m, join(goldens, `${kind}-tagger.safetensors`));
        const y = m.forward(tf.tensor2d(g.ids, undefined, 'int32'));
        expect(maxDiff(await y.data(), g.logits.flat(2)), backend).toBeLessThan(1e-5);
        y.dispose();
        m.dispose();
      }
      const model = new Tagger(g.config);
      const file = join(goldens, `${kind}-tagger.safetensors`);
      await importWeights(model, file, { from: 'pytorch' });
      const logits = model.forward(tf.tensor2d(g.ids, undefined, 'int32'));
      expect(logits.shape).toEqual([3, 7, 4]);
      expect(maxDiff(await logits.data(), g.logits.flat(2))).toBeLessThan(1e-5);
      logits.dispose();

      // export: the same names, shapes and values PyTorch saved
      const original = parseSafetensors(new Uint8Array(await readFile(file)));
      const exported = parseSafetensors(await exportWeights(model));
      expect([...exported.tensors.keys()].sort()).toEqual([...g.names].sort());
      for (const [name, raw] of original.tensors) {
        const mine = exported.tensors.get(name)!;
        expect(mine.shape).toEqual(raw.shape);
        expect(Buffer.from(mine.bytes).equals(Buffer.from(raw.bytes))).toBe(true);
      }
      model.dispose();
    });
  }

  it('a file for another architecture is refused, naming the weight, and the model is left as it was', async () => {
    const g = data.lstm;
    const model = new Tagger({ ...g.config, hidden: 7 });
    const before = await model.head.weight.data();
    const e = await importWeights(model, join(goldens, 'lstm-tagger.safetensors')).catch(
      (err) => err,
    );
    expect(e).toBeInstanceOf(ModelFileError);
    expect(e.code).toBe('WEIGHTS_MISMATCH');
    expect(e.message).toMatch(/rnn\.weight_ih_l0/);
    expect(maxDiff(await model.head.weight.data(), before)).toBe(0);
    const gru = new Tagger(data.gru.config);
    const extra = await importWeights(gru, join(goldens, 'lstm-tagger.safetensors')).catch(
      (err) => err,
    );
    expect(extra).toBeInstanceOf(ModelFileError);
    model.dispose();
    gru.dispose();
  });
});
