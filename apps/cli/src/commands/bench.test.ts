import { useBackend } from '@seqzoo/backend';
import { createRegistry, exampleMlp } from '@seqzoo/registry';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { seqzoo } from '../testing';
import { type BenchRow, benchCommand, formatBench } from './bench';
import { cliRegistry } from './models';

const CASES = [
  'matmul',
  'lstm-train',
  'lstm-infer',
  'gru-train',
  'gru-infer',
  'generate',
  'greedy',
  'beam5',
];

const positive = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x > 0;

describe('seqzoo bench', () => {
  it('--json: every case on cpu and wasm, with finite positive times and rates', async () => {
    const r = await seqzoo(
      'bench',
      '--backend',
      'cpu,wasm',
      '--size',
      'XS',
      '--runs',
      '1',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as BenchRow[];
    for (const backend of ['cpu', 'wasm']) {
      const mine = rows.filter((row) => row.backend === backend);
      expect(mine.map((row) => row.case)).toEqual(CASES);
      for (const row of mine) {
        expect(positive(row.medianMs), `${backend} ${row.case} medianMs`).toBe(true);
        expect(row.minMs).toBeLessThanOrEqual(row.medianMs);
        expect(positive(row.minMs)).toBe(true);
        expect(positive(row.throughput), `${backend} ${row.case} throughput`).toBe(true);
      }
      const unit = Object.fromEntries(mine.map((row) => [row.case, row.unit]));
      expect(unit).toMatchObject({
        matmul: 'GFLOP/s',
        'lstm-train': 'GFLOP/s',
        'gru-infer': 'GFLOP/s',
        generate: 'tokens/s',
        greedy: 'words/s',
        beam5: 'words/s',
      });
      // Recurrent rows carry their fraction of this backend's matMul ceiling; the others do not.
      for (const row of mine) {
        if (/^(lstm|gru)-/.test(row.case)) expect(positive(row.fractionOfMatmul)).toBe(true);
        else expect(row.fractionOfMatmul).toBeUndefined();
      }
      // The rate is the work of a run over its median time: GFLOP/s of an n×n matMul = 2n³ / t.
      const matmul = mine[0];
      expect(matmul.shape).toBe('128×128 · 128×128');
      expect(matmul.throughput).toBeCloseTo((2 * 128 ** 3) / (matmul.medianMs * 1e6), 6);
      const greedy = mine.find((row) => row.case === 'greedy');
      expect(greedy?.throughput).toBeCloseTo(
        ((greedy?.items ?? 0) * 1000) / (greedy?.medianMs ?? 1),
        6,
      );
    }
  });

  it('prints one table per backend with a row per case', async () => {
    const r = await seqzoo('bench', '--backend', 'wasm', '--size', 'xs', '--runs', '1');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/benchmarking wasm \(size xs, 1 run\)/);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('wasm (median of 1 run after a warm-up)');
    expect(lines[1]).toMatch(/^case\s+shape\s+median\s+min\s+throughput\s+of matMul$/);
    const number = String.raw`\d+(\.\d+)?`;
    const rows: [string, RegExp][] = [
      ['matMul (ceiling)', new RegExp(`${number} ms\\s+${number} ms\\s+${number} GFLOP/s$`)],
      ['LSTM training step', new RegExp(`${number} GFLOP/s\\s+\\d+ %$`)],
      ['LSTM inference step', new RegExp(`${number} GFLOP/s\\s+\\d+ %$`)],
      ['GRU training step', new RegExp(`${number} GFLOP/s\\s+\\d+ %$`)],
      ['GRU inference step', new RegExp(`${number} GFLOP/s\\s+\\d+ %$`)],
      ['generation (per token)', new RegExp(`${number} ms/token\\s+.*${number} tokens/s$`)],
      ['seq2seq greedy decode', new RegExp(`${number} words/s$`)],
      ['seq2seq beam-5 decode', new RegExp(`${number} words/s$`)],
    ];
    for (const [label, tail] of rows) {
      const line = lines.find((l) => l.startsWith(label));
      expect(line, label).toMatch(tail);
    }
  });

  it("runs any registered model's bench cases (its definition's `bench`), not only ours", async () => {
    const calls = { create: 0, run: 0, dispose: 0, sizes: [] as string[] };
    const acme = {
      namespace: 'acme',
      models: {
        mlp: {
          ...exampleMlp,
          async bench(context: Parameters<NonNullable<(typeof exampleMlp)['bench']>>[0]) {
            calls.sizes.push(context.size);
            const model = await context.create({ inputSize: 3, hiddenSizes: [4], outputSize: 2 });
            calls.create++;
            const x = tf.ones([5, 3]);
            return [
              {
                name: 'acme-forward',
                label: 'acme MLP forward',
                shape: 'batch 5',
                items: 5,
                unit: 'rows/s',
                async run() {
                  calls.run++;
                  const y = model.forward(x);
                  await y.data();
                  y.dispose();
                },
                dispose() {
                  calls.dispose++;
                  x.dispose();
                  model.dispose();
                },
              },
            ];
          },
        },
      },
    };
    await useBackend('cpu');
    const before = tf.memory().numTensors;
    const rows = await benchCommand(createRegistry({ plugins: [acme] }), {
      backend: ['cpu'],
      size: 'XS',
      runs: 2,
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(calls).toEqual({ create: 1, run: 3, dispose: 1, sizes: ['XS'] }); // warm-up + 2 runs
    const row = rows.find((r) => r.case === 'acme-forward') as BenchRow;
    expect(row).toMatchObject({ label: 'acme MLP forward', unit: 'rows/s', items: 5 });
    expect(row.throughput).toBeCloseTo((5 * 1000) / row.medianMs, 6);
    expect(rows.some((r) => r.case === 'greedy')).toBe(false); // no seq2seq in this registry
    expect(formatBench(rows, 2)).toMatch(/^acme MLP forward\s+batch 5\s+.*rows\/s$/m);
  });

  it('leaves no tensor behind', async () => {
    await benchCommand(cliRegistry(), { backend: ['cpu'], size: 'XS', runs: 1 });
    const before = tf.memory().numTensors;
    await benchCommand(cliRegistry(), { backend: ['cpu'], size: 'XS', runs: 2 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('--threads 1,2: the suite on wasm at each count, then a cores table comparing them', async () => {
    const json = await seqzoo(
      'bench',
      '--backend',
      'wasm',
      '--threads',
      '1,2',
      '--size',
      'XS',
      '--runs',
      '1',
      '--json',
    );
    expect(json.code, json.stderr).toBe(0);
    const rows = JSON.parse(json.stdout) as BenchRow[];
    for (const threads of [1, 2]) {
      const mine = rows.filter((row) => row.backend === 'wasm' && row.threads === threads);
      expect(mine.map((row) => row.case)).toEqual(CASES);
      for (const row of mine) expect(positive(row.medianMs)).toBe(true);
    }
    const text = { stdout: formatBench(rows, 1) }; // the table from the same rows
    expect(text.stdout).toMatch(/^wasm, 1 thread \(median of 1 run after a warm-up\)$/m);
    expect(text.stdout).toMatch(/^wasm, 2 threads \(median of 1 run after a warm-up\)$/m);
    const cores = text.stdout.slice(text.stdout.indexOf('cores: wasm by thread count'));
    expect(cores).toMatch(/^case\s+1 thread\s+2 threads\s+2 vs 1$/m);
    expect(cores).toMatch(/^matMul \(ceiling\)\s+[\d.]+ ms\s+[\d.]+ ms\s+[\d.]+×$/m);
    expect(cores).toMatch(/^generation \(per token\)\s+[\d.]+ ms\s+[\d.]+ ms\s+[\d.]+×$/m);
    // Generation per token there too, as in its own table.
    const gen = rows.find((row) => row.case === 'generate' && row.threads === 1) as BenchRow;
    const shown = Number(/^generation \(per token\)\s+([\d.]+) ms/m.exec(cores)?.[1]);
    const perToken = gen.medianMs / (gen.items ?? 0);
    expect(Math.abs(shown - perToken) / perToken).toBeLessThan(0.05); // printed rounded
    const bad = await seqzoo('bench', '--threads', '1,9');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/expected thread counts from 1 to 8 or auto, got '9'/);
  });

  it('an unknown size is one line naming the sizes', async () => {
    const r = await seqzoo('bench', '--size', 'XL');
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('CliError: --size XL: give XS, S, M (XS is a smoke test).');
  });
});
