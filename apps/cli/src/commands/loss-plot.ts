import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Training loss per step and mean loss per epoch, as `seqzoo train` keeps it in `<out>/loss.json`. */
export interface LossHistory {
  steps: number[];
  losses: number[];
  /** Per epoch: mean training loss and, with --valid-fraction, the validation loss. */
  epochs: { step: number; loss: number; validation?: number }[];
}

export async function readLossHistory(out: string, upToStep: number): Promise<LossHistory> {
  try {
    const h = JSON.parse(await readFile(join(out, 'loss.json'), 'utf8')) as LossHistory;
    const keep = h.steps.filter((s) => s <= upToStep).length;
    return {
      steps: h.steps.slice(0, keep),
      losses: h.losses.slice(0, keep),
      epochs: h.epochs.filter((e) => e.step <= upToStep),
    };
  } catch {
    return { steps: [], losses: [], epochs: [] };
  }
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

/** Writes `loss.json` and `loss.svg` into `out`. */
export async function writeLossFiles(out: string, h: LossHistory): Promise<void> {
  await writeAtomic(join(out, 'loss.json'), JSON.stringify(h));
  await writeAtomic(join(out, 'loss.svg'), lossSvg(h));
}

const W = 640;
const H = 360;
const M = { left: 56, right: 16, top: 24, bottom: 40 };

/**
 * An SVG line chart: the loss of each step (thin, grey), the mean loss of each epoch (blue,
 * with points) and the validation loss (orange, dashed) where there is one, steps on x, loss on y (from 0), ticks and labels on both axes.
 */
export function lossSvg(h: LossHistory): string {
  const maxStep = Math.max(1, ...h.steps);
  const finite = h.losses.filter(Number.isFinite);
  const valid = h.epochs.filter((e) => e.validation !== undefined) as {
    step: number;
    validation: number;
  }[];
  const maxLoss = niceCeil(
    Math.max(1e-6, ...finite, ...h.epochs.map((e) => e.loss), ...valid.map((e) => e.validation)),
  );
  const x = (s: number) => M.left + ((W - M.left - M.right) * s) / maxStep;
  const y = (l: number) => H - M.bottom - ((H - M.top - M.bottom) * l) / maxLoss;
  const pts = (xs: number[], ys: number[]) =>
    xs.map((s, i) => `${x(s).toFixed(1)},${y(ys[i]).toFixed(1)}`).join(' ');
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * maxLoss);
  const xTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * maxStep));
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="16" text-anchor="middle" font-size="13">training loss</text>`,
    `<line x1="${M.left}" y1="${H - M.bottom}" x2="${W - M.right}" y2="${H - M.bottom}" stroke="black"/>`,
    `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${H - M.bottom}" stroke="black"/>`,
    ...yTicks.map(
      (t) =>
        `<text x="${M.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${fmt(t)}</text>`,
    ),
    ...xTicks.map(
      (t) =>
        `<text x="${x(t).toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="middle">${t}</text>`,
    ),
    `<text x="${W / 2}" y="${H - 6}" text-anchor="middle">step</text>`,
    `<polyline class="steps" fill="none" stroke="#999" stroke-width="1" points="${pts(h.steps, h.losses)}"/>`,
    `<polyline class="epochs" fill="none" stroke="#1f6fd1" stroke-width="2" points="${pts(
      h.epochs.map((e) => e.step),
      h.epochs.map((e) => e.loss),
    )}"/>`,
    ...h.epochs.map(
      (e) =>
        `<circle cx="${x(e.step).toFixed(1)}" cy="${y(e.loss).toFixed(1)}" r="3" fill="#1f6fd1"/>`,
    ),
    `<polyline class="validation" fill="none" stroke="#d1501f" stroke-width="2" stroke-dasharray="5 3" points="${pts(
      valid.map((e) => e.step),
      valid.map((e) => e.validation),
    )}"/>`,
    `<text x="${W - M.right}" y="${M.top + 12}" text-anchor="end"><tspan fill="#999">— each step</tspan>  <tspan fill="#1f6fd1">— epoch mean</tspan>${valid.length ? '  <tspan fill="#d1501f">- - validation</tspan>' : ''}</text>`,
    '</svg>',
  ];
  return `${parts.join('\n')}\n`;
}

function niceCeil(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function fmt(v: number): string {
  return v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toPrecision(2);
}
