import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '@seqzoo/backend';
import {
  createRegistry,
  type ExampleMlp,
  examplePlugin,
  loadModel,
  type QuantizeReport,
  saveModel,
} from '@seqzoo/registry';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seqzoo } from '../testing';

const registry = createRegistry({ plugins: [examplePlugin] });

describe('seqzoo quantize', () => {
  let root: string;
  let saved: string;

  beforeAll(async () => {
    await useBackend('cpu');
    root = await mkdtemp(join(tmpdir(), 'seqzoo-cli-quantize-'));
    saved = join(root, 'float32');
    const model = await registry.create('example:mlp', { inputSize: 32, hiddenSizes: [64] });
    await saveModel(registry, model, saved);
    model.dispose();
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('writes an int8 model that loads with outputs close to float32, and says what it did', async () => {
    const out = join(root, 'int8');
    const r = await seqzoo('quantize', saved, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^wrote .*int8 \(int8\): weights [\d,]+ → [\d,]+ bytes \([\d.]+× smaller\)/,
    );
    expect(r.stdout).toMatch(/tensors: 2 int8, 2 float16/);
    const json = JSON.parse(await readFile(join(out, 'model.json'), 'utf8'));
    expect(json.weights.quantization).toEqual({ dtype: 'int8', version: 1 });
    const a = await loadModel<ExampleMlp>(registry, saved);
    const b = await loadModel<ExampleMlp>(registry, out);
    const x = tf.randomNormal([8, 32], 0, 1, 'float32', 1);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a.model.forward(x), b.model.forward(x)))));
    expect((await diff.data())[0]).toBeLessThan(0.05);
    tf.dispose([x, diff]);
    a.model.dispose();
    b.model.dispose();
  });

  it('--dtype float16 --json prints the report', async () => {
    const r = await seqzoo(
      'quantize',
      saved,
      '--out',
      join(root, 'f16'),
      '--dtype',
      'float16',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as QuantizeReport;
    expect(report.dtype).toBe('float16');
    expect(report.tensors.every((t) => t.stored === 'float16')).toBe(true);
    expect(report.maxRelError).toBeLessThanOrEqual(2 ** -11);
  });

  it('a bad dtype and a folder without a model: one-line errors, exit code ≠ 0', async () => {
    const bad = await seqzoo('quantize', saved, '--out', join(root, 'x'), '--dtype', 'int4');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/give int8 or float16 \(got 'int4'\)/);
    const missing = await seqzoo('quantize', join(root, 'nothing'), '--out', join(root, 'y'));
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/no model\.json here/);
    expect(missing.stderr.split('\n').filter(Boolean).length).toBeLessThanOrEqual(2);
  });
});
