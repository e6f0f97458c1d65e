import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '@seqzoo/backend';
import { DataArgumentError } from '@seqzoo/data';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ModelFileError, UnknownModelError } from './errors';
import { examplePlugin } from './example/plugin';
import { sha256Hex } from './model-json';
import { createRegistry } from './registry';
import { SafetensorsError } from './safetensors/errors';
import { type LoadedModel, loadModel, saveModel } from './save-load';

// Issue 20 "Done when": a seeded fuzz of the model loader. A known-good saved model is mutated
// (byte flips, truncations, safetensors header edits, model.json edits with huge numbers and
// wrong types, file-name edits pointing outside the folder, a FIFO, a folder, symlinks) and
// loaded. Every outcome must be a typed error or a load identical to the known-good model: no
// crash, no hang, no leaked tensor, and nothing read from outside the folder (the decoy model
// next to it has other weights, so a load that read it would not be identical; names that lead
// outside must be refused as UNSAFE_PATH, before any read).
const SEED = 20;
const CASES = 400;
const CASE_TIMEOUT_MS = 10_000;

const registry = createRegistry({ plugins: [examplePlugin] });
const config = {
  inputSize: 3,
  hiddenSizes: [5],
  outputSize: 2,
  activation: 'relu' as const,
  seed: 7,
};
let root: string;
let good: string;
let decoy: string;
let files: Record<string, Buffer>;
let json: Record<string, any>;
let reference: Awaited<ReturnType<typeof snapshot>>;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function snapshot(loaded: LoadedModel) {
  const state: Record<string, number[]> = {};
  for (const [name, t] of loaded.model.stateDict()) state[name] = Array.from(await t.data());
  const optimizer: Record<string, number[]> = {};
  for (const [name, t] of loaded.optimizer?.tensors ?? [])
    optimizer[name] = Array.from(await t.data());
  return { id: loaded.id, config: loaded.config, state, optimizer, meta: loaded.optimizer?.meta };
}

const HUGE: unknown[] = [
  1e308,
  -1,
  0,
  2 ** 31,
  2 ** 53,
  1e9,
  30000,
  1.5,
  Number.MAX_SAFE_INTEGER,
  '12',
  null,
  true,
  [],
  {},
  [[[[[[]]]]]],
  'x'.repeat(10_000),
  '__proto__',
  Array(10_000).fill(1),
];
const DTYPES = ['F32', 'I32', 'F16', 'F64', 'BF16', 'I64', 'I8', 'U8', 'BOOL', 'PICKLE', 'f32', 7];
const OUTSIDE_NAMES = [
  '../decoy/weights.safetensors',
  '../../../../etc/passwd',
  '/etc/passwd',
  'file:///etc/passwd',
  '%2e%2e/decoy/weights.safetensors',
  '..\\decoy\\weights.safetensors',
  'sub/../../decoy/weights.safetensors',
  'http://127.0.0.1:1/weights.safetensors',
  '.',
  '..',
  '',
  ' weights.safetensors',
];

type Files = Record<string, Buffer>;
interface Case {
  kind: string;
  files: Files;
  /** Set up the folder after the files are written (symlinks, FIFOs, folders). */
  setup?: (dir: string) => Promise<void>;
  /** A name that leads outside the folder: only UNSAFE_PATH is acceptable. */
  outside?: boolean;
  /** config.seed as the mutated model.json has it. */
  seed?: unknown;
}

function pick<T>(rng: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rng() * xs.length)];
}

async function sign(j: Record<string, any>, key: 'weights' | 'optimizer', bytes: Uint8Array) {
  j[key].bytes = bytes.byteLength;
  j[key].sha256 = await sha256Hex(bytes);
}

function splitSafetensors(b: Buffer): { header: Record<string, any>; data: Buffer } {
  const n = Number(b.readBigUInt64LE(0));
  return { header: JSON.parse(b.subarray(8, 8 + n).toString()), data: b.subarray(8 + n) };
}

function joinSafetensors(header: unknown, data: Buffer): Buffer {
  const h = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(h.byteLength));
  return Buffer.concat([len, h, data]);
}

/** One mutated copy of the known-good folder. */
async function mutate(rng: () => number): Promise<Case> {
  const j = structuredClone(json);
  const out: Files = { ...files };
  const wName = j.weights.file as string;
  const oName = j.optimizer.file as string;
  const target = rng() < 0.75 ? 'weights' : 'optimizer';
  const tName = target === 'weights' ? wName : oName;
  const resign = rng() < 0.7;
  const done = async (kind: string, extra: Partial<Case> = {}): Promise<Case> => {
    if (resign && out[tName] !== files[tName]) await sign(j, target, out[tName]);
    if (!out['model.json'] || out['model.json'] === files['model.json'])
      out['model.json'] = Buffer.from(JSON.stringify(j));
    return { kind, files: out, seed: j.config?.seed, ...extra };
  };
  const r = rng();
  if (r < 0.15) {
    const b = Buffer.from(out[tName]);
    const flips = 1 + Math.floor(rng() * 8);
    // Re-signed flips stay in the length and header: flipped data bytes under a valid checksum
    // are just another valid model (a forger can write any weights), not a loader failure.
    const span = resign ? 8 + Number(b.readBigUInt64LE(0)) : b.length;
    for (let k = 0; k < flips; k++) b[Math.floor(rng() * span)] ^= 1 << Math.floor(rng() * 8);
    out[tName] = b;
    return done(`${target}: byte flips${resign ? ' (re-signed)' : ''}`);
  }
  if (r < 0.25) {
    out[tName] = out[tName].subarray(0, Math.floor(rng() * out[tName].length));
    return done(`${target}: truncated${resign ? ' (re-signed)' : ''}`);
  }
  if (r < 0.45) {
    const { header, data } = splitSafetensors(out[tName]);
    const names = Object.keys(header).filter((n) => n !== '__metadata__');
    const name = pick(rng, names);
    const e = header[name];
    // Optimizer buffers have free-form names, so a renamed one is a valid (other) state: rename
    // only weights, whose names the model fixes.
    const what = pick(rng, [
      'dtype',
      'shape',
      'offsets',
      target === 'weights' ? 'rename' : 'drop',
      'drop',
      'add',
      'metadata',
    ]);
    if (what === 'dtype') e.dtype = pick(rng, DTYPES);
    else if (what === 'shape') {
      e.shape = rng() < 0.5 ? [...e.shape].reverse() : e.shape.map(() => pick(rng, HUGE));
    } else if (what === 'offsets') {
      e.data_offsets = [pick(rng, [0, e.data_offsets[0], 2 ** 53, -4]), pick(rng, HUGE)];
    } else if (what === 'rename') {
      header[pick(rng, ['__proto__', 'constructor', `${name}.x`, 'fc9.weight'])] = e;
      delete header[name];
    } else if (what === 'drop') delete header[name];
    else if (what === 'add') header[`extra.${name}`] = { ...e };
    else header.__metadata__ = pick(rng, [{ a: 1 }, 'x', { 'seqzoo.quantization': '{' }, null]);
    out[tName] = joinSafetensors(header, data);
    return done(`${target}: header ${what}${resign ? ' (re-signed)' : ''}`);
  }
  if (r < 0.52) {
    const b = Buffer.from(out[tName]);
    b.writeBigUInt64LE(
      pick(rng, [0n, 1n, 7n, 2n ** 64n - 1n, 2n ** 32n, BigInt(b.length), BigInt(b.length - 7)]),
    );
    out[tName] = b;
    return done(`${target}: header length${resign ? ' (re-signed)' : ''}`);
  }
  if (r < 0.62) {
    const b = Buffer.from(JSON.stringify(j, null, 2));
    const flips = 1 + Math.floor(rng() * 4);
    for (let k = 0; k < flips; k++) b[Math.floor(rng() * b.length)] = Math.floor(rng() * 256);
    out['model.json'] = b;
    return done('model.json: byte flips');
  }
  if (r < 0.82) {
    const fields: [Record<string, any>, string][] = [
      [j, 'format'],
      [j, 'formatVersion'],
      [j, 'modelId'],
      [j, 'config'],
      [j.config, 'inputSize'],
      [j.config, 'hiddenSizes'],
      [j.config, 'outputSize'],
      [j.config, 'activation'],
      [j.config, 'seed'],
      [j.config.hiddenSizes, '0'],
      [j, 'weights'],
      [j.weights, 'naming'],
      [j.weights, 'bytes'],
      [j.weights, 'sha256'],
      [j, 'optimizer'],
      [j.optimizer, 'bytes'],
      [j, 'vocabularies'],
    ];
    const [obj, key] = pick(rng, fields);
    const value = pick(rng, [...HUGE, 'zoo:char-lm', 'seqzoo-model', 2, 'pytorch', 'seqzoo']);
    obj[key] = value;
    return done(`model.json: ${key} = ${JSON.stringify(value)?.slice(0, 20)}`);
  }
  // File names: outside the folder, or not regular files inside it.
  const key = rng() < 0.7 ? 'weights' : 'optimizer';
  const decoyFile = join(decoy, key === 'weights' ? wName : oName);
  const special = pick(rng, ['outside', 'outside', 'absolute', 'symlink-out', 'fifo', 'folder']);
  if (special === 'outside' || special === 'absolute') {
    j[key].file = special === 'absolute' ? decoyFile : pick(rng, OUTSIDE_NAMES);
    await sign(j, key, await readFile(decoyFile)); // as a forger would
    out['model.json'] = Buffer.from(JSON.stringify(j));
    return { kind: `${key}.file: ${special}`, files: out, outside: true };
  }
  const name = `evil-${special}.safetensors`;
  j[key].file = name;
  await sign(j, key, await readFile(decoyFile));
  out['model.json'] = Buffer.from(JSON.stringify(j));
  return {
    kind: `${key}.file: ${special}`,
    files: out,
    outside: special === 'symlink-out',
    setup: async (dir) => {
      if (special === 'symlink-out') await symlink(decoyFile, join(dir, name));
      if (special === 'fifo') execFileSync('mkfifo', [join(dir, name)]);
      if (special === 'folder') await mkdir(join(dir, name));
    },
  };
}

function errorClass(e: unknown): string | null {
  if (e instanceof ModelFileError) return `ModelFileError ${e.code}`;
  if (e instanceof SafetensorsError) return `SafetensorsError ${e.code}`;
  if (e instanceof ConfigError) return 'ConfigError';
  if (e instanceof UnknownModelError) return 'UnknownModelError';
  if (e instanceof DataArgumentError) return 'DataArgumentError';
  return null;
}

describe(`loader fuzz (seed ${SEED}, ${CASES} cases)`, () => {
  beforeAll(async () => {
    await useBackend('cpu');
    root = await mkdtemp(join(tmpdir(), 'seqzoo-fuzz-'));
    good = join(root, 'good');
    decoy = join(root, 'decoy');
    for (const [dir, seed] of [
      [good, 7],
      [decoy, 8],
    ] as const) {
      const model = await registry.create(
        'example:mlp',
        { ...config, seed },
        {
          backend: 'cpu',
          vocabularies: { labels: ['ham', 'spam'] },
        },
      );
      const m = tf.fill([5, 3], seed / 10);
      await saveModel(registry, model, dir, {
        optimizer: { tensors: new Map([['state.fc0.weight.exp_avg', m]]), meta: { step: seed } },
      });
      m.dispose();
      model.dispose();
    }
    files = {};
    for (const f of await readdir(good)) files[f] = await readFile(join(good, f));
    json = JSON.parse(files['model.json'].toString());
    const loaded = await loadModel(registry, good, { backend: 'cpu' });
    reference = await snapshot(loaded);
    loaded.model.dispose();
    for (const t of loaded.optimizer?.tensors.values() ?? []) t.dispose();
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('every mutated model is a typed error or an identical load; no crash, hang, leak or escape', async () => {
    const rng = mulberry32(SEED);
    const counts: Record<string, number> = {};
    const problems: string[] = [];
    let identical = 0;
    for (let n = 0; n < CASES; n++) {
      const c = await mutate(rng);
      const dir = join(root, `case-${n}`);
      await mkdir(dir);
      for (const [f, b] of Object.entries(c.files)) await writeFile(join(dir, f), b);
      await c.setup?.(dir);
      const before = tf.memory().numTensors;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const hang = new Promise<'hang'>((resolve) => {
        timer = setTimeout(() => resolve('hang'), CASE_TIMEOUT_MS);
      });
      const outcome = await Promise.race([
        loadModel(registry, dir, { backend: 'cpu' }).then(
          (loaded) => ({ loaded }),
          (error: unknown) => ({ error }),
        ),
        hang,
      ]);
      clearTimeout(timer);
      const label = `#${n} ${c.kind}`;
      if (outcome === 'hang') {
        problems.push(`${label}: no answer in ${CASE_TIMEOUT_MS} ms`);
        continue;
      }
      if ('error' in outcome) {
        const cls = errorClass(outcome.error);
        if (cls === null) problems.push(`${label}: untyped ${String(outcome.error).slice(0, 200)}`);
        else if (c.outside && cls !== 'ModelFileError UNSAFE_PATH')
          problems.push(`${label}: ${cls}, not UNSAFE_PATH`);
        counts[cls ?? 'untyped'] = (counts[cls ?? 'untyped'] ?? 0) + 1;
      } else {
        const got = await snapshot(outcome.loaded);
        outcome.loaded.model.dispose();
        for (const t of outcome.loaded.optimizer?.tensors.values() ?? []) t.dispose();
        const same = (() => {
          try {
            expect(got.id).toEqual(reference.id);
            // The seed only picks initial values (overwritten by the weights): any int is valid.
            expect(got.config).toEqual({
              ...(reference.config as object),
              seed: c.seed ?? json.config.seed,
            });
            expect(got.state).toEqual(reference.state);
            if (got.meta !== undefined || Object.keys(got.optimizer).length > 0) {
              expect(got.optimizer).toEqual(reference.optimizer);
              expect(got.meta).toEqual(reference.meta);
            }
            return true;
          } catch {
            return false;
          }
        })();
        if (same && !c.outside) identical++;
        else problems.push(`${label}: loaded a model that is not the known-good one`);
      }
      if (tf.memory().numTensors !== before)
        problems.push(`${label}: ${tf.memory().numTensors - before} tensors leaked`);
      await rm(dir, { recursive: true, force: true });
    }
    const errors = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(
      `loader fuzz: ${CASES} cases (seed ${SEED}): ${errors} typed errors, ${identical} identical loads, ${problems.length} problems\n` +
        Object.entries(counts)
          .sort(([, a], [, b]) => b - a)
          .map(([k, v]) => `  ${v}\t${k}`)
          .join('\n'),
    );
    expect(problems).toEqual([]);
    expect(errors + identical).toBe(CASES);
  }, 120_000);
});
