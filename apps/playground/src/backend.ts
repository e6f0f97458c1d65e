import { type BackendInfo, useBackend } from '@seqzoo/backend';
import { wasmPaths } from './wasm-paths';

/** The backends the page offers (the browser ones). */
export const PAGE_BACKENDS = ['webgl', 'webgpu', 'wasm', 'cpu'] as const;
export type PageBackend = (typeof PAGE_BACKENDS)[number];

/** Activates `name` (rejects with BackendUnavailableError when it cannot run here). */
export function activate(name: PageBackend): Promise<BackendInfo> {
  return useBackend(name, name === 'wasm' ? { wasmPaths } : {});
}

/** One line for the header: what tfjs really runs on. */
export function describeBackend(info: BackendInfo): string {
  const parts = [`${info.name} (${info.device})`];
  if (info.adapter) parts.push(info.adapter);
  if (info.softwareGpu) parts.push('software GPU: slower than a real one');
  parts.push(`float${info.floatPrecision}`);
  return parts.join(' · ');
}
