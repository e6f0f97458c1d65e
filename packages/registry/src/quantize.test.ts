import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFileError } from './errors';
import type { ExampleMlp } from './example/mlp';
import { examplePlugin } from './example/plugin';
import { sha256Hex } from './model-json';
import {
  decodeWeights,
  floatToHalf,
  QUANTIZATION_KEY,
  quantizeModel,
  quantizeTensors,
} from './quantize';
import { createRegistry } from './registry';
import { halfToFloat } from './safetensors/dtypes';
import type { EncodableTensor } from './safetensors/encode';
import { parseSafetensors } from './safetensors/parse';
import { loadModel, saveModel } from './save-load';

const golden = JSON.parse(
  await readFile(
    join(dirname(fileURLToPath(import.meta.url)), '../goldens/quantize-golden.json'),
    'utf8',
  ),
) as {
  half: { values: number[]; bits: number[] };
  int8: {
    shape: number[];
    values: number[];
    axes: Record<string, { scales: number[]; q: number[] }>;
  };
};

/** A seeded float32 tensor whose rows have very different magnitudes (what per-channel is for). */
function randomTensor(shape: number[], seed: number): EncodableTensor {
  let s = seed;
  const rand = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const n = shape.reduce((a, b) => a * b, 1);
  const last = shape[shape.length - 1];
  const values = Float32Array.from({ length: n }, (_, i) => {
    const row = Math.floor(i / last);
    return (rand() * 2 - 1) * 10 ** ((row % 5) - 2);
  });
  return { dtype: 'float32', shape, values };
}

async function rejected(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('the promise resolved');
}

describe('floatToHalf', () => {
  it("gives PyTorch's .half() bits: rounding to even, subnormals, overflow to inf", () => {
    const { values, bits } = golden.half;
    const ours = values.map((v) => floatToHalf(v));
    expect(ours).toEqual(bits);
    // And back: halfToFloat(bits) is within half a unit in the last place.
    for (const v of values) {
      const back = halfToFloat(floatToHalf(v));
      if (Math.abs(v) >= 2 ** -14 && Math.abs(v) < 65504)
        expect(Math.abs(back - v)).toBeLessThanOrEqual(2 ** -11 * Math.abs(v));
      else if (Math.abs(v) < 2 ** -14) expect(Math.abs(back - v)).toBeLessThanOrEqual(2 ** -25);
    }
  });
});

describe('quantizeTensors / decodeWeights', () => {
  it("int8 per channel matches torch.quantize_per_channel's integers and scales on both axes", () => {
    const { shape, values, axes } = golden.int8;
    for (const axis of [0, 1]) {
      const { bytes } = quantizeTensors(
        new Map([['w', { dtype: 'float32', shape, values: Float32Array.from(values) }]]),
        { dtype: 'int8', axis },
      );
      const parsed = parseSafetensors(bytes);
      const raw = parsed.tensors.get('w')!;
      expect(raw.dtype).toBe('I8');
      expect([...new Int8Array(raw.bytes.slice().buffer)]).toEqual(axes[axis].q);
      const scale = parsed.tensors.get('w.__scale')!;
      expect([...new Float32Array(scale.bytes.slice().buffer)]).toEqual(
        axes[axis].scales.map(Math.fround),
      );
    }
  });

  it('keeps the error within the bounds of each scheme, for every tensor', () => {
    const tensors = new Map<string, EncodableTensor>([
      ['matrix', randomTensor([40, 30], 1)],
      ['cube', randomTensor([4, 6, 5], 2)],
      ['vector', randomTensor([50], 3)],
      ['ids', { dtype: 'int32', shape: [3], values: Int32Array.from([7, -2, 1 << 30]) }],
      ['mask', { dtype: 'bool', shape: [2], values: Uint8Array.from([1, 0]) }],
    ]);
    for (const dtype of ['float16', 'int8'] as const) {
      const { bytes, tensors: report } = quantizeTensors(tensors, { dtype });
      const back = decodeWeights(parseSafetensors(bytes));
      expect([...back.keys()].sort()).toEqual([...tensors.keys()].sort());
      expect([...back.values()].map((t) => t.dtype)).not.toContain('int8');
      for (const [name, t] of tensors) {
        const d = back.get(name)!;
        expect(d.shape).toEqual(t.shape);
        if (t.dtype !== 'float32') {
          expect(d.dtype).toBe(t.dtype);
          expect([...d.values]).toEqual([...t.values]);
          continue;
        }
        const stored = report.find((r) => r.name === name)!;
        if (stored.stored === 'float16') {
          // Relative error ≤ 2^-11 (half a unit in the 11-bit significand), subnormals 2^-25.
          t.values.forEach((v, i) => {
            expect(Math.abs(d.values[i] - v)).toBeLessThanOrEqual(
              Math.max(2 ** -11 * Math.abs(v), 2 ** -25),
            );
          });
        } else {
          expect(dtype).toBe('int8');
          expect(t.shape.length).toBeGreaterThanOrEqual(2);
          // Each value within half a step of its channel: max |x_c| / 254, channel along the chosen axis.
          const axis = stored.axis!;
          const inner = t.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
          const channel = (i: number) => Math.floor(i / inner) % t.shape[axis];
          const peak = new Float32Array(t.shape[axis]);
          t.values.forEach((v, i) => {
            peak[channel(i)] = Math.max(peak[channel(i)], Math.abs(v));
          });
          t.values.forEach((v, i) => {
            expect(Math.abs(d.values[i] - v)).toBeLessThanOrEqual(
              (peak[channel(i)] / 254) * (1 + 1e-5),
            );
          });
          // Rows span 4 decades here: scales per row (axis 0) beat scales per column.
          if (name === 'matrix') expect(axis).toBe(0);
        }
        const maxAbs = Math.max(...t.values.map((v, i) => Math.abs(v - d.values[i])));
        expect(stored.maxAbsError).toBeCloseTo(maxAbs, 12);
      }
      const size = dtype === 'int8' ? 1 : 2;
      // Payload: 1200 + 120 matrix/cube elements at `size` bytes (+ scales), the vector at 2.
      expect(bytes.byteLength).toBeLessThan(1320 * size + 50 * 2 + 400 + 1024);
    }
  });

  it('refuses a value beyond float16 range instead of writing infinity', () => {
    const big = new Map([
      ['w', { dtype: 'float32' as const, shape: [2], values: Float32Array.from([1, 70000]) }],
    ]);
    expect(() => quantizeTensors(big, { dtype: 'float16' })).toThrow(/beyond float16's range/);
    // Vectors stay float16 under int8 too; matrices get float32 scales, which hold it.
    expect(() => quantizeTensors(big, { dtype: 'int8' })).toThrow(/beyond float16's range/);
    const bigMatrix = new Map([
      ['w', { dtype: 'float32' as const, shape: [1, 2], values: Float32Array.from([1, 70000]) }],
    ]);
    const { bytes } = quantizeTensors(bigMatrix, { dtype: 'int8' });
    expect(decodeWeights(parseSafetensors(bytes)).get('w')!.values[1]).toBeCloseTo(70000, -2);
  });

  it('rejects a bad axis and a bad dtype with errors that say what to give', () => {
    const t = new Map([['w', randomTensor([3, 4], 5)]]);
    expect(() => quantizeTensors(t, { dtype: 'int8', axis: 2 })).toThrow(/axis 2 .* 0\.\.1/);
    expect(() => quantizeTensors(t, { dtype: 'int4' as 'int8' })).toThrow(/'float16' or 'int8'/);
  });
});

describe('quantizeModel + loadModel', () => {
  const registry = createRegistry({ plugins: [examplePlugin] });
  const config = { inputSize: 16, hiddenSizes: [64, 32], outputSize: 5, seed: 11 };
  let root: string;
  let saved: string;
  let inputs: tf.Tensor2D;
  let expected: Float32Array;

  beforeAll(async () => {
    await useBackend('cpu');
    root = await mkdtemp(join(tmpdir(), 'seqzoo-quantize-'));
    saved = join(root, 'float32');
    const model = await registry.create<ExampleMlp>('example:mlp', config, { backend: 'cpu' });
    const m = tf.variable(tf.fill([3], 0.5));
    await saveModel(registry, model, saved, {
      optimizer: { tensors: new Map([['fc0.weight.exp_avg', m]]), meta: { kind: 'adam' } },
      training: { steps: 3 },
    });
    m.dispose();
    inputs = tf.tidy(() => tf.randomNormal([64, 16], 0, 1, 'float32', 4) as tf.Tensor2D);
    const out = model.forward(inputs);
    expected = (await out.data()) as Float32Array;
    out.dispose();
    model.dispose();
  });
  afterAll(async () => {
    inputs?.dispose();
    await rm(root, { recursive: true, force: true });
  });

  for (const [dtype, tolerance, ratio] of [
    ['float16', 2e-3, 0.55],
    ['int8', 3e-2, 0.4],
  ] as const) {
    it(`${dtype}: one call writes a smaller model that loads as float32 and computes the same outputs within ${tolerance}`, async () => {
      const dir = join(root, dtype);
      const before = await readFile(join(saved, 'weights.safetensors'));
      const report = await quantizeModel(saved, dir, { dtype });
      expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.safetensors']);
      // The source is untouched.
      expect(await readFile(join(saved, 'weights.safetensors'))).toEqual(before);
      expect(report.bytesBefore).toBe(before.byteLength);
      // (The header is a good part of so small a file: the real saving is 2× and 4×.)
      expect(report.bytesAfter).toBeLessThan(ratio * before.byteLength);
      const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
      expect(json.weights).toMatchObject({
        naming: 'pytorch',
        bytes: report.bytesAfter,
        quantization: { dtype, version: 1 },
      });
      expect(json.optimizer).toBeNull();
      expect(json.training).toEqual({ steps: 3 });

      const tensorsBefore = tf.memory().numTensors;
      const { model } = await loadModel<ExampleMlp>(registry, dir, { backend: 'cpu' });
      for (const t of model.stateDict().values()) expect(t.dtype).toBe('float32');
      const out = model.forward(inputs);
      const got = (await out.data()) as Float32Array;
      out.dispose();
      model.dispose();
      expect(tf.memory().numTensors).toBe(tensorsBefore);
      let maxDiff = 0;
      let peak = 0;
      for (let i = 0; i < got.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(got[i] - expected[i]));
        peak = Math.max(peak, Math.abs(expected[i]));
      }
      expect(maxDiff).toBeLessThan(tolerance * Math.max(1, peak));
      // The predicted class agrees on (nearly) every input.
      const argmax = (v: Float32Array, row: number) => {
        const r = v.subarray(row * 5, row * 5 + 5);
        return r.indexOf(Math.max(...r));
      };
      let same = 0;
      for (let row = 0; row < 64; row++) if (argmax(got, row) === argmax(expected, row)) same++;
      expect(same).toBeGreaterThanOrEqual(dtype === 'float16' ? 64 : 62);
      expect(report.maxRelError).toBeLessThanOrEqual(dtype === 'float16' ? 2 ** -11 : 1 / 254);
    });
  }

  it('refuses to quantize quantized weights, or weights that do not match model.json', async () => {
    const once = join(root, 'once');
    await quantizeModel(saved, once, { dtype: 'int8' });
    const again = await rejected(quantizeModel(once, join(root, 'twice'), { dtype: 'float16' }));
    expect(again).toBeInstanceOf(ModelFileError);
    expect(again.message).toMatch(/quantized already/);

    const mixed = join(root, 'mixed');
    await quantizeModel(saved, mixed, { dtype: 'float16' });
    await writeFile(
      join(mixed, 'weights.safetensors'),
      await readFile(join(once, 'weights.safetensors')),
    );
    const err = (await rejected(
      quantizeModel(mixed, join(root, 'x'), { dtype: 'int8' }),
    )) as ModelFileError;
    expect(err.code).toBe('WEIGHTS_MISMATCH');
    expect(err.message).toMatch(/SHA-256/);
  });

  it('a newer quantization format meets this loader: a typed error that says to upgrade', async () => {
    const dir = join(root, 'future');
    await quantizeModel(saved, dir, { dtype: 'int8' });
    const file = join(dir, 'weights.safetensors');
    const bytes = new Uint8Array(await readFile(file));
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + headerLength));
    const needle = '\\"version\\":1';
    expect(header).toContain(needle);
    const patched = new TextEncoder().encode(header.replace(needle, '\\"version\\":9'));
    bytes.set(patched, 8); // same length: one digit for one digit
    await writeFile(file, bytes);
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    json.weights.sha256 = await sha256Hex(bytes);
    await writeFile(join(dir, 'model.json'), JSON.stringify(json));
    const tensors = tf.memory().numTensors;
    const err = (await rejected(loadModel(registry, dir, { backend: 'cpu' }))) as ModelFileError;
    expect(err).toBeInstanceOf(ModelFileError);
    expect(err.code).toBe('UNKNOWN_FORMAT_VERSION');
    expect(err.message).toMatch(/version 9.*Upgrade @seqzoo\/registry/);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('a scale that does not fit its tensor is reported as a corrupt file', () => {
    const { bytes } = quantizeTensors(new Map([['w', randomTensor([3, 4], 9)]]), {
      dtype: 'int8',
      axis: 0,
    });
    const parsed = parseSafetensors(bytes);
    const header = JSON.parse(parsed.metadata[QUANTIZATION_KEY]);
    header.tensors.w.axis = 1; // 4 channels, but 3 scales
    expect(() =>
      decodeWeights(
        { ...parsed, metadata: { [QUANTIZATION_KEY]: JSON.stringify(header) } },
        'x.safetensors',
      ),
    ).toThrow(
      /x\.safetensors: quantized tensor 'w': its scale 'w.__scale' is missing or not F32 of shape \[4\]/,
    );
  });
});
