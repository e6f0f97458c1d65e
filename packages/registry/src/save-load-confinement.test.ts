import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFileError } from './errors';
import type { ExampleMlp } from './example/mlp';
import { examplePlugin } from './example/plugin';
import { sha256Hex } from './model-json';
import { createRegistry } from './registry';
import { SafetensorsError } from './safetensors/errors';
import { loadModel, saveModel } from './save-load';

// Issue 20 item 3: weights.file in model.json is confined to the model folder.
const registry = createRegistry({ plugins: [examplePlugin] });
const config = { inputSize: 3, hiddenSizes: [4], outputSize: 2 };
let root: string;
let good: string;
let other: string;

async function rejected(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('the promise resolved');
}

async function copyOf(src: string): Promise<string> {
  const dir = await mkdtemp(join(root, 'case-'));
  for (const f of await readdir(src)) await writeFile(join(dir, f), await readFile(join(src, f)));
  return dir;
}

/** Points model.json's weights at `file`, signed with the checksum of `signWith`'s bytes. */
async function pointWeightsAt(dir: string, file: string, signWith: string): Promise<void> {
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  const bytes = new Uint8Array(await readFile(signWith));
  json.weights.file = file;
  json.weights.bytes = bytes.byteLength;
  json.weights.sha256 = await sha256Hex(bytes);
  await writeFile(join(dir, 'model.json'), JSON.stringify(json));
}

async function weightsFile(dir: string): Promise<string> {
  return join(dir, JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')).weights.file);
}

async function loadError(dir: string): Promise<Error> {
  const before = tf.memory().numTensors;
  const e = await rejected(loadModel(registry, dir, { backend: 'cpu' }));
  expect(tf.memory().numTensors).toBe(before);
  return e;
}

describe('loadModel keeps to the model folder', () => {
  beforeAll(async () => {
    await useBackend('cpu');
    root = await mkdtemp(join(tmpdir(), 'seqzoo-confine-'));
    good = join(root, 'good');
    other = join(root, 'other');
    for (const [dir, seed] of [
      [good, 1],
      [other, 2],
    ] as const) {
      const model = await registry.create('example:mlp', { ...config, seed }, { backend: 'cpu' });
      await saveModel(registry, model, dir);
      model.dispose();
    }
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("refuses '../other/weights' even when model.json carries its checksum", async () => {
    const dir = await copyOf(good);
    const target = await weightsFile(other);
    await pointWeightsAt(dir, `../other/${target.split('/').pop()}`, target);
    const e = await loadError(dir);
    expect(e).toBeInstanceOf(ModelFileError);
    expect((e as ModelFileError).code).toBe('UNSAFE_PATH');
    expect(e.message).toMatch(/model folder/);
  });

  it('refuses absolute paths, backslashes and URLs', async () => {
    const target = await weightsFile(other);
    for (const file of [target, '/etc/passwd', '..\\other\\w', 'file:///etc/passwd', 'a/b', '']) {
      const dir = await copyOf(good);
      await pointWeightsAt(dir, file, target);
      const e = await loadError(dir);
      expect((e as ModelFileError).code, file).toBe('UNSAFE_PATH');
    }
  });

  it('refuses a symlink that leaves the folder, follows one that stays inside', async () => {
    const out = await copyOf(good);
    const name = (await weightsFile(out)).split('/').pop() as string;
    await rm(join(out, name));
    await symlink(await weightsFile(other), join(out, name));
    await pointWeightsAt(out, name, await weightsFile(other));
    expect(((await loadError(out)) as ModelFileError).code).toBe('UNSAFE_PATH');

    const inside = await copyOf(good);
    await writeFile(join(inside, 'real.safetensors'), await readFile(await weightsFile(inside)));
    await rm(await weightsFile(inside));
    await symlink('real.safetensors', await weightsFile(inside));
    const loaded = await loadModel<ExampleMlp>(registry, inside, { backend: 'cpu' });
    loaded.model.dispose();
  });

  it('a FIFO in place of the weights is refused at once, not read forever', async () => {
    const dir = await copyOf(good);
    const w = await weightsFile(dir);
    await rm(w);
    execFileSync('mkfifo', [w]);
    const e = await loadError(dir);
    expect((e as ModelFileError).code).toBe('NOT_A_FILE');
    expect(e.message).toContain(w);
  }, 10_000);

  it('a FIFO in place of model.json is refused at once', async () => {
    const dir = await copyOf(good);
    await rm(join(dir, 'model.json'));
    execFileSync('mkfifo', [join(dir, 'model.json')]);
    expect(((await loadError(dir)) as ModelFileError).code).toBe('NOT_A_FILE');
  }, 10_000);

  it('a symlink loop is a typed file-system error naming the file', async () => {
    const dir = await copyOf(good);
    const w = await weightsFile(dir);
    await rm(w);
    await symlink(join(dir, 'loop-b'), w);
    await symlink(w, join(dir, 'loop-b'));
    const e = await loadError(dir);
    expect((e as ModelFileError).code).toBe('FILE_SYSTEM');
    expect(e.message).toContain(`${w}: ELOOP`);
  });

  it('a folder in place of the weights is a typed error naming it', async () => {
    const dir = await copyOf(good);
    const w = await weightsFile(dir);
    await rm(w);
    await mkdir(w);
    const e = await loadError(dir);
    expect((e as ModelFileError).code).toBe('NOT_A_FILE');
    expect(e.message).toContain(w);
  });

  it('a text file as weights: the error never prints its first bytes as a number', async () => {
    const dir = await copyOf(good);
    const w = await weightsFile(dir);
    await writeFile(w, 'root:x:0:0:root:/root:/bin/bash\n');
    await pointWeightsAt(dir, w.split('/').pop() as string, w);
    const e = await loadError(dir);
    expect(e, e.message).toBeInstanceOf(SafetensorsError);
    const asNumber = new DataView(new TextEncoder().encode('root:x:0').buffer).getBigUint64(
      0,
      true,
    );
    expect(e.message).not.toContain(String(asNumber));
  });
});

describe('folderStorage names', () => {
  it('reads any single file name in the folder, refuses paths', async () => {
    const { folderStorage } = await import('./storage/node-folder');
    const dir = await mkdtemp(join(tmpdir(), 'seqzoo-names-'));
    try {
      await writeFile(join(dir, 'my weights (1).safetensors'), 'abc');
      const storage = folderStorage(dir);
      expect(await storage.read('my weights (1).safetensors')).toEqual(
        new TextEncoder().encode('abc'),
      );
      for (const bad of ['../x', '..', '.', 'a/b', 'a\\b', '', 'a\u0000b']) {
        const e = await rejected(storage.read(bad));
        expect((e as ModelFileError).code, bad).toBe('UNSAFE_PATH');
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
