import { svg } from './dom';

const W = 640;
const H = 220;
const PAD = { left: 44, right: 12, top: 12, bottom: 28 };

/** Mean of the last `window` values at each step: the trend through the per-step noise. */
export function smooth(values: readonly number[], window = 10): number[] {
  const out: number[] = [];
  let sum = 0;
  values.forEach((v, i) => {
    sum += v - (i >= window ? values[i - window] : 0);
    out.push(sum / Math.min(i + 1, window));
  });
  return out;
}

/**
 * Redraws the loss curve in `chart` (an `<svg>`): each step's loss in light grey, its mean over
 * the last 10 steps in blue, the y axis from the lowest to the highest loss. The losses are also left in
 * `data-losses` (JSON) for scripts and tests.
 */
export function drawLossChart(chart: SVGSVGElement, losses: readonly number[]): void {
  chart.dataset.losses = JSON.stringify(losses.map((l) => Number(l.toFixed(5))));
  chart.replaceChildren(svg('rect', { width: W, height: H, fill: '#fff' }));
  const x0 = PAD.left;
  const x1 = W - PAD.right;
  const y0 = H - PAD.bottom;
  const y1 = PAD.top;
  chart.append(
    svg('line', { x1: x0, y1: y0, x2: x1, y2: y0, stroke: '#999' }),
    svg('line', { x1: x0, y1: y0, x2: x0, y2: y1, stroke: '#999' }),
  );
  if (losses.length === 0) {
    chart.append(svg('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'loss per step'));
    return;
  }
  const lo = Math.min(...losses);
  const hi = Math.max(...losses);
  const span = hi - lo || 1;
  const steps = Math.max(losses.length - 1, 1);
  const px = (i: number) => x0 + ((x1 - x0) * i) / steps;
  const py = (v: number) => y0 - ((y0 - y1) * (v - lo)) / span;
  const points = (vs: readonly number[]) =>
    vs.map((v, i) => `${px(i).toFixed(1)},${py(v).toFixed(1)}`).join(' ');
  chart.append(
    svg('polyline', { points: points(losses), fill: 'none', stroke: '#bbb', 'stroke-width': 1 }),
    svg('polyline', {
      class: 'trend',
      points: points(smooth(losses)),
      fill: 'none',
      stroke: '#1f5fbf',
      'stroke-width': 2,
    }),
    svg('text', { x: x0 - 4, y: y1 + 10, 'text-anchor': 'end' }, hi.toFixed(2)),
    svg('text', { x: x0 - 4, y: y0, 'text-anchor': 'end' }, lo.toFixed(2)),
    svg('text', { x: x0, y: H - 8 }, 'step 1'),
    svg('text', { x: x1, y: H - 8, 'text-anchor': 'end' }, `step ${losses.length}`),
    svg(
      'text',
      { x: (x0 + x1) / 2, y: H - 8, 'text-anchor': 'middle' },
      `loss ${losses[losses.length - 1].toFixed(3)}`,
    ),
  );
}
