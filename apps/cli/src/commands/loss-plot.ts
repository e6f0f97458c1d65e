import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { type LossHistory, lossChart } from '@seqzoo/plot';

export type { LossHistory };

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

/**
 * The loss chart of @seqzoo/plot: each step's loss, the epoch means with a dot per epoch, the
 * validation loss where there is one, epoch marks, nice ticks, axis titles and a legend.
 */
export function lossSvg(h: LossHistory, options: { logY?: boolean } = {}): string {
  return lossChart(h, options);
}
