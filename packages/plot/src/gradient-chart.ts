import { SERIES_COLORS } from './colors';
import { lineChartBody } from './line-chart';
import { esc, svgOpen } from './svg';

/** One measured curve: ‖∂L/∂h_t‖ for t = 0 … length − 1 of one model at one length. */
export interface GradientCurve {
  /** Model name: 'rnn', 'gru', 'lstm' (shown upper-case) or any label. */
  cell: string;
  length: number;
  norms: readonly number[];
  /** Training steps the model had taken (shown in the panel title when > 0). */
  steps?: number;
}

/** Options of `gradientChart`. */
export interface GradientChartOptions {
  title?: string;
  /** Size of each panel (default 300 × 300). */
  panelWidth?: number;
  panelHeight?: number;
}

const NAMES: Record<string, string> = { rnn: 'RNN', gru: 'GRU', lstm: 'LSTM' };

/**
 * Gradient flow, small multiples: one panel per model (in the order first seen), side by side
 * with a shared log-scale y axis, ‖∂L/∂h_t‖ against the time step t, one line per sequence
 * length (colour by length, legend in each panel). Each panel is a `<g class="panel"
 * data-cell="…">`.
 */
export function gradientChart(
  curves: readonly GradientCurve[],
  options: GradientChartOptions = {},
): string {
  const cells = [...new Set(curves.map((c) => c.cell))];
  const lengths = [...new Set(curves.map((c) => c.length))].sort((a, b) => a - b);
  const pw = options.panelWidth ?? 300;
  const ph = options.panelHeight ?? 300;
  const positive = curves.flatMap((c) => c.norms.filter((v) => v > 0 && Number.isFinite(v)));
  const yDomain: [number, number] = positive.length
    ? [Math.min(...positive), Math.max(...positive)]
    : [1e-3, 1];
  const top = 30;
  const width = pw * cells.length;
  const height = ph + top;
  const title = options.title ?? 'gradient flow: ‖∂L/∂hₜ‖ for a loss at the last step (copy task)';
  const out = [
    svgOpen(width, height),
    `<text class="title" x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="600">${esc(title)}</text>`,
  ];
  cells.forEach((cell, k) => {
    const mine = curves.filter((c) => c.cell === cell);
    const steps = Math.max(0, ...mine.map((c) => c.steps ?? 0));
    const name = NAMES[cell] ?? cell;
    out.push(`<g class="panel" data-cell="${esc(cell)}">`);
    out.push(
      lineChartBody(
        {
          title: steps > 0 ? `${name} (after ${steps} steps)` : `${name} (fresh)`,
          xLabel: 'time step t',
          yLabel: k === 0 ? '‖∂L/∂hₜ‖ (log scale)' : undefined,
          logY: true,
          yDomain,
          legend: true,
          legendPosition: 'bottom-right',
          width: pw,
          height: ph,
          series: lengths
            .map((length, i) => ({ length, color: SERIES_COLORS[i % SERIES_COLORS.length] }))
            .flatMap(({ length, color }) =>
              mine
                .filter((c) => c.length === length)
                .map((c) => ({
                  name: `T = ${length}`,
                  x: c.norms.map((_, t) => t),
                  y: c.norms,
                  color,
                  className: `series length-${length}`,
                })),
            ),
        },
        pw * k,
        top,
      ),
    );
    out.push('</g>');
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
