import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ModelFileError, UnknownModelError } from './errors';
import type { ExampleMlp } from './example/mlp';
import { examplePlugin } from './example/plugin';
import { createRegistry } from './registry';
import { craft, setHeaderLength } from './safetensors/craft.test-util';
import { SafetensorsError } from './safetensors/errors';
import { parseSafetensors } from './safetensors/parse';
import { loadModel, saveModel } from './save-load';

const registry = createRegistry({ plugins: [examplePlugin] });
let root: string;
let saved: string;
const config = { inputSize: 3, hiddenSizes: [4], outputSize: 2, seed: 3 };

async function rejected(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('the promise resolved');
}

/** A copy of the saved folder with one file replaced (and model.json checksums left as they are). */
async function tampered(
  file: string,
  bytes: Uint8Array | string,
  fixChecksum = true,
): Promise<string> {
  const dir = await mkdtemp(join(root, 'bad-'));
  for (const f of await readdir(saved))
    await writeFile(join(dir, f), await readFile(join(saved, f)));
  await writeFile(join(dir, file), bytes);
  if (fixChecksum && file.endsWith('.safetensors')) {
    // Re-sign so that the test reaches the safetensors checks, not the checksum check.
    const { sha256Hex } = await import('./model-json');
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    const b = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
    const key = file === 'weights.safetensors' ? 'weights' : 'optimizer';
    json[key].bytes = b.byteLength;
    json[key].sha256 = await sha256Hex(b);
    await writeFile(join(dir, 'model.json'), JSON.stringify(json));
  }
  return dir;
}

describe('saveModel / loadModel', () => {
  beforeAll(async () => {
    await useBackend('cpu');
    root = await mkdtemp(join(tmpdir(), 'seqzoo-registry-'));
    saved = join(root, 'mlp');
    const model = await registry.create<ExampleMlp>('example:mlp', config, {
      backend: 'cpu',
      vocabularies: { labels: ['no', 'yes'] },
    });
    const m = tf.variable(tf.fill([3], 0.5));
    await saveModel(registry, model, saved, {
      optimizer: { tensors: new Map([['fc0.weight.exp_avg', m]]), meta: { kind: 'adam', step: 7 } },
      training: { steps: 7 },
    });
    m.dispose();
    model.dispose();
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('writes model.json, PyTorch-named weights and optimizer state, and nothing else', async () => {
    expect((await readdir(saved)).sort()).toEqual([
      'model.json',
      'optimizer.safetensors',
      'weights.safetensors',
    ]);
    const json = JSON.parse(await readFile(join(saved, 'model.json'), 'utf8'));
    expect(json).toMatchObject({
      format: 'seqzoo-model',
      formatVersion: 1,
      modelId: 'example:mlp',
      vocabularies: { labels: ['no', 'yes'] },
      training: { steps: 7 },
    });
    expect(json.weights.naming).toBe('pytorch');
    const w = parseSafetensors(new Uint8Array(await readFile(join(saved, 'weights.safetensors'))));
    expect(w.tensors.get('fc0.weight')?.shape).toEqual([4, 3]); // PyTorch's [out, in]
  });

  it('round-trips weights, config, vocabularies and optimizer state without leaks', async () => {
    const original = await registry.create<ExampleMlp>('example:mlp', config, { backend: 'cpu' });
    const before = tf.memory().numTensors;
    const loaded = await loadModel<ExampleMlp>(registry, saved, { backend: 'cpu' });
    const x = tf.tensor2d([[0.1, -0.2, 0.3]]);
    const a = original.forward(x);
    const b = loaded.model.forward(x);
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    expect(loaded.model.labels).toEqual(['no', 'yes']);
    expect(loaded.optimizer?.meta).toEqual({ kind: 'adam', step: 7 });
    expect(Array.from(await loaded.optimizer!.tensors.get('fc0.weight.exp_avg')!.data())).toEqual([
      0.5, 0.5, 0.5,
    ]);
    for (const t of [x, a, b, ...loaded.optimizer!.tensors.values()]) t.dispose();
    loaded.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    original.dispose();
  });

  it('loads on wasm what was saved on cpu, outputs within 1e-5', async () => {
    const x = [
      [0.3, -1.2, 2],
      [-0.7, 0.1, 0.05],
    ];
    const outputs: number[][] = [];
    for (const backend of ['cpu', 'wasm'] as const) {
      const { model } = await loadModel<ExampleMlp>(registry, saved, { backend });
      expect(tf.getBackend()).toBe(backend);
      const y = tf.tidy(() => model.forward(tf.tensor2d(x)));
      outputs.push(Array.from(await y.data()));
      y.dispose();
      model.dispose();
    }
    await useBackend('cpu');
    for (let i = 0; i < outputs[0].length; i++)
      expect(Math.abs(outputs[0][i] - outputs[1][i])).toBeLessThan(1e-5);
  });

  it('reads the committed format-1 folder (goldens/saved-mlp-v1) and gives its outputs', async () => {
    const dir = join(dirname(fileURLToPath(import.meta.url)), '../goldens/saved-mlp-v1');
    const expected = JSON.parse(await readFile(join(dir, 'expected.json'), 'utf8'));
    const loaded = await loadModel<ExampleMlp>(registry, dir, { backend: 'cpu' });
    const y = tf.tidy(() => loaded.model.forward(tf.tensor2d(expected.x)));
    const got = await y.data();
    expect(
      Math.max(...expected.y.flat().map((v: number, i: number) => Math.abs(v - got[i]))),
    ).toBeLessThan(1e-6);
    const fresh = await registry.create<ExampleMlp>('example:mlp', loaded.config, {
      backend: 'cpu',
    });
    const z = tf.tidy(() => fresh.forward(tf.tensor2d(expected.x)));
    expect(
      Math.max(...expected.y.flat().map((v: number, i: number) => Math.abs(v - z.dataSync()[i]))),
    ).toBeGreaterThan(1e-3);
    expect(loaded.model.labels).toEqual(['ham', 'spam']);
    expect(loaded.optimizer?.meta).toEqual({ type: 'adam', step: 1 });
    for (const t of [y, z, ...loaded.optimizer!.tensors.values()]) t.dispose();
    loaded.model.dispose();
    fresh.dispose();
  });

  describe('hostile folders → typed errors, no model left behind', () => {
    const code = async (dir: string) => {
      const before = tf.memory().numTensors;
      const e = await rejected(loadModel(registry, dir, { backend: 'cpu' }));
      expect(tf.memory().numTensors).toBe(before);
      return e;
    };
    it('truncated weights file', async () => {
      const w = await readFile(join(saved, 'weights.safetensors'));
      const e = await code(await tampered('weights.safetensors', w.subarray(0, w.length - 10)));
      expect(e).toBeInstanceOf(SafetensorsError);
      expect((e as SafetensorsError).code).toBe('OFFSETS_OUT_OF_RANGE');
    });
    it('truncated without re-signing: caught by the checksum in model.json', async () => {
      const w = await readFile(join(saved, 'weights.safetensors'));
      const e = await code(
        await tampered('weights.safetensors', w.subarray(0, w.length - 10), false),
      );
      expect(e).toBeInstanceOf(ModelFileError);
      expect((e as ModelFileError).code).toBe('WEIGHTS_MISMATCH');
    });
    it('header length larger than the file', async () => {
      const w = new Uint8Array(await readFile(join(saved, 'weights.safetensors')));
      const e = await code(await tampered('weights.safetensors', setHeaderLength(w, 1_000_000n)));
      expect((e as SafetensorsError).code).toBe('HEADER_LENGTH_EXCEEDS_FILE');
    });
    it('a real 100 MB header is refused after reading 8 bytes of it', async () => {
      const prefix = new Uint8Array(9);
      new DataView(prefix.buffer).setBigUint64(0, 100_000_000n, true);
      prefix[8] = 0x7b;
      const dir = await tampered('weights.safetensors', prefix, false);
      await truncate(join(dir, 'weights.safetensors'), 8 + 100_000_000); // sparse: 100 MB on paper
      const e = await code(dir);
      expect((e as SafetensorsError).code).toBe('HEADER_TOO_LARGE');
    });
    it('overlapping offsets and offsets past the end', async () => {
      const overlap = craft(
        {
          'fc0.weight': { dtype: 'F32', shape: [4, 3], data_offsets: [0, 48] },
          'fc0.bias': { dtype: 'F32', shape: [4], data_offsets: [32, 48] },
        },
        48,
      );
      expect(
        ((await code(await tampered('weights.safetensors', overlap))) as SafetensorsError).code,
      ).toBe('OVERLAP');
      const past = craft(
        { 'fc0.weight': { dtype: 'F32', shape: [4, 3], data_offsets: [0, 48] } },
        40,
      );
      expect(
        ((await code(await tampered('weights.safetensors', past))) as SafetensorsError).code,
      ).toBe('OFFSETS_OUT_OF_RANGE');
    });
    it('wrong dtype', async () => {
      const bad = craft(
        { 'fc0.weight': { dtype: 'F8_E5M2', shape: [12], data_offsets: [0, 12] } },
        12,
      );
      expect(
        ((await code(await tampered('weights.safetensors', bad))) as SafetensorsError).code,
      ).toBe('UNSUPPORTED_DTYPE');
    });
    it('weights whose shapes do not match the config', async () => {
      const json = JSON.parse(await readFile(join(saved, 'model.json'), 'utf8'));
      json.config.hiddenSizes = [5];
      const e = await code(await tampered('model.json', JSON.stringify(json)));
      expect(e).toBeInstanceOf(ModelFileError);
      expect((e as ModelFileError).code).toBe('WEIGHTS_MISMATCH');
      expect(e.message).toMatch(/fc0\.weight.*\[4,3\].*\[5,3\]|fc0\.weight.*shape/);
    });
    it('NaN weights are rejected by default, loaded with a warning on request', async () => {
      const state = new Map([
        ...(await loadModel<ExampleMlp>(registry, saved, { backend: 'cpu' })).model.stateDict(),
      ]);
      const { tensorsToSafetensors } = await import('./safetensors/tensors');
      const poisoned = new Map<string, tf.Tensor>();
      for (const [name, t] of state)
        poisoned.set(
          name,
          name === 'fc1.bias'
            ? tf.tensor1d([Number.NaN, 1])
            : name.endsWith('weight')
              ? tf.transpose(t)
              : t,
        );
      const dir = await tampered('weights.safetensors', await tensorsToSafetensors(poisoned));
      const e = await code(dir);
      expect((e as ModelFileError).code).toBe('NON_FINITE_WEIGHTS');
      expect(e.message).toMatch(/'fc1\.bias'/);
      const warnings: string[] = [];
      const loaded = await loadModel(registry, dir, {
        backend: 'cpu',
        nonFinite: 'warn',
        onWarning: (w) => warnings.push(w),
      });
      expect(warnings[0]).toMatch(/fc1\.bias/);
      loaded.model.dispose();
      for (const t of loaded.optimizer?.tensors.values() ?? []) t.dispose();
      for (const t of state.values()) t.dispose();
      for (const [name, t] of poisoned)
        if (!state.has(name) || poisoned.get(name) !== state.get(name)) t.dispose();
    });
    it('unknown format version', async () => {
      const json = JSON.parse(await readFile(join(saved, 'model.json'), 'utf8'));
      json.formatVersion = 2;
      const e = await code(await tampered('model.json', JSON.stringify(json)));
      expect((e as ModelFileError).code).toBe('UNKNOWN_FORMAT_VERSION');
    });
    it('model id not in the registry', async () => {
      const json = JSON.parse(await readFile(join(saved, 'model.json'), 'utf8'));
      json.modelId = 'zoo:char-lm';
      const e = await code(await tampered('model.json', JSON.stringify(json)));
      expect(e).toBeInstanceOf(UnknownModelError);
    });
    it('config the schema rejects', async () => {
      const json = JSON.parse(await readFile(join(saved, 'model.json'), 'utf8'));
      json.config.activation = 'swish';
      expect(await code(await tampered('model.json', JSON.stringify(json)))).toBeInstanceOf(
        ConfigError,
      );
    });
    it('model.json that is not JSON, or missing', async () => {
      const e = await code(await tampered('model.json', '{"format": "seqzoo-model", '));
      expect((e as ModelFileError).code).toBe('BAD_MODEL_JSON');
      const empty = await mkdtemp(join(root, 'empty-'));
      expect(((await code(empty)) as ModelFileError).code).toBe('MISSING_FILE');
    });
    it('unknown URL scheme', async () => {
      expect(((await code('ftp://example.com/m')) as ModelFileError).code).toBe('UNSUPPORTED_URL');
    });
  });
});
