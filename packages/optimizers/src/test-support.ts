// Helpers shared by the tests (not exported from the package).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { adagrad } from './adagrad';
import { adam, adamw } from './adam';
import type { Optimizer } from './optimizer';
import { rmsprop } from './rmsprop';
import { sgd } from './sgd';

const here = dirname(fileURLToPath(import.meta.url));

export function golden<T>(name: string): T {
  return JSON.parse(readFileSync(join(here, '..', 'goldens', name), 'utf8')) as T;
}

export const BACKENDS = ['cpu', 'wasm'] as const;

export interface OptimizerCase {
  name: string;
  type: 'sgd' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad';
  options: Record<string, unknown>;
  groups?: { params: string[]; options: Record<string, unknown> }[];
  skip?: Record<string, number[]>;
  params: Record<string, number[]>[];
}

const FACTORIES: Record<
  OptimizerCase['type'],
  (p: Map<string, tf.Variable>, o: any) => Optimizer<any>
> = {
  sgd,
  adam,
  adamw,
  rmsprop,
  adagrad,
};

export function makeOptimizer(c: OptimizerCase, params: Map<string, tf.Variable>): Optimizer {
  const groups = (c.groups ?? []).map((g) => ({ params: g.params, ...g.options }));
  return FACTORIES[c.type](params, { ...c.options, groups }) as unknown as Optimizer;
}

export function makeParams(
  shapes: Record<string, number[]>,
  init: Record<string, number[]>,
): Map<string, tf.Variable> {
  return new Map(
    Object.entries(shapes).map(([n, s]) => [n, tf.variable(tf.tensor(init[n], s, 'float32'))]),
  );
}

export function disposeAll(params: Map<string, tf.Tensor>): void {
  for (const p of params.values()) p.dispose();
}

/** Float32 tolerance used against the goldens: |ours − torch| ≤ REL·|torch| + ABS. */
export const REL = 1e-6;
export const ABS = 1e-7;

/** The largest violation ratio max(|a−b| / (rel·|b| + abs)); ≤ 1 passes. */
export function worstRatio(
  ours: ArrayLike<number>,
  theirs: readonly number[],
  rel = REL,
  abs = ABS,
): number {
  let worst = 0;
  for (let i = 0; i < theirs.length; i++) {
    const r = Math.abs(ours[i] - theirs[i]) / (rel * Math.abs(theirs[i]) + abs);
    if (!(r <= worst)) worst = Number.isNaN(r) ? Infinity : r;
  }
  return worst;
}
