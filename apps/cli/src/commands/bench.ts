import { type BackendName, useBackend } from '@seqzoo/backend';
import { GRU, LSTM } from '@seqzoo/layers';
import type { Registry } from '@seqzoo/registry';
import * as tf from '@tensorflow/tfjs-core';
import { CliError } from '../errors';
import { formatTable } from '../table';

/**
 * `seqzoo bench`: seqzoo's own speed suite, from the installed packages (no peers, no dev
 * dependencies): the matMul ceiling of each backend, then LSTM and GRU training and inference
 * steps (with their fraction of that ceiling), generation one token at a time, and the cases the
 * registered models bring (their definition's `bench`: seq2seq decoding, greedy and beam 5).
 * The side-by-side comparisons with tf.layers and PyTorch live in the repository's
 * `npm run bench` (bench/), which shares this method and these shapes.
 */

export type BenchSize = 'XS' | 'S' | 'M';

interface SizeSpec {
  /** The recurrent step: batch, time, features, hidden (bench/'s S and M shapes). */
  B: number;
  T: number;
  F: number;
  H: number;
  /** Side of the square matMul of the ceiling. */
  matmul: number;
  /** Generation: a 2-layer LSTM of this width, batch 1, tokens a run. */
  genHidden: number;
  genTokens: number;
}

/** The shapes of each `seqzoo bench` size. */
export const BENCH_SIZES: Record<BenchSize, SizeSpec> = {
  XS: {
    B: 8,
    T: 8,
    F: 16,
    H: 32,
    matmul: 128,
    genHidden: 32,
    genTokens: 8,
  },
  S: {
    B: 32,
    T: 32,
    F: 64,
    H: 128,
    matmul: 512,
    genHidden: 128,
    genTokens: 32,
  },
  M: {
    B: 64,
    T: 64,
    F: 128,
    H: 256,
    matmul: 1024,
    genHidden: 256,
    genTokens: 32,
  },
};

/** The parsed arguments of `seqzoo bench`. */
export interface BenchArgs {
  backend: string[];
  size: BenchSize;
  runs: number;
  /** wasm: thread counts to run the suite with, one after the other (a `cores` table compares them). */
  threads?: Array<number | 'auto'>;
}

/** One row of the tables (and of `--json`). */
export interface BenchRow {
  backend: string;
  /** wasm run with `--threads`: the threads it computed with. */
  threads?: number;
  /** matmul, lstm-train, lstm-infer, gru-train, gru-infer, generate; then the models' (greedy, beam5) */
  case: string;
  /** The table's label of a model's case (its definition's `bench`). */
  label?: string;
  /** What one run does, e.g. `B32 T32 F64 H128`. */
  shape: string;
  /** Median and minimum wall time of one run, in ms (after one warm-up run). */
  medianMs: number;
  minMs: number;
  /** Work per second at the median: GFLOP/s, tokens/s, or a model case's unit (words/s). */
  throughput: number;
  unit: string;
  /** Rows counted in FLOPs: their GFLOP/s over the matMul ceiling's (the same backend). */
  fractionOfMatmul?: number;
  /** Rows counted in items: tokens or words in one run. */
  items?: number;
}

/** One benchmarked computation: `run()` does one unit of work and waits for its result. */
interface Case {
  name: string;
  label?: string;
  shape: string;
  run(): Promise<void>;
  dispose(): void;
  /** FLOPs of one run (matMul and recurrent rows), or the items of one run (tokens, words). */
  work: number;
  unit: BenchRow['unit'];
}

const GATES = { lstm: 4, gru: 3 } as const;

function matmulCase(n: number): Case {
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
  return {
    name: 'matmul',
    shape: `${n}×${n} · ${n}×${n}`,
    async run() {
      const c = tf.matMul(a, b);
      await c.data();
      c.dispose();
    },
    dispose: () => tf.dispose([a, b]),
    work: 2 * n ** 3,
    unit: 'GFLOP/s',
  };
}

/**
 * A training step — `tf.variableGrads(mean(y²))` over the whole output sequence, then Adam — or
 * an inference step (one forward pass over `[B, T, F]`, output read back). FLOPs count the two
 * projections only: forward 2·B·T·(F+H)·G·H, training 3 × forward (as bench/ counts them).
 */
function recurrentCase(cell: 'lstm' | 'gru', phase: 'train' | 'infer', s: SizeSpec): Case {
  const layer =
    cell === 'lstm'
      ? new LSTM({ inputSize: s.F, hiddenSize: s.H, numLayers: 1, seed: 3 })
      : new GRU({ inputSize: s.F, hiddenSize: s.H, numLayers: 1, seed: 3 });
  const x = tf.randomNormal([s.B, s.T, s.F], 0, 1, 'float32', 7);
  const params = layer.parameters() as tf.Variable[];
  const optimizer = tf.train.adam(1e-3);
  const loss = () => tf.mean(tf.square(layer.forward(x).output)) as tf.Scalar;
  const forward = 2 * s.B * s.T * (s.F + s.H) * GATES[cell] * s.H;
  return {
    name: `${cell}-${phase}`,
    shape: `B${s.B} T${s.T} F${s.F} H${s.H}`,
    async run() {
      if (phase === 'train') {
        const { value, grads } = tf.variableGrads(loss, params);
        optimizer.applyGradients(grads as Record<string, tf.Variable>);
        await value.data();
        tf.dispose([value, ...Object.values(grads)]);
      } else {
        const y = tf.tidy(() => layer.forward(x).output);
        await y.data();
        y.dispose();
      }
    },
    dispose() {
      optimizer.dispose();
      layer.dispose();
      x.dispose();
    },
    work: phase === 'train' ? 3 * forward : forward,
    unit: 'GFLOP/s',
  };
}

/** A 2-layer LSTM run one token at a time (batch 1), each output read back as a sampler would. */
function generationCase(s: SizeSpec): Case {
  const lstm = new LSTM({ inputSize: s.genHidden, hiddenSize: s.genHidden, numLayers: 2, seed: 5 });
  const stepper = lstm.createStepper({ batchSize: 1 });
  const x = tf.randomNormal([1, s.genHidden], 0, 1, 'float32', 11);
  return {
    name: 'generate',
    shape: `2×${s.genHidden} LSTM, batch 1, ${s.genTokens} tokens`,
    async run() {
      stepper.reset();
      for (let t = 0; t < s.genTokens; t++) {
        const y = stepper.step(x);
        await y.data();
        y.dispose();
      }
    },
    dispose() {
      stepper.dispose();
      lstm.dispose();
      x.dispose();
    },
    work: s.genTokens,
    unit: 'tokens/s',
  };
}

/**
 * The speed cases the registered models bring (`bench` on their definition: seq2seq's decoding,
 * greedy and beam 5), each model built by the registry on this backend.
 */
async function modelCases(registry: Registry, backend: string, size: BenchSize): Promise<Case[]> {
  const cases: Case[] = [];
  for (const { id } of registry.list()) {
    const bench = registry.definition(id).bench;
    if (!bench) continue;
    const made = await bench({
      size,
      create: (config, vocabularies) =>
        registry.create(id, config, { backend: backend as BackendName, vocabularies }),
    });
    for (const c of made) {
      cases.push({
        name: c.name,
        label: c.label,
        shape: c.shape,
        run: () => c.run(),
        dispose: () => c.dispose(),
        work: c.items,
        unit: c.unit,
      });
    }
  }
  return cases;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function timed(run: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

/**
 * Runs the suite on each backend: every case is built and warmed up once, then `runs` rounds
 * run each case once in turn (interleaved, so that a change of load on a shared machine hits
 * every row, the matMul ceiling included). Median and minimum of the runs.
 */
export async function benchCommand(
  registry: Registry,
  args: BenchArgs,
  onBackend?: (backend: string) => void,
): Promise<BenchRow[]> {
  const spec = BENCH_SIZES[args.size];
  if (!spec) {
    throw new CliError(
      `--size ${args.size}: give ${Object.keys(BENCH_SIZES).join(', ')} (XS is a smoke test).`,
    );
  }
  const rows: BenchRow[] = [];
  // wasm once per thread count asked for (the count is fixed when the backend starts).
  const runs = args.backend.flatMap((backend): { backend: string; threads?: number | 'auto' }[] =>
    backend === 'wasm' && args.threads?.length
      ? args.threads.map((threads) => ({ backend, threads }))
      : [{ backend }],
  );
  for (const { backend, threads } of runs) {
    const info = await useBackend(backend as BackendName, threads === undefined ? {} : { threads });
    onBackend?.(
      threads === undefined ? info.backend : `${info.backend} with ${info.threads} thread(s)`,
    );
    const cases: Case[] = [
      matmulCase(spec.matmul),
      recurrentCase('lstm', 'train', spec),
      recurrentCase('lstm', 'infer', spec),
      recurrentCase('gru', 'train', spec),
      recurrentCase('gru', 'infer', spec),
      generationCase(spec),
      ...(await modelCases(registry, info.backend, args.size)),
    ];
    try {
      const times = cases.map(() => [] as number[]);
      for (const c of cases) await c.run(); // warm-up: kernels compiled, buffers allocated
      for (let r = 0; r < args.runs; r++) {
        for (const [i, c] of cases.entries()) times[i].push(await timed(() => c.run()));
      }
      const ceiling = cases[0].work / (median(times[0]) * 1e6);
      for (const [i, c] of cases.entries()) {
        const medianMs = median(times[i]);
        const throughput =
          c.unit === 'GFLOP/s' ? c.work / (medianMs * 1e6) : (c.work * 1000) / medianMs;
        rows.push({
          backend: info.backend,
          ...(threads === undefined ? {} : { threads: info.threads }),
          case: c.name,
          ...(c.label === undefined ? {} : { label: c.label }),
          shape: c.shape,
          medianMs,
          minMs: Math.min(...times[i]),
          throughput,
          unit: c.unit,
          ...(c.unit === 'GFLOP/s'
            ? i > 0
              ? { fractionOfMatmul: throughput / ceiling }
              : {}
            : { items: c.work }),
        });
      }
    } finally {
      for (const c of cases) c.dispose();
    }
  }
  return rows;
}

const LABELS: Record<string, string> = {
  matmul: 'matMul (ceiling)',
  'lstm-train': 'LSTM training step',
  'lstm-infer': 'LSTM inference step',
  'gru-train': 'GRU training step',
  'gru-infer': 'GRU inference step',
  generate: 'generation (per token)',
};

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const num = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** One table per backend: the rows, their times and throughput, and the fraction of matMul. */
export function formatBench(rows: BenchRow[], runs: number): string {
  const label = (r: BenchRow) =>
    r.threads === undefined
      ? r.backend
      : `${r.backend}, ${r.threads} thread${r.threads > 1 ? 's' : ''}`;
  const backends = [...new Set(rows.map(label))];
  const cores = coresTable(rows);
  return backends
    .map((backend) => {
      const mine = rows.filter((r) => label(r) === backend);
      const body = mine.map((r) => {
        // Generation is read per token; the other rows per run.
        const per = r.case === 'generate' ? (r.items ?? 1) : 1;
        const unit = per > 1 ? 'ms/token' : 'ms';
        return [
          r.label ?? LABELS[r.case] ?? r.case,
          r.shape,
          `${ms(r.medianMs / per)} ${unit}`,
          `${ms(r.minMs / per)} ${unit}`,
          `${num(r.throughput)} ${r.unit}`,
          r.fractionOfMatmul === undefined ? '' : `${Math.round(100 * r.fractionOfMatmul)} %`,
        ];
      });
      return `${backend} (median of ${runs} run${runs === 1 ? '' : 's'} after a warm-up)\n${formatTable(
        ['case', 'shape', 'median', 'min', 'throughput', 'of matMul'],
        body,
      )}`;
    })
    .concat(cores ? [cores] : [])
    .join('\n\n');
}

/**
 * With `--threads`: wasm's cases side by side per thread count, as ratios to the first count's
 * median (above 1: faster). The counts ran one after the other, not interleaved: on a machine
 * whose load moves, `npm run bench -- cores` (interleaved) is the better comparison.
 */
function coresTable(rows: BenchRow[]): string | undefined {
  const wasm = rows.filter((r) => r.backend === 'wasm' && r.threads !== undefined);
  const counts = [...new Set(wasm.map((r) => r.threads as number))];
  if (counts.length < 2) return undefined;
  const cases = [...new Set(wasm.map((r) => r.case))];
  const labels = new Map(wasm.map((r) => [r.case, r.label ?? LABELS[r.case] ?? r.case]));
  const body = cases.map((name) => {
    const byCount = counts.map((t) => wasm.find((r) => r.case === name && r.threads === t));
    const base = byCount[0]?.medianMs;
    return [
      labels.get(name) ?? name,
      // Generation per token, as in its own table; the ratios are the same either way.
      ...byCount.map((r) =>
        r ? `${ms(r.medianMs / (r.case === 'generate' ? (r.items ?? 1) : 1))} ms` : '',
      ),
      ...byCount.slice(1).map((r) => (r && base ? `${(base / r.medianMs).toFixed(2)}×` : '')),
    ];
  });
  return `cores: wasm by thread count (medians; ratios to ${counts[0]} thread${counts[0] > 1 ? 's' : ''}, above 1 is faster)\n${formatTable(
    [
      'case',
      ...counts.map((t) => `${t} thread${t > 1 ? 's' : ''}`),
      ...counts.slice(1).map((t) => `${t} vs ${counts[0]}`),
    ],
    body,
  )}`;
}
