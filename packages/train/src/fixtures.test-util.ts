import { Dataset } from '@seqzoo/data';
import { ExampleMlp, mlpConfigSchema } from '@seqzoo/registry';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Batches stay plain arrays in the pipeline and become tensors inside the loss (under tf.tidy):
 * the data pipeline maps whole chunks ahead of use, so tensors made there would outlive a run
 * that stops mid-epoch.
 */
export interface Batch {
  x: number[][];
  y: number[];
}

export function tensorsOf(b: Batch): { x: tf.Tensor2D; y: tf.Tensor1D } {
  return { x: tf.tensor2d(b.x), y: tf.tensor1d(b.y, 'int32') };
}

/** A deterministic 3-class problem on 4 features: the label is the argmax of a fixed projection. */
export function items(n: number, salt = 0): { x: number[]; y: number }[] {
  const out: { x: number[]; y: number }[] = [];
  for (let i = 0; i < n; i++) {
    const x = [0, 1, 2, 3].map((k) => Math.sin(1.7 * (i + salt * 1000) + 2.3 * k * k + k));
    const s = [x[0] + x[1] - x[3], x[2] - x[0], x[3] - x[1] + 0.5 * x[2]];
    out.push({ x, y: s.indexOf(Math.max(...s)) });
  }
  return out;
}

const toBatch = (rows: { x: number[]; y: number }[]): Batch => ({
  x: rows.map((r) => r.x),
  y: rows.map((r) => r.y),
});

/** Shuffled (seeded, per epoch) batches of 8. */
export function trainData(n = 64, seed = 1): Dataset<Batch> {
  return Dataset.from(items(n)).shuffle(n, seed).batch(8).map(toBatch);
}

export function validationData(n = 32): Dataset<Batch> {
  return Dataset.from(items(n, 1)).batch(16).map(toBatch);
}

export function makeModel(seed = 0): ExampleMlp {
  return new ExampleMlp(
    mlpConfigSchema.parse({ inputSize: 4, hiddenSizes: [8], outputSize: 3, seed }),
  );
}
