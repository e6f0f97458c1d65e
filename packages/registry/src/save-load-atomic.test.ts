import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFileError } from './errors';
import type { ExampleMlp } from './example/mlp';
import { examplePlugin } from './example/plugin';
import { createRegistry } from './registry';
import { loadModel, saveModel } from './save-load';
import { writeFileAtomic } from './storage/atomic-write';
import { folderStorage } from './storage/node-folder';

// Issue 20 item 5: a save cut short must not destroy the previous model.
const registry = createRegistry({ plugins: [examplePlugin] });
const config = { inputSize: 3, hiddenSizes: [4], outputSize: 2 };
const x = [[0.5, -1, 2]];
let root: string;

async function outputs(model: ExampleMlp): Promise<number[]> {
  const y = tf.tidy(() => model.forward(tf.tensor2d(x)));
  const out = Array.from(await y.data());
  y.dispose();
  return out;
}

async function loadedOutputs(dir: string): Promise<number[]> {
  const loaded = await loadModel<ExampleMlp>(registry, dir, { backend: 'cpu' });
  const out = await outputs(loaded.model);
  loaded.model.dispose();
  for (const t of loaded.optimizer?.tensors.values() ?? []) t.dispose();
  return out;
}

async function model(seed: number): Promise<ExampleMlp> {
  return registry.create<ExampleMlp>('example:mlp', { ...config, seed }, { backend: 'cpu' });
}

function optimizer() {
  return { tensors: new Map([['m', tf.ones([2])]]), meta: { step: 1 } };
}

/** Writes files for real until the `failAt`-th write, which throws (as a full disk would). */
function failingAt(failAt: number) {
  let n = 0;
  return async (path: string, bytes: Uint8Array) => {
    n += 1;
    if (n === failAt) {
      const error = new Error(`ENOSPC: no space left on device, write '${path}'`);
      Object.assign(error, { code: 'ENOSPC' });
      throw error;
    }
    await writeFileAtomic(path, bytes);
  };
}

describe('saveModel is atomic', () => {
  beforeAll(async () => {
    await useBackend('cpu');
    root = await mkdtemp(join(tmpdir(), 'seqzoo-atomic-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  for (const failAt of [1, 2, 3]) {
    it(`a save that fails at write ${failAt} leaves the previous model loadable, no temp files`, async () => {
      const dir = await mkdtemp(join(root, 'fail-'));
      const a = await model(1);
      await saveModel(registry, a, dir, { optimizer: optimizer() });
      const before = (await readdir(dir)).sort();
      const b = await model(2);
      const e = await saveModel(registry, b, folderStorage(dir, { writeFile: failingAt(failAt) }), {
        optimizer: optimizer(),
      }).catch((error: Error) => error);
      // Typed, naming the file and what to do.
      expect(e).toBeInstanceOf(ModelFileError);
      expect((e as ModelFileError).code).toBe('FILE_SYSTEM');
      expect((e as Error).message).toMatch(new RegExp(`^${dir}/\\S+: ENOSPC: the disk is full`));
      expect(await loadedOutputs(dir)).toEqual(await outputs(a));
      expect((await readdir(dir)).sort()).toEqual(before);
      a.dispose();
      b.dispose();
    });
  }

  // Over an existing model the save commits twice: writes 1-3 under alternate names (model.json
  // last), then 4-6 under the usual names. A failure in the second round keeps the new model.
  for (const failAt of [4, 5, 6]) {
    it(`a failure at write ${failAt}, after the commit, leaves the new model loadable`, async () => {
      const dir = await mkdtemp(join(root, 'late-'));
      const a = await model(1);
      await saveModel(registry, a, dir, { optimizer: optimizer() });
      const b = await model(2);
      await saveModel(registry, b, folderStorage(dir, { writeFile: failingAt(failAt) }), {
        optimizer: optimizer(),
      });
      expect(await loadedOutputs(dir)).toEqual(await outputs(b));
      expect((await readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
      const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
      const named = [json.weights.file, json.optimizer.file];
      expect((await readdir(dir)).sort()).toEqual(['model.json', ...named].sort());
      a.dispose();
      b.dispose();
    });
  }

  it('a save killed after writing the weights (never finishing) leaves the previous model', async () => {
    const dir = await mkdtemp(join(root, 'kill-'));
    const a = await model(1);
    await saveModel(registry, a, dir);
    const b = await model(2);
    let killed!: () => void;
    const stopped = new Promise<void>((resolve) => {
      killed = resolve;
    });
    let n = 0;
    const save = saveModel(
      registry,
      b,
      folderStorage(dir, {
        writeFile: async (path, bytes) => {
          if (++n > 1) {
            killed();
            await new Promise(() => {}); // the process dies here: no cleanup ever runs
          }
          await writeFileAtomic(path, bytes);
        },
      }),
    );
    void save;
    await stopped;
    expect(await loadedOutputs(dir)).toEqual(await outputs(a));
    a.dispose();
    b.dispose();
  });

  it('a completed overwrite loads the new model and removes the old files', async () => {
    const dir = await mkdtemp(join(root, 'ok-'));
    const models = [await model(1), await model(2), await model(3)];
    await saveModel(registry, models[0], dir, { optimizer: optimizer() });
    for (const m of models.slice(1)) {
      await saveModel(registry, m, dir);
      expect(await loadedOutputs(dir)).toEqual(await outputs(m));
      const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
      // The usual names at the end, whatever the folder held before.
      expect(json.weights.file).toBe('weights.safetensors');
      expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.safetensors']);
    }
    for (const m of models) m.dispose();
  });
});
