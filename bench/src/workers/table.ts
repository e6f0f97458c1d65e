import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** One row of the cores suite's data-parallel table (bench/results/cores.json, `kind: 'workers'`). */
export interface WorkersRow {
  kind: 'workers';
  workload: string;
  threads: number;
  workers: number;
  medianMs: number;
  minMs: number;
  /** The 1-thread, 1-worker median over this one's (2 = twice as fast). */
  speedup: number;
}

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

function runChild(
  workload: string,
  threads: number,
  workers: number,
  steps: number,
): Promise<{ medianMs: number; minMs: number; threads: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=@seqzoo/source',
        '--import',
        'tsx',
        CHILD,
        workload,
        String(threads),
        String(workers),
        String(steps),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('close', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line));
      else
        reject(
          new Error(`${workload} threads ${threads} workers ${workers}: exit ${code}\n${err}`),
        );
    });
  });
}

/**
 * Data-parallel training steps (`fitTask({ workers })`) at each threads × workers pair, each in
 * its own process, in two rounds of opposite order; a pair's better median of the two is kept.
 */
export async function workersTable(options: {
  workloads: string[];
  threads: number[];
  workers: number[];
  steps: number;
  log: (line: string) => void;
}): Promise<{ rows: WorkersRow[]; markdown: string }> {
  const pairs = options.threads.flatMap((t) => options.workers.map((w) => [t, w] as const));
  const rows: WorkersRow[] = [];
  for (const workload of options.workloads) {
    options.log(
      `${workload}: ${pairs.length} configurations × 2 rounds of ${options.steps} steps…`,
    );
    const best = pairs.map(() => ({ medianMs: Number.POSITIVE_INFINITY, minMs: 0, threads: 1 }));
    for (const round of [0, 1]) {
      const order = pairs.map((_, i) => i);
      if (round === 1) order.reverse();
      for (const i of order) {
        const r = await runChild(workload, pairs[i][0], pairs[i][1], options.steps);
        if (r.medianMs < best[i].medianMs) best[i] = r;
      }
    }
    for (let i = 0; i < pairs.length; i++) {
      rows.push({
        kind: 'workers',
        workload,
        threads: best[i].threads,
        workers: pairs[i][1],
        medianMs: best[i].medianMs,
        minMs: best[i].minMs,
        speedup: best[0].medianMs / best[i].medianMs,
      });
    }
  }
  const heads = pairs.map(
    ([t, w]) => `${t} thread${t > 1 ? 's' : ''} × ${w} worker${w > 1 ? 's' : ''}`,
  );
  const fmt = (ms: number) => ms.toFixed(0);
  const lines = [
    `| training step, ms median (min) | ${heads.join(' | ')} |`,
    `| --- | ${heads.map(() => '---:').join(' | ')} |`,
  ];
  for (const workload of options.workloads) {
    const mine = rows.filter((r) => r.workload === workload);
    lines.push(
      `| ${workload} | ${mine.map((r) => `${fmt(r.medianMs)} (${fmt(r.minMs)}) ${r.speedup.toFixed(2)}×`).join(' | ')} |`,
    );
  }
  lines.push(
    '',
    '"×": the 1 thread × 1 worker median over this one\'s (above 1: faster). Workers\' replicas run one wasm thread each.',
  );
  return { rows, markdown: lines.join('\n') };
}
