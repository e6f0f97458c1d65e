import type { ResultRow } from './config';

export function summarize(samples: number[]): { medianMs: number; minMs: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { medianMs: sorted[Math.floor(sorted.length / 2)], minMs: sorted[0] };
}

/**
 * A markdown table: time, ratio against stock tfjs-layers in the same group (its time over ours:
 * "10×" means ten times faster), GFLOP/s and their share of the matMul ceiling (the one sampled
 * between the runs of the same group when there is one).
 */
export function formatTable(rows: ResultRow[], ceiling: number): string {
  const lines = [
    '| cell | size | phase | impl | median ms | min ms | × vs tfjs-layers | GFLOP/s | % of matMul |',
    '| ---- | ---- | ----- | ---- | --------: | -----: | ---------------: | ------: | ----------: |',
  ];
  const group = (r: ResultRow) => [r.cell, r.size, r.phase].join('/');
  for (const r of rows) {
    if (r.impl === 'matmul' || r.medianMs === undefined) continue;
    const stock = rows.find((s) => s.impl === 'tfjs-layers' && group(s) === group(r));
    const ratio = stock?.medianMs ? `${(stock.medianMs / r.medianMs).toFixed(2)}×` : '–';
    const g = r.gflops ?? 0;
    const roof = r.matmulGflops ?? ceiling;
    lines.push(
      `| ${r.cell ?? ''} | ${r.size ?? (r.phase === 'generate' ? '2×256' : '')} | ${r.phase} | ${r.impl} | ${r.medianMs.toFixed(r.medianMs < 10 ? 2 : 0)} | ${(r.minMs ?? 0).toFixed(r.medianMs < 10 ? 2 : 0)} | ${ratio} | ${g.toFixed(2)} | ${((100 * g) / roof).toFixed(0)} % |`,
    );
  }
  lines.push(
    '',
    `matMul ceiling (1024³, median of the samples taken between the runs): ${ceiling.toFixed(1)} GFLOP/s; "% of matMul" uses the samples of each row's own group`,
  );
  return lines.join('\n');
}
