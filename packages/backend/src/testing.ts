import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError } from './errors';
import type { BackendInfo } from './info';
import type { ConcreteBackend } from './names';
import type { UseBackendOptions } from './options';
import { useBackend } from './use-backend';

/** Thrown by `expectNoLeaks` when a block leaves tensors behind. */
export class TensorLeakError extends Error {
  override readonly name = 'TensorLeakError';
  constructor(
    readonly leaked: number,
    label: string,
  ) {
    super(
      `${label} leaked ${leaked} tensor(s): tf.memory().numTensors grew by ${leaked}. Wrap pure computation in tf.tidy and dispose what outlives it.`,
    );
  }
}

/**
 * Runs `block` and throws `TensorLeakError` if `tf.memory().numTensors` is not the same after it
 * as before it. Returns the block's result (which must then own no tensors, or they count).
 */
export async function expectNoLeaks<T>(
  block: () => T | Promise<T>,
  label = 'the block',
): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await block();
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) throw new TensorLeakError(leaked, label);
  return result;
}

/** The backends of `candidates` that start here (others are skipped, with their reasons). */
export async function availableBackends(
  candidates: readonly ConcreteBackend[],
  options: UseBackendOptions = {},
): Promise<{ available: ConcreteBackend[]; skipped: Record<string, string> }> {
  const available: ConcreteBackend[] = [];
  const skipped: Record<string, string> = {};
  for (const backend of candidates) {
    try {
      await useBackend(backend, options);
      available.push(backend);
    } catch (error) {
      if (!(error instanceof BackendUnavailableError)) throw error;
      skipped[backend] = error.reason;
    }
  }
  return { available, skipped };
}

/**
 * Runs `fn` once on each backend (switching to it first) and returns the results by backend, so
 * a test can compare them. A backend that cannot start throws: ask `availableBackends` first.
 */
export async function onEachBackend<T>(
  backends: readonly ConcreteBackend[],
  fn: (info: BackendInfo) => T | Promise<T>,
  options: UseBackendOptions = {},
): Promise<Map<ConcreteBackend, T>> {
  const results = new Map<ConcreteBackend, T>();
  for (const backend of backends) {
    const info = await useBackend(backend, options);
    results.set(backend, await fn(info));
  }
  return results;
}
