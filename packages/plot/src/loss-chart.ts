import { lineChart, type Series } from './line-chart';

/** Training loss per step and mean loss per epoch, as `seqzoo train` keeps it in `loss.json`. */
export interface LossHistory {
  steps: number[];
  losses: number[];
  /** Per epoch: the step it ended at, its mean training loss and the validation loss, if any. */
  epochs: { step: number; loss: number; validation?: number }[];
}

/** Options of `lossChart`. */
export interface LossChartOptions {
  /** Log-scale y axis (default false). */
  logY?: boolean;
  title?: string;
  width?: number;
  height?: number;
}

/**
 * The loss chart of a training run: each step's loss (thin, light: `polyline.steps`), the mean
 * training loss of each epoch (dots: `polyline.epochs`, one `circle` per epoch) and the
 * validation loss (dashed, dots: `polyline.validation`) where there is one; a dotted mark at
 * each epoch's end (labelled when there are at most 12), nice ticks, axis titles, a legend.
 */
export function lossChart(h: LossHistory, options: LossChartOptions = {}): string {
  const valid = h.epochs.filter((e) => e.validation !== undefined && Number.isFinite(e.validation));
  const series: Series[] = [
    { name: 'each step', x: h.steps, y: h.losses, color: '#9aa5b1', width: 1, className: 'steps' },
    {
      name: 'training (epoch mean)',
      x: h.epochs.map((e) => e.step),
      y: h.epochs.map((e) => e.loss),
      color: '#1f77b4',
      dots: true,
      className: 'epochs',
    },
  ];
  if (valid.length) {
    series.push({
      name: 'validation',
      x: valid.map((e) => e.step),
      y: valid.map((e) => e.validation as number),
      color: '#ff7f0e',
      dashed: true,
      dots: true,
      className: 'validation',
    });
  }
  const labelled = h.epochs.length <= 12;
  return lineChart({
    title: options.title ?? 'training loss',
    xLabel: 'step',
    yLabel: options.logY ? 'loss (log scale)' : 'loss',
    series,
    logY: options.logY,
    legend: true,
    marks:
      h.epochs.length <= 60
        ? h.epochs.map((e, i) => ({ x: e.step, label: labelled ? `epoch ${i + 1}` : undefined }))
        : [],
    width: options.width,
    height: options.height,
  });
}
