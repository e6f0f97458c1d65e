import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBackend } from '@seqzoo/backend';
import { Dense, Embedding, LSTM, Module } from '@seqzoo/layers';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFileError } from './errors';
import { importWeights } from './interop';
import { importPytorchState } from './pytorch';
import { safetensorsToTensors, tensorsToSafetensors } from './safetensors/tensors';

// The PyTorch tagger of goldens/make-pytorch-model.py (torch 1.13): embedding → 2-layer BiLSTM →
// `head`, the names a PyTorch user picks. The seqzoo model below names its output layer
// `decoder`, as zoo's LMs do: the file loads only with a rename.
const goldens = join(dirname(fileURLToPath(import.meta.url)), '../goldens');
const GOLDEN = join(goldens, 'lstm-tagger.safetensors');

class Renamed extends Module {
  readonly embedding: Embedding;
  readonly rnn: LSTM;
  readonly decoder: Dense;
  constructor() {
    super();
    this.embedding = this.registerModule(
      'embedding',
      new Embedding({ numEmbeddings: 11, embeddingDim: 5, seed: 1 }),
    );
    this.rnn = this.registerModule(
      'rnn',
      new LSTM({ inputSize: 5, hiddenSize: 6, numLayers: 2, bidirectional: true, seed: 1 }),
    );
    this.decoder = this.registerModule(
      'decoder',
      new Dense({ inputSize: 12, outputSize: 4, seed: 1 }),
    );
  }
  forward(ids: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const { output, state } = this.rnn.forward(this.embedding.forward(ids));
      tf.dispose(Object.values(state));
      return this.decoder.forward(output);
    });
  }
}

interface Golden {
  ids: number[][];
  logits: number[][][];
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

let dir: string;
let golden: Golden;
beforeAll(async () => {
  await useBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'seqzoo-rename-'));
  golden = JSON.parse(await readFile(join(goldens, 'pytorch-taggers.json'), 'utf8')).lstm;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function logitsOf(model: Renamed): Promise<Float32Array> {
  const y = model.forward(tf.tensor2d(golden.ids, undefined, 'int32'));
  const data = (await y.data()) as Float32Array;
  y.dispose();
  return data;
}

describe('importWeights: names that can be mapped (rename)', () => {
  it("a PyTorch file with 'head.*' is refused for a model with 'decoder', listing every missing name once and the file's unused tensors, with the rename to use", async () => {
    const file = join(dir, 'tagger.safetensors');
    await copyFile(GOLDEN, file);
    const model = new Renamed();
    const before = await logitsOf(model);
    const e = await importWeights(model, file).catch((err) => err);
    expect(e).toBeInstanceOf(ModelFileError);
    expect(e.code).toBe('WEIGHTS_MISMATCH');
    const message: string = e.message;
    for (const name of ['decoder.weight', 'decoder.bias', 'head.weight', 'head.bias'])
      expect(message.split(`'${name}'`).length - 1, name).toBe(1);
    expect(message).toMatch(
      /missing from the file: 'decoder\.weight' \[4,12\], 'decoder\.bias' \[4\]/,
    );
    expect(message).toMatch(
      /not taken by the model: 'head\.bias' \[4\], 'head\.weight' \[4,12\]\./,
    );
    expect(message).toContain("--rename 'head.=decoder.'");
    // names that match are not listed
    expect(message).not.toContain('rnn.weight_ih_l0');
    // the model keeps its weights
    expect(maxDiff(await logitsOf(model), before)).toBe(0);
    model.dispose();
  });

  it("with rename [['head.', 'decoder.']] the same file loads and gives PyTorch's logits (1e-5)", async () => {
    const model = new Renamed();
    const tensors = tf.memory().numTensors;
    await importWeights(model, join(dir, 'tagger.safetensors'), {
      rename: [['head.', 'decoder.']],
    });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(maxDiff(await logitsOf(model), golden.logits.flat(2))).toBeLessThan(1e-5);
    model.dispose();
  });

  it("a DistributedDataParallel state_dict ('module.' before every name) loads with rename [['module.', '']]; the first matching rule applies", async () => {
    const raw = safetensorsToTensors(new Uint8Array(await readFile(GOLDEN))).tensors;
    const prefixed = new Map([...raw].map(([k, t]) => [`module.${k}`, t] as const));
    const file = join(dir, 'ddp.safetensors');
    await writeFile(file, await tensorsToSafetensors(prefixed));
    tf.dispose([...raw.values()]);

    const model = new Renamed();
    const e = await importWeights(model, file).catch((err) => err);
    expect(e).toBeInstanceOf(ModelFileError);
    // every one of the 19 names is listed on both sides, once
    expect(e.message.match(/'module\.[a-z_0-9.]+'/g)).toHaveLength(19);
    expect(e.message).toContain("--rename 'module.='");

    // only 'module.head.' goes to 'decoder.' (first rule), the rest lose 'module.'
    await importWeights(model, file, {
      rename: [
        ['module.head.', 'decoder.'],
        ['module.', ''],
      ],
    });
    expect(maxDiff(await logitsOf(model), golden.logits.flat(2))).toBeLessThan(1e-5);

    // two names renamed onto one are refused by name
    const twice = await importWeights(model, file, {
      rename: [
        ['module.head.weight', 'decoder.weight'],
        ['module.head.bias', 'decoder.weight'],
        ['module.', ''],
      ],
    }).catch((err) => err);
    expect(twice).toBeInstanceOf(ModelFileError);
    expect(twice.message).toContain(
      "'module.head.bias' and 'module.head.weight' both become 'decoder.weight'",
    );
    model.dispose();
  });

  it('importPytorchState lists every missing and unexpected name at once, before loading anything', async () => {
    const raw = safetensorsToTensors(new Uint8Array(await readFile(GOLDEN))).tensors;
    raw.get('rnn.bias_hh_l1')?.dispose();
    raw.delete('rnn.bias_hh_l1');
    const model = new Renamed();
    const before = await logitsOf(model);
    const tensors = tf.memory().numTensors;
    let error: unknown;
    try {
      importPytorchState(model, raw, 'state');
    } catch (err) {
      error = err;
    }
    expect(tf.memory().numTensors).toBe(tensors);
    expect(error).toBeInstanceOf(ModelFileError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /missing from the file: 'rnn\.bias_hh_l1' \[24\], 'decoder\.weight' \[4,12\], 'decoder\.bias' \[4\];/,
    );
    expect(message).toMatch(
      /not taken by the model: 'head\.bias' \[4\], 'head\.weight' \[4,12\]\./,
    );
    expect(maxDiff(await logitsOf(model), before)).toBe(0);
    tf.dispose([...raw.values()]);
    model.dispose();
  });
});
