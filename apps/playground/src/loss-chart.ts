import { lineChart } from '@seqzoo/plot';

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
 * Redraws the loss chart in `box` with @seqzoo/plot's line chart (the one the CLI draws too):
 * each step's loss, light, and its mean over the last 10 steps (`polyline.trend`), nice ticks
 * covering the data, axis titles, a legend; log-y when `logY`. The losses are also left in
 * `data-losses` (JSON) for scripts and tests.
 */
export function drawLossChart(box: HTMLElement, losses: readonly number[], logY = false): void {
  box.dataset.losses = JSON.stringify(losses.map((l) => Number(l.toFixed(5))));
  const steps = losses.map((_, i) => i + 1);
  box.innerHTML = lineChart({
    title: losses.length
      ? `training loss: ${losses[losses.length - 1].toFixed(3)} at step ${losses.length}`
      : 'training loss (train to see it)',
    xLabel: 'step',
    yLabel: logY ? 'loss (log scale)' : 'loss',
    logY,
    legend: true,
    width: 640,
    height: 260,
    series: [
      { name: 'each step', x: steps, y: losses, color: '#9aa5b1', width: 1, className: 'steps' },
      {
        name: 'mean of the last 10',
        x: steps,
        y: smooth(losses),
        color: '#1f77b4',
        className: 'trend',
      },
    ],
  });
}
