import { importNodeBuiltin } from './import-package';
import { currentPlatform } from './platform';

/** tfjs-backend-wasm 4.22's threaded build runs at most this many threads (its C++ side caps it). */
export const MAX_WASM_THREADS = 8;

/** What `threads: 'auto'` resolved to, and why. */
export interface AutoThreads {
  threads: number;
  why: string;
}

/** What the rule looks at: the machine's logical cores and, in Node, its 1-minute load average. */
export interface MachineLoad {
  platform: 'node' | 'browser';
  cores: number;
  /** Runnable processes, averaged over the last minute (`os.loadavg()[0]`); null when unknown (Windows, browsers). */
  load1: number | null;
  /** Browsers: whether the page is cross-origin isolated (threads need it). */
  isolated?: boolean;
}

/**
 * The rule of `threads: 'auto'` (measured, see the README): threads only pay off on cores that are
 * idle, and a thread pool that shares its cores with other work is slower than one thread (2
 * threads next to a busy core: 0.2–0.65× the single thread's speed). So: the cores the load
 * average leaves idle, rounded, at most 8; one thread unless that is at least 2. Where the load
 * cannot be seen (Windows, browsers), one thread.
 */
export function chooseAutoThreads(m: MachineLoad): AutoThreads {
  if (m.platform === 'browser' && !m.isolated)
    return { threads: 1, why: 'the page is not cross-origin isolated' };
  if (m.load1 === null)
    return { threads: 1, why: `the load of the ${m.cores} cores cannot be seen here` };
  const idle = Math.round(m.cores - m.load1);
  if (idle < 2)
    return {
      threads: 1,
      why: `${Math.max(idle, 0)} of ${m.cores} cores idle (load average ${m.load1.toFixed(2)})`,
    };
  const threads = Math.min(MAX_WASM_THREADS, idle);
  return {
    threads,
    why: `${idle} of ${m.cores} cores idle (load average ${m.load1.toFixed(2)})${threads < idle ? `, at most ${MAX_WASM_THREADS}` : ''}`,
  };
}

/** This machine, now. */
export async function machineLoad(): Promise<MachineLoad> {
  if (currentPlatform() === 'browser') {
    const g = globalThis as {
      navigator?: { hardwareConcurrency?: number };
      crossOriginIsolated?: boolean;
    };
    return {
      platform: 'browser',
      cores: g.navigator?.hardwareConcurrency ?? 1,
      load1: null,
      isolated: g.crossOriginIsolated === true,
    };
  }
  const os = ((await importNodeBuiltin('os')) as { default: typeof import('node:os') }).default;
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  return { platform: 'node', cores, load1: os.platform() === 'win32' ? null : os.loadavg()[0] };
}

/** `threads: 'auto'` here and now. */
export async function autoThreads(): Promise<AutoThreads> {
  return chooseAutoThreads(await machineLoad());
}
