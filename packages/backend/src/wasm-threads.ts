import * as tf from '@tensorflow/tfjs-core';
import { BackendOptionError, BackendUnavailableError } from './errors';
import { clearTransposeCache } from './kernels/transpose-cache';
import { currentPlatform } from './platform';
import { type AutoThreads, autoThreads, MAX_WASM_THREADS } from './wasm-threads-auto';
import { startThreadedWasmInNode } from './wasm-threads-node';

/** `threads` of `useBackend('wasm', { threads })`: a count, or `'auto'` (see `autoThreads`). */
export type WasmThreads = number | 'auto';

export { MAX_WASM_THREADS };

/** Environment variable (Node) read when `threads` is not given: `1`…`8` or `auto`. */
export const WASM_THREADS_ENV = 'SEQZOO_WASM_THREADS';

/** What seqzoo uses of the tfjs-backend-wasm module. */
export interface WasmPackage {
  setThreadsCount(n: number): void;
  getThreadsCount(): number;
}

/** Checks a `threads` value; `from` names where it came from, for the error. */
export function parseThreads(value: unknown, from = 'threads'): WasmThreads {
  const text = typeof value === 'string' ? value.trim() : undefined;
  if (value === 'auto' || text === 'auto') return 'auto';
  const v = text === undefined ? value : text === '' ? Number.NaN : Number(text);
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_WASM_THREADS) return v;
  throw new BackendOptionError(
    from,
    value,
    `Use a whole number from 1 to ${MAX_WASM_THREADS} (tfjs-backend-wasm's threaded build runs at most ${MAX_WASM_THREADS}), or 'auto'.`,
  );
}

/** `SEQZOO_WASM_THREADS` in Node, checked; undefined when unset. */
export function threadsFromEnv(): WasmThreads | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  const raw = env?.[WASM_THREADS_ENV];
  if (raw === undefined || raw === '') return undefined;
  return parseThreads(raw, WASM_THREADS_ENV);
}

type Registry = {
  registry: Record<string, unknown>;
  registryFactory: Record<string, { factory: () => unknown; priority: number }>;
};

/** The thread count of the wasm backend tfjs has started, or null when it has not started. */
export function runningWasmThreads(pkg: WasmPackage): number | null {
  if (!(tf.engine() as unknown as Registry).registry.wasm) return null;
  try {
    return pkg.getThreadsCount();
  } catch {
    return null;
  }
}

/** Why the last `threads: 'auto'` chose its count (undefined when the count was not 'auto'). */
let lastAuto: AutoThreads | undefined;

/**
 * Starts the wasm backend (`init` is `tf.setBackend('wasm')`) with the threads asked for:
 * `options.threads`, else `SEQZOO_WASM_THREADS`, else a running backend is kept as it is, else 1.
 * A backend already running with another count is disposed and started again (refused, with
 * `BackendUnavailableError`, while it holds tensors: they would be lost).
 */
export async function startWasm(
  pkg: WasmPackage,
  threadsOption: WasmThreads | undefined,
  init: () => Promise<boolean>,
): Promise<boolean> {
  const asked = threadsOption === undefined ? threadsFromEnv() : parseThreads(threadsOption);
  const running = runningWasmThreads(pkg);
  if (asked === undefined && running !== null) return init();
  lastAuto = asked === 'auto' ? await autoThreads() : undefined;
  const threads = lastAuto ? lastAuto.threads : typeof asked === 'number' ? asked : 1; // 1: the default
  if (running === threads) return init();
  if (threads > 1) checkThreadsSupported(currentPlatform(), globalThis);
  if (running !== null) restartWasm(running, threads);

  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threads > 1);
  pkg.setThreadsCount(threads);
  if (threads === 1) return init();
  if (currentPlatform() === 'node') return startThreadedWasmInNode(threads, init);
  return withHardwareConcurrency(threads, init);
}

/** After start: the count really running; a typed error when it is not the count asked for. */
export function checkThreadsStarted(
  pkg: WasmPackage,
  threadsOption: WasmThreads | undefined,
): { threads: number; threadsReason?: string } {
  const actual = pkg.getThreadsCount();
  const asked = threadsOption === undefined ? threadsFromEnv() : parseThreads(threadsOption);
  if (typeof asked === 'number' && actual !== asked) {
    throw new BackendUnavailableError(
      'wasm',
      `${asked} threads were asked for but the backend started with ${actual}`,
      'Use threads: 1, or report this platform and the tfjs-backend-wasm version to seqzoo.',
    );
  }
  if (asked === 'auto' && lastAuto)
    return { threads: actual, threadsReason: `auto: ${lastAuto.why}` };
  return { threads: actual };
}

function restartWasm(running: number, threads: number): void {
  const engine = tf.engine() as unknown as Registry;
  clearTransposeCache();
  const held = (engine.registry.wasm as { numDataIds(): number }).numDataIds();
  if (held > 0) {
    throw new BackendUnavailableError(
      'wasm',
      `it already runs with ${running} thread(s) and holds ${held} tensor(s); the thread count is fixed when the backend starts, and starting it again would lose them`,
      `Ask for { threads: ${threads} } before making tensors on wasm, or dispose them first (or keep ${running}).`,
    );
  }
  const { factory, priority } = engine.registryFactory.wasm;
  tf.removeBackend('wasm'); // disposes the backend: tfjs terminates its pthread workers
  tf.registerBackend('wasm', factory as () => tf.KernelBackend, priority);
}

/** The threaded build's requirements: shared memory and wasm threads (cross-origin isolation in a browser). */
export function checkThreadsSupported(
  platform: 'node' | 'browser',
  globals: { crossOriginIsolated?: boolean; SharedArrayBuffer?: unknown },
): void {
  const g = globals;
  const browser = platform === 'browser';
  if (browser && g.crossOriginIsolated !== true) {
    throw new BackendUnavailableError(
      'wasm',
      'threads need SharedArrayBuffer, which a page has only when it is cross-origin isolated (this one is not)',
      'Serve the page with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp (Vite: server.headers), or use threads: 1.',
    );
  }
  if (typeof g.SharedArrayBuffer !== 'function' || !WebAssembly.validate(THREADS_PROBE)) {
    throw new BackendUnavailableError(
      'wasm',
      'threads need SharedArrayBuffer and WebAssembly threads, which this runtime lacks',
      browser
        ? 'Use a browser with WebAssembly threads (Chrome 74+, Firefox 79+, Safari 14.1+), or threads: 1.'
        : 'Use Node 20 or later (without --no-harmony-sharedarraybuffer), or threads: 1.',
    );
  }
}

/** A WebAssembly module with a shared memory and an atomic load (wasm-feature-detect's threads probe). */
const THREADS_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 4, 1, 3, 1, 1, 10, 11, 1, 9, 0, 65,
  0, 254, 16, 2, 0, 26, 11,
]);

/**
 * In a browser the C++ side caps the pool at `navigator.hardwareConcurrency / 2`: report at least
 * `2 × threads` while the backend starts.
 */
async function withHardwareConcurrency<T>(threads: number, init: () => Promise<T>): Promise<T> {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (!nav) return init();
  const real = nav.hardwareConcurrency ?? 1;
  Object.defineProperty(nav, 'hardwareConcurrency', {
    configurable: true,
    get: () => Math.max(real, 2 * threads),
  });
  try {
    return await init();
  } finally {
    delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}
