import '../rnn/register-gradients';
import { availableParallelism, loadavg } from 'node:os';
import type { Suite } from '../main';
import type { Cell, Phase, SizeName } from '../rnn/config';
import { GEN } from '../rnn/generation';
import { RemoteRunner } from '../rnn/remote';
import type { CaseSpec } from '../rnn/runner';
import { summarize } from '../rnn/table';
import { parseFlags, writeResults } from '../util';
import { type WorkersRow, workersTable } from '../workers/table';
import { WORKER_WORKLOADS } from '../workers/workloads';

/** One row of bench/results/cores.json. */
export interface CoresRow {
  /** `lstm-M-train`, `generate`, … or `matmul`. */
  workload: string;
  threads: number;
  /** What was asked for (`auto` resolves to `threads`). */
  asked: number | 'auto';
  /** Per run; per token for `generate`. */
  medianMs: number;
  minMs: number;
  /** The first configuration's median over this one's (2 = twice as fast). */
  speedup: number;
  gflops?: number;
}

const DEFAULT_CASES = 'lstm-M-train,gru-M-train,lstm-S-train,lstm-M-infer,generate';

function specOf(workload: string): CaseSpec {
  if (workload === 'generate') return { impl: 'seqzoo', phase: 'generate' };
  const [cell, size, phase] = workload.split('-') as [Cell, SizeName, Phase];
  if (
    !['lstm', 'gru'].includes(cell) ||
    !['S', 'M'].includes(size) ||
    !['train', 'infer'].includes(phase)
  )
    throw new Error(`--cases: <lstm|gru>-<S|M>-<train|infer> or generate, got '${workload}'`);
  return { impl: 'seqzoo', cell, size, phase };
}

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0));

const suite: Suite = {
  describe:
    'wasm with 1 vs 2 threads side by side: LSTM/GRU training, inference, generation, matMul ceiling (--threads 1,2 --runs 5 --cases …); then data-parallel fitTask steps at threads × workers (--workers 1,2 --worker-steps 12 --worker-cases …; --workers 0 skips)',
  async run(argv) {
    const flags = parseFlags(argv, {
      threads: '1,2',
      runs: '5',
      cases: DEFAULT_CASES,
      n: '1024',
      workers: '1,2',
      'worker-steps': '12',
      'worker-cases': WORKER_WORKLOADS.join(','),
    });
    const configs = flags.threads.split(',').map((t) => (t === 'auto' ? 'auto' : Number(t)));
    const runs = Number(flags.runs);
    const n = Number(flags.n);
    const workloads = flags.cases.split(',');
    workloads.forEach(specOf);
    const log = (line: string) => console.log(line);
    const load = () =>
      loadavg()
        .map((l) => l.toFixed(2))
        .join(' ');
    log(`${availableParallelism()} cores; load average (1, 5, 15 min) at start: ${load()}`);

    // One child per thread count: a wasm backend's thread count is fixed when it starts.
    const runners: RemoteRunner[] = [];
    for (const threads of configs)
      runners.push(await RemoteRunner.start({ backend: 'wasm', threads }, `threads ${threads}`));
    const counts = runners.map((r) => r.info?.threads ?? 1);
    log(`children started: threads ${counts.join(', ')} (asked ${configs.join(', ')})`);

    const ceiling = runners.map(() => [] as number[]);
    const rows: CoresRow[] = [];
    const started = performance.now();
    for (const workload of workloads) {
      log(`${workload}: warm-up, then ${runs} interleaved rounds…`);
      const spec = specOf(workload);
      for (const r of runners) {
        await r.make(spec);
        await r.run();
      }
      const samples = runners.map(() => [] as number[]);
      for (let round = 0; round < runs; round++) {
        // Alternate who goes first, so that neither always follows the other's spinning threads.
        const order =
          round % 2 === 0 ? runners.map((_, i) => i) : runners.map((_, i) => i).reverse();
        for (const i of order) samples[i].push(await runners[i].run());
        for (const i of order) ceiling[i].push(await runners[i].matmul(n));
      }
      for (const r of runners) await r.dispose();
      const per = workload === 'generate' ? GEN.tokens : 1;
      const stats = samples.map((s) => summarize(s.map((t) => t / per)));
      for (let i = 0; i < runners.length; i++) {
        rows.push({
          workload,
          threads: counts[i],
          asked: configs[i],
          ...stats[i],
          speedup: stats[0].medianMs / stats[i].medianMs,
        });
      }
    }
    const ceilingStats = ceiling.map((s) => summarize(s));
    for (let i = 0; i < runners.length; i++) {
      rows.push({
        workload: 'matmul',
        threads: counts[i],
        asked: configs[i],
        ...ceilingStats[i],
        speedup: ceilingStats[0].medianMs / ceilingStats[i].medianMs,
        gflops: (2 * n ** 3) / (ceilingStats[i].medianMs * 1e6),
      });
    }
    for (const r of runners) await r.close();
    log(
      `done in ${((performance.now() - started) / 1000).toFixed(0)} s; load average at end: ${load()}\n`,
    );

    const heads = configs.map(
      (c, i) => `${c === 'auto' ? `auto (${counts[i]})` : c} thread${counts[i] > 1 ? 's' : ''}`,
    );
    const lines = [
      `| workload | ${heads.map((h) => `${h}: median (min) ms`).join(' | ')} | ${heads
        .slice(1)
        .map((h) => `${h} vs ${heads[0]}`)
        .join(' | ')} |`,
      `| -------- | ${heads.map(() => '---:').join(' | ')} | ${heads
        .slice(1)
        .map(() => '---:')
        .join(' | ')} |`,
    ];
    for (const workload of [...workloads, 'matmul']) {
      const mine = rows.filter((r) => r.workload === workload);
      const label =
        workload === 'generate'
          ? `generate (2×256 LSTM, batch 1), per token`
          : workload === 'matmul'
            ? `${n}³ matMul (ceiling, ${mine.map((r) => `${r.gflops?.toFixed(1)}`).join(' / ')} GFLOP/s)`
            : workload;
      lines.push(
        `| ${label} | ${mine.map((r) => `${fmt(r.medianMs)} (${fmt(r.minMs)})`).join(' | ')} | ${mine
          .slice(1)
          .map((r) => `${r.speedup.toFixed(2)}×`)
          .join(' | ')} |`,
      );
    }
    lines.push('', '"× vs": the first column\'s median over this one\'s (above 1: faster).');
    console.log(lines.join('\n'));
    const all: (CoresRow | WorkersRow)[] = [...rows];
    if (flags.workers !== '0') {
      const parallel = await workersTable({
        workloads: flags['worker-cases'].split(','),
        threads: configs.map((c) => (c === 'auto' ? 1 : c)),
        workers: flags.workers.split(',').map(Number),
        steps: Number(flags['worker-steps']),
        log,
      });
      all.push(...parallel.rows);
      console.log(`\n${parallel.markdown}`);
    }
    console.log(`\nwrote ${writeResults('cores', all)}`);
  },
};
export default suite;
