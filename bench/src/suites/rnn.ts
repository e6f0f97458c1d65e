import { existsSync, readFileSync } from 'node:fs';
import '../rnn/register-gradients';
import { join } from 'node:path';
import { type BackendName, useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import type { Suite } from '../main';
import { matmulOnce } from '../rnn/bench-case';
import {
  type Cell,
  gflops,
  type Impl,
  type Phase,
  phaseFlops,
  type ResultRow,
  SIZES,
  type SizeName,
} from '../rnn/config';
import { GEN, genFlopsPerToken } from '../rnn/generation';
import { RemoteRunner } from '../rnn/remote';
import { type CaseSpec, LocalRunner, type Runner } from '../rnn/runner';
import { formatTable, summarize } from '../rnn/table';
import { torchBlas, torchRows } from '../rnn/torch';
import { parseFlags, resultsDir, writeResults } from '../util';
import { matmulGflops } from './matmul';

const MATMUL_FLOPS = 2 * 1024 ** 3;
const IMPLS: Impl[] = ['seqzoo', 'tfjs-layers', 'tfjs-layers+kernels'];

/**
 * Builds one case per implementation, warms each up once, then times `runs` rounds in which every
 * implementation runs once, and so does the 1024³ matMul of the ceiling (interleaved, so that the
 * load on this shared machine hits all alike). Ceiling samples go to `ceilingMs`.
 */
async function measure(
  runners: Map<Impl, Runner>,
  specOf: (impl: Impl) => CaseSpec,
  runs: number,
  log: (line: string) => void,
  ceilingMs: number[],
): Promise<Map<Impl, number[]>> {
  const a = tf.randomNormal([1024, 1024]);
  const b = tf.randomNormal([1024, 1024]);
  const samples = new Map<Impl, number[]>();
  for (const [impl, runner] of runners) {
    try {
      await runner.make(specOf(impl));
      await runner.run();
      samples.set(impl, []);
    } catch (error) {
      log(
        `  ${impl}: skipped (${String(error instanceof Error ? error.message : error).split('\n')[0]})`,
      );
      await runner.dispose().catch(() => {});
    }
  }
  for (let r = 0; r < runs; r++) {
    for (const [impl, times] of samples) times.push(await (runners.get(impl) as Runner).run());
    ceilingMs.push(await matmulOnce(a, b));
  }
  for (const impl of samples.keys()) await (runners.get(impl) as Runner).dispose();
  tf.dispose([a, b]);
  return samples;
}

/** Keeps the rows of an earlier run that this run did not redo (another cell or size). */
function mergeRows(file: string, rows: ResultRow[]): ResultRow[] {
  if (!existsSync(file)) return rows;
  const key = (r: ResultRow) => [r.impl, r.cell, r.size, r.phase].join('/');
  const fresh = new Set(rows.map(key));
  const old = JSON.parse(readFileSync(file, 'utf8')) as ResultRow[];
  return [...old.filter((r) => !fresh.has(key(r))), ...rows];
}

const suite: Suite = {
  describe:
    'LSTM/GRU train and inference, seqzoo vs tf.layers (stock, and with our kernels), + generation (--cell lstm,gru --size S,M --backend wasm --runs 5 --phase train,infer --gen on --torch off)',
  async run(argv) {
    const flags = parseFlags(argv, {
      cell: 'lstm,gru',
      size: 'S,M',
      backend: 'wasm',
      runs: '5',
      phase: 'train,infer',
      impl: IMPLS.join(','),
      gen: 'on',
      torch: 'off',
    });
    const backend = flags.backend;
    const runs = Number(flags.runs);
    const cells = flags.cell.split(',') as Cell[];
    const sizes = flags.size.split(',') as SizeName[];
    const phases = flags.phase.split(',') as Phase[];
    const impls = flags.impl.split(',') as Impl[];
    for (const c of cells)
      if (c !== 'lstm' && c !== 'gru') throw new Error(`--cell: lstm or gru, got '${c}'`);
    for (const s of sizes) if (!(s in SIZES)) throw new Error(`--size: S or M, got '${s}'`);
    const log = (line: string) => console.log(line);

    await useBackend(backend as BackendName); // our kernels on (the default) in this process
    const runners = new Map<Impl, Runner>();
    for (const impl of impls) {
      runners.set(
        impl,
        impl === 'tfjs-layers'
          ? await RemoteRunner.start({ backend, kernels: false }, 'tfjs-layers')
          : new LocalRunner(),
      );
    }
    const ceiling = await matmulGflops(1024, 5);
    log(
      `${backend}: 1024³ matMul ${ceiling.gflops.toFixed(1)} GFLOP/s (the ceiling, before the runs)`,
    );
    const ceilingMs: number[] = [];
    const rows: ResultRow[] = [];
    const groupCeiling = (from: number) =>
      gflops(MATMUL_FLOPS, summarize(ceilingMs.slice(from)).medianMs);

    for (const cell of cells) {
      for (const size of sizes) {
        for (const phase of phases) {
          log(`${cell} ${size} ${phase}: ${runs} interleaved runs…`);
          const flops = phaseFlops(cell, SIZES[size], phase);
          const from = ceilingMs.length;
          const samples = await measure(
            runners,
            (impl) => ({ impl, cell, size, phase }),
            runs,
            log,
            ceilingMs,
          );
          const matmulGflopsHere = groupCeiling(from);
          for (const [impl, times] of samples) {
            const { medianMs, minMs } = summarize(times);
            rows.push({
              cell,
              size,
              backend,
              impl,
              phase,
              medianMs,
              minMs,
              gflops: gflops(flops, medianMs),
              matmulGflops: matmulGflopsHere,
            });
          }
        }
      }
    }
    if (flags.gen === 'on') {
      log(
        `generation (${GEN.layers}-layer ${GEN.hiddenSize}-unit LSTM, batch 1, ${GEN.tokens} tokens a run)…`,
      );
      const from = ceilingMs.length;
      const samples = await measure(
        runners,
        (impl) => ({ impl, phase: 'generate' }),
        runs,
        log,
        ceilingMs,
      );
      const matmulGflopsHere = groupCeiling(from);
      for (const [impl, times] of samples) {
        const { medianMs, minMs } = summarize(times.map((t) => t / GEN.tokens));
        rows.push({
          cell: 'lstm',
          backend,
          impl,
          phase: 'generate',
          medianMs,
          minMs,
          gflops: gflops(genFlopsPerToken(), medianMs),
          matmulGflops: matmulGflopsHere,
        });
      }
    }
    for (const r of runners.values()) if (r instanceof RemoteRunner) await r.close();
    if (flags.torch === 'on') {
      const blas = torchBlas();
      log(`PyTorch (${blas}), its own process, ${runs} runs…`);
      for (const t of torchRows(cells, sizes, phases, runs)) {
        const flops = phaseFlops(t.cell, SIZES[t.size], t.phase);
        rows.push({
          ...t,
          backend,
          impl: 'pytorch',
          gflops: gflops(flops, t.medianMs),
          note: `PyTorch ${blas}, CPU`,
        });
      }
    }

    // The ceiling row: the median of every matMul sampled between the runs.
    const overall = ceilingMs.length ? groupCeiling(0) : ceiling.gflops;
    rows.unshift({ backend, impl: 'matmul', gflops: overall });
    console.log(`\n${formatTable(rows, overall)}`);
    const file = join(resultsDir, `rnn-${backend}.json`);
    writeResults(`rnn-${backend}`, mergeRows(file, rows));
    console.log(`\nwrote ${file}`);
  },
};
export default suite;
