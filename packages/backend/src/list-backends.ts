import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError } from './errors';
import type { BackendInfo } from './info';
import { BACKENDS, type ConcreteBackend } from './names';
import type { UseBackendOptions } from './options';
import { currentPlatform } from './platform';
import { SPECS } from './specs';
import { NODE_WEBGPU_NOT_PROBED, useBackend } from './use-backend';

/** One row of `listBackends()`: whether a backend works here, what it is, or why not. */
export interface BackendStatus {
  backend: ConcreteBackend;
  /** The npm package that provides it. */
  packageName: string;
  available: boolean;
  /** When available: what it is (device, adapter, precision). */
  info?: BackendInfo;
  /** When not: why, and what to do. */
  reason?: string;
  hint?: string;
}

/**
 * Tries every backend here and says which can run and why the others cannot. It starts each one
 * for real (a backend is only "available" if it computes), then puts the previous backend back.
 * In Node, webgpu is probed only with `{ probeWebgpu: true }` (Dawn writes to stderr while
 * probing); otherwise its row says so.
 */
export async function listBackends(
  options: UseBackendOptions & { probeWebgpu?: boolean } = {},
): Promise<BackendStatus[]> {
  const previous = (tf.engine() as unknown as { backendName: string | null }).backendName;
  const rows: BackendStatus[] = [];
  for (const backend of BACKENDS) {
    const packageName = SPECS[backend].packageName;
    if (backend === 'webgpu' && currentPlatform() === 'node' && !options.probeWebgpu) {
      rows.push({
        backend,
        packageName,
        available: false,
        reason: NODE_WEBGPU_NOT_PROBED,
        hint: "Ask for it by name: useBackend('webgpu') or --backend webgpu.",
      });
      continue;
    }
    try {
      const info = await useBackend(backend, options);
      rows.push({ backend, packageName, available: true, info });
    } catch (error) {
      if (!(error instanceof BackendUnavailableError)) throw error;
      rows.push({ backend, packageName, available: false, reason: error.reason, hint: error.hint });
    }
  }
  if (previous) await tf.setBackend(previous);
  return rows;
}
