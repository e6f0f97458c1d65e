import { existsSync, readFileSync } from 'node:fs';
import '../rnn/register-gradients';
import { join } from 'node:path';
import { useBackend } from '@seqzoo/backend';
import type { Suite } from '../main';
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
import { parseFlags, resultsDir, writeResults } from '../util';
import { matmulGflops } from './matmul';

const IMPLS: Impl[] = ['seqzoo', 'tfjs-layers', 'tfjs-layers+kernels'];

/**
 * Builds one case per implementation, warms each up once, then times `runs` rounds in which every
 * implementation runs once (interleaved, so that load on the machine hits all alike).
 */
async function measure(
  runners: Map<Impl, Runner>,
  specOf: (impl: Impl) => CaseSpec,
  runs: number,
  log: (line: string) => void,
): Promise<Map<Impl, number[]>> {
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
  }
  for (const impl of samples.keys()) await (runners.get(impl) as Runner).dispose();
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
    'LSTM/GRU train and inference, seqzoo vs tf.layers (stock, and with our kernels), + generation (--cell lstm,gru --size S,M --backend wasm --runs 5 --phase train,infer --gen on)',
  async run(argv) {
    const flags = parseFlags(argv, {
      cell: 'lstm,gru',
      size: 'S,M',
      backend: 'wasm',
      runs: '5',
      phase: 'train,infer',
      impl: IMPLS.join(','),
      gen: 'on',
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

    await useBackend(backend); // our kernels on (the default) in this process
    const runners = new Map<Impl, Runner>();
    for (const impl of impls) {
      runners.set(
        impl,
        impl === 'tfjs-layers' ? await RemoteRunner.start(backend, false) : new LocalRunner(),
      );
    }
    const ceiling = await matmulGflops(1024, 5);
    log(`${backend}: 1024³ matMul ${ceiling.gflops.toFixed(1)} GFLOP/s (the ceiling)`);
    const rows: ResultRow[] = [{ backend, impl: 'matmul', gflops: ceiling.gflops }];

    for (const cell of cells) {
      for (const size of sizes) {
        for (const phase of phases) {
          log(`${cell} ${size} ${phase}: ${runs} interleaved runs…`);
          const flops = phaseFlops(cell, SIZES[size], phase);
          const samples = await measure(
            runners,
            (impl) => ({ impl, cell, size, phase }),
            runs,
            log,
          );
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
            });
          }
        }
      }
    }
    if (flags.gen === 'on') {
      log(
        `generation (${GEN.layers}-layer ${GEN.hiddenSize}-unit LSTM, batch 1, ${GEN.tokens} tokens a run)…`,
      );
      const samples = await measure(runners, (impl) => ({ impl, phase: 'generate' }), runs, log);
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
        });
      }
    }
    for (const r of runners.values()) if (r instanceof RemoteRunner) await r.close();

    console.log(`\n${formatTable(rows, ceiling.gflops)}`);
    const file = join(resultsDir, `rnn-${backend}.json`);
    writeResults(`rnn-${backend}`, mergeRows(file, rows));
    console.log(`\nwrote ${file}`);
  },
};
export default suite;
