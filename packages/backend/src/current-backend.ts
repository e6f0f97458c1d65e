import * as tf from '@tensorflow/tfjs-core';
import type { BackendInfo } from './info';
import { BACKENDS, type ConcreteBackend } from './names';
import { currentPlatform } from './platform';
import { SPECS } from './specs';

let last: BackendInfo | null = null;

/** Called by `useBackend` with what it activated. */
export function rememberBackend(info: BackendInfo): BackendInfo {
  last = info;
  return info;
}

/**
 * The backend tfjs is using now, or null when none is set yet — without making tfjs pick one
 * (as `tf.getBackend()` would). Models built by the registry use this unless told otherwise, so
 * building or loading a model never switches the app's backend behind its back.
 */
export function currentBackend(): BackendInfo | null {
  const name = (tf.engine() as unknown as { backendName: string | null }).backendName ?? null;
  if (!name) return null;
  if (last && last.name === name) return last;
  const backend = BACKENDS.find((b) => SPECS[b].tfjsName === name && b !== 'cuda') as
    | ConcreteBackend
    | undefined;
  if (!backend) return null;
  return {
    backend,
    name,
    device: SPECS[backend].device,
    platform: currentPlatform(),
    floatPrecision: tf.backend().floatPrecision() as 16 | 32,
    reason: `${name} was already active (set by the app with tf.setBackend)`,
  };
}
