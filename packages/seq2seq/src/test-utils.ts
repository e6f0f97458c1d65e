import { readFileSync } from 'node:fs';
import type * as tf from '@tensorflow/tfjs-core';

/** The committed PyTorch goldens (goldens/goldens.json, made by goldens/make-goldens.py). */
export function loadGoldens(): any {
  return JSON.parse(readFileSync(new URL('../goldens/goldens.json', import.meta.url), 'utf8'));
}

/** Largest |a - b| relative to max(1, |b|) over two nested number arrays. */
export async function maxError(actual: tf.Tensor, expected: unknown): Promise<number> {
  const a = await actual.data();
  const b = (expected as number[]).flat(8 as 1) as number[];
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
}
