import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFileError } from './errors';
import type { ExampleMlp } from './example/mlp';
import { examplePlugin } from './example/plugin';
import { exportWeights, importWeights } from './interop';
import { sha256Hex } from './model-json';
import { createRegistry } from './registry';
import { encodeSafetensors } from './safetensors/encode';
import { parseSafetensors } from './safetensors/parse';
import { loadModel, saveModel } from './save-load';
import { checkAgainstModel } from './weights-check';

// Issue 20 item 3: the weights file's header is checked against the model built from the config
// (names, shapes, dtype kinds) before anything is decoded, and the file may be no larger than
// that model can hold.
const registry = createRegistry({ plugins: [examplePlugin] });
let root: string;
let good: string;

async function withWeights(bytes: Uint8Array, sign = true): Promise<string> {
  const dir = await mkdtemp(join(root, 'case-'));
  for (const f of await readdir(good)) await writeFile(join(dir, f), await readFile(join(good, f)));
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  await writeFile(join(dir, json.weights.file), bytes);
  if (sign) {
    json.weights.bytes = bytes.byteLength;
    json.weights.sha256 = await sha256Hex(bytes);
  }
  await writeFile(join(dir, 'model.json'), JSON.stringify(json));
  return dir;
}

/** The saved weights, decoded to plain arrays, to be edited and re-encoded. */
async function goodTensors() {
  const json = JSON.parse(await readFile(join(good, 'model.json'), 'utf8'));
  const parsed = parseSafetensors(new Uint8Array(await readFile(join(good, json.weights.file))));
  return new Map(
    [...parsed.tensors].map(([name, t]) => [
      name,
      {
        dtype: 'float32' as const,
        shape: [...t.shape],
        values: new Float32Array(t.bytes.slice().buffer),
      },
    ]),
  );
}

async function failure(dir: string): Promise<ModelFileError> {
  const before = tf.memory().numTensors;
  const e = await loadModel(registry, dir, { backend: 'cpu' }).then(
    (loaded) => {
      loaded.model.dispose();
      throw new Error('it loaded');
    },
    (error: Error) => error,
  );
  expect(tf.memory().numTensors).toBe(before);
  expect(e, e.message).toBeInstanceOf(ModelFileError);
  return e as ModelFileError;
}

describe('weights are checked against the model before they are decoded', () => {
  beforeAll(async () => {
    await useBackend('cpu');
    root = await mkdtemp(join(tmpdir(), 'seqzoo-wcheck-'));
    good = join(root, 'good');
    const model = await registry.create(
      'example:mlp',
      { inputSize: 3, hiddenSizes: [4], outputSize: 2 },
      { backend: 'cpu' },
    );
    await saveModel(registry, model, good);
    model.dispose();
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('float weights stored as I32 are refused, not cast', async () => {
    const tensors = await goodTensors();
    const w = tensors.get('fc0.weight')!;
    const asInt = new Map<
      string,
      Parameters<typeof encodeSafetensors>[0] extends ReadonlyMap<string, infer V> ? V : never
    >(tensors);
    asInt.set('fc0.weight', {
      dtype: 'int32',
      shape: w.shape,
      values: new Int32Array(w.values.length).fill(1),
    });
    const e = await failure(await withWeights(encodeSafetensors(asInt)));
    expect(e.code).toBe('WEIGHTS_MISMATCH');
    expect(e.message).toMatch(/'fc0\.weight' is stored as I32 but the model's is float32/);
  });

  it('a shape mismatch is found in the header, before NaN values are decoded', async () => {
    const tensors = await goodTensors();
    tensors.set('fc0.weight', {
      dtype: 'float32',
      shape: [2, 6],
      values: new Float32Array(12).fill(Number.NaN),
    });
    const e = await failure(await withWeights(encodeSafetensors(tensors)));
    expect(e.code).toBe('WEIGHTS_MISMATCH');
    expect(e.message).toMatch(/'fc0\.weight' has shape \[2,6\].*\[4,3\]/);
  });

  it('a weights file larger than the model can hold is refused before it is read', async () => {
    const tensors = await goodTensors();
    const dir = await withWeights(encodeSafetensors(tensors), false);
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    await truncate(join(dir, json.weights.file), 4 * 1024 ** 3); // sparse: 4 GiB on paper
    const e = await failure(dir);
    expect(e.code).toBe('TOO_LARGE');
    expect(e.message).toMatch(/model built from the config/);
  });

  it('quantized files (int8 + <name>.__scale, seqzoo.quantization metadata) pass the header check', () => {
    const expected = new Map([['w', { shape: [2, 3], dtype: 'float32' as const, size: 6 }]]);
    const tensors = new Map([
      ['w', { dtype: 'int32' as const, shape: [2, 3], values: new Int32Array(6) }],
      ['w.__scale', { dtype: 'float32' as const, shape: [2], values: new Float32Array(2) }],
    ]);
    const plain = encodeSafetensors(tensors);
    expect(() => checkAgainstModel(plain, expected, 'f', 1 << 20)).toThrow(
      /'w\.__scale'|stored as I32/,
    );
    const quantized = encodeSafetensors(tensors, { 'seqzoo.quantization': '{}' });
    expect(() => checkAgainstModel(quantized, expected, 'f', 1 << 20)).not.toThrow();
    const wrongShape = encodeSafetensors(
      new Map([['w', { dtype: 'int32' as const, shape: [3, 2], values: new Int32Array(6) }]]),
      { 'seqzoo.quantization': '{}' },
    );
    expect(() => checkAgainstModel(wrongShape, expected, 'f', 1 << 20)).toThrow(/shape \[3,2\]/);
  });

  it('importWeights checks the header too: float weights stored as I32 are refused', async () => {
    const model = await registry.create<ExampleMlp>(
      'example:mlp',
      { inputSize: 3, hiddenSizes: [4], outputSize: 2 },
      { backend: 'cpu' },
    );
    const parsed = parseSafetensors(await exportWeights(model));
    const asInt = new Map(
      [...parsed.tensors].map(([name, t]) => [
        name,
        name === 'fc0.weight'
          ? {
              dtype: 'int32' as const,
              shape: [...t.shape],
              values: new Int32Array(t.shape[0] * t.shape[1]),
            }
          : {
              dtype: 'float32' as const,
              shape: [...t.shape],
              values: new Float32Array(t.bytes.slice().buffer),
            },
      ]),
    );
    const before = Array.from(await model.stateDict().get('fc0.weight')!.data());
    const e = await importWeights(model, encodeSafetensors(asInt)).catch((error: Error) => error);
    expect(e).toBeInstanceOf(ModelFileError);
    expect((e as Error).message).toMatch(/'fc0\.weight' is stored as I32/);
    expect(Array.from(await model.stateDict().get('fc0.weight')!.data())).toEqual(before);
    model.dispose();
  });
});
