import { type BackendStatus, listBackends, useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { formatTable } from '../table';

export interface BackendRow extends BackendStatus {
  /** With --bench: median ms of a 512×512 by 512×512 matMul. */
  matmulMs?: number;
}

/** Median wall time of an n×n matMul on the current backend, after one warm-up. */
export async function matmulMs(n = 512, runs = 5): Promise<number> {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now();
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
    if (i > 0) times.push(performance.now() - t0);
  }
  tf.dispose([a, b]);
  times.sort((x, y) => x - y);
  return times[Math.floor(times.length / 2)];
}

/** `seqzoo backends`: lists the backends and, with `bench`, times a matMul on each available one. */
export async function backendsCommand(options: { bench?: boolean }): Promise<BackendRow[]> {
  const rows: BackendRow[] = await listBackends();
  if (options.bench) {
    for (const row of rows) {
      if (!row.available) continue;
      await useBackend(row.backend);
      row.matmulMs = await matmulMs();
    }
  }
  return rows;
}

/** The backends as a table for the terminal. */
export function formatBackends(rows: BackendRow[], bench: boolean): string {
  const header = ['backend', 'available', 'device', 'details'];
  if (bench) header.splice(3, 0, '512² matMul');
  const body = rows.map((r) => {
    const details = r.available
      ? [r.info?.adapter, `float${r.info?.floatPrecision}`].filter(Boolean).join(', ')
      : `${r.reason}. ${r.hint}`;
    const cells = [
      r.backend,
      r.available ? 'yes' : 'no',
      r.available ? (r.info?.device ?? '') : '',
      details,
    ];
    if (bench) cells.splice(3, 0, r.matmulMs === undefined ? '-' : `${r.matmulMs.toFixed(1)} ms`);
    return cells;
  });
  return formatTable(header, body);
}
