// Emscripten's Node glue (tfjs-backend-wasm) installs process-wide handlers when the module
// starts: one rethrows every uncaught exception from inside the handler, so Node prints a
// screen of minified glue code and exits 7 instead of showing the app's error; another aborts
// on any unhandled rejection. A library must not change how the app's own errors surface, so
// the handlers that starting a backend adds are removed again.
const EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

type Listener = (...args: unknown[]) => void;

/** Runs `start`, then removes the `uncaughtException`/`unhandledRejection` handlers it added. */
export async function keepingProcessHandlers<T>(start: () => Promise<T>): Promise<T> {
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  if (typeof proc?.listeners !== 'function') return start();
  const before = new Map(EVENTS.map((e) => [e, new Set(proc.listeners(e as never) as Listener[])]));
  try {
    return await start();
  } finally {
    for (const event of EVENTS) {
      for (const listener of proc.listeners(event as never) as Listener[]) {
        if (!before.get(event)?.has(listener)) proc.removeListener(event as never, listener);
      }
    }
  }
}
