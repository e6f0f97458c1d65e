import { BackendUnavailableError } from './errors';
import { importNodeBuiltin } from './import-package';

/**
 * Starts tfjs-backend-wasm's threaded SIMD build in Node, which tfjs 4.22 cannot do by itself
 * (tfjs issue #3830). `init` is the `tf.setBackend('wasm')` call; around it, and only for its
 * duration, three things of the emscripten glue are bent:
 *
 * 1. The glue starts each pthread worker with `new Worker(blobUrl)`, the blob holding the worker
 *    source embedded in the bundle. Node's `Worker` takes no `blob:` URL, so `globalThis.Worker`
 *    (which the glue sets to Node's own) reads as a subclass that runs the recorded source with
 *    `eval: true`: that source already has a Node branch (`worker_threads`, `parentPort`).
 * 2. The glue posts its main script to each worker as a `Blob` (`mainScriptUrlOrBlob`), which the
 *    worker would `importScripts` through an object URL. The subclass's `postMessage` sends the
 *    recorded text instead, after a prelude that defines what the bundle's script expects from its
 *    enclosing module (`require$$N`, `commonjsGlobal`, tslib helpers), and the worker's
 *    `importScripts` evaluates it.
 * 3. The C++ side caps the pool at `emscripten_num_logical_cores() / 2`, which in Node is
 *    `os.cpus().length / 2`; `os.cpus()` reports at least `2 × threads` entries meanwhile.
 *
 * Everything is put back when `init` settles. The pthread workers are then `unref`'d: they spin
 * or wait for work, and would otherwise keep the process alive after the app is done; they are
 * terminated by tfjs when the backend is disposed (`tf.removeBackend('wasm')`).
 */
export async function startThreadedWasmInNode<T>(
  threads: number,
  init: () => Promise<T>,
): Promise<T> {
  const { Worker: NodeWorker } = (await importNodeBuiltin(
    'worker_threads',
  )) as typeof import('node:worker_threads');
  const os = ((await importNodeBuiltin('os')) as { default: typeof import('node:os') }).default;

  const blobTexts = new WeakMap<Blob, string>();
  const urlTexts = new Map<string, string>();
  const created: import('node:worker_threads').Worker[] = [];
  let mainScript: string | undefined;
  // tfjs turns a failed init into `setBackend() === false` and a warning: keep our error to rethrow.
  let failure: unknown;
  const remember = <R>(f: () => R): R => {
    try {
      return f();
    } catch (error) {
      failure ??= error;
      throw error;
    }
  };

  const OriginalBlob = globalThis.Blob;
  class RecordingBlob extends OriginalBlob {
    constructor(parts?: BlobPart[], options?: BlobPropertyBag) {
      super(parts, options);
      if (!parts?.every((p) => typeof p === 'string')) return;
      const text = parts.join('');
      blobTexts.set(this, text);
      // The glue's main script; checked here, inside tfjs' init, so that a failure rejects it.
      if (text.startsWith(FACTORY_PREFIX)) mainScript = remember(() => mainScriptFor(text));
    }
  }
  const originalCreateObjectURL = URL.createObjectURL;
  const createObjectURL = (blob: Blob): string => {
    const url = originalCreateObjectURL.call(URL, blob);
    const text = blobTexts.get(blob);
    if (text !== undefined) urlTexts.set(url, text);
    return url;
  };

  class PthreadWorker extends NodeWorker {
    constructor(script: string | URL) {
      const source = urlTexts.get(String(script));
      if (source === undefined) {
        throw remember(() => {
          throw new BackendUnavailableError(
            'wasm',
            `threads: the threaded build asked for a worker script seqzoo did not see made (${String(script).slice(0, 60)})`,
            UNSUPPORTED_HINT,
          );
        });
      }
      // A plain script: none of the app's Node flags (`--input-type=module` would make it ESM).
      super(source + WORKER_IMPORT_SCRIPTS, { eval: true, execArgv: [] });
      URL.revokeObjectURL(String(script)); // read once: the blob can go
      created.push(this);
    }
    override postMessage(
      message: unknown,
      transfer?: readonly import('node:worker_threads').TransferListItem[],
    ): void {
      const m = message as { cmd?: string; urlOrBlob?: unknown } | null;
      if (m?.cmd === 'load' && typeof m.urlOrBlob !== 'string' && mainScript !== undefined) {
        super.postMessage({ ...m, urlOrBlob: mainScript }, transfer);
        return;
      }
      super.postMessage(message, transfer);
    }
  }

  const originalCpus = os.cpus;
  const hadWorker = Object.getOwnPropertyDescriptor(globalThis, 'Worker');
  globalThis.Blob = RecordingBlob as typeof Blob;
  URL.createObjectURL = createObjectURL;
  Object.defineProperty(globalThis, 'Worker', {
    configurable: true,
    get: () => PthreadWorker,
    set: () => {}, // the glue assigns Node's Worker here: keep ours
  });
  os.cpus = () => {
    const real = originalCpus.call(os);
    const wanted = Math.max(real.length, 2 * threads);
    return Array.from({ length: wanted }, (_, i) => real[i % Math.max(real.length, 1)]);
  };

  try {
    const result = await init();
    if (failure !== undefined) throw failure;
    return result;
  } catch (error) {
    for (const w of created) void w.terminate();
    throw error;
  } finally {
    globalThis.Blob = OriginalBlob;
    URL.createObjectURL = originalCreateObjectURL;
    if (hadWorker) Object.defineProperty(globalThis, 'Worker', hadWorker);
    else delete (globalThis as { Worker?: unknown }).Worker;
    os.cpus = originalCpus;
    for (const w of created) w.unref();
  }
}

const FACTORY_PREFIX = 'var WasmBackendModuleThreadedSimd';
const UNSUPPORTED_HINT =
  'Use threads: 1, or @tensorflow/tfjs-backend-wasm 4.22 (the version seqzoo checks its threads against).';

/** Appended to the glue's worker source: `importScripts` of a main script we sent as text. */
const MAIN_MARK = '//seqzoo: tfjs-backend-wasm threaded main script\n';
const WORKER_IMPORT_SCRIPTS = `
;(() => {
  const original = globalThis.importScripts;
  globalThis.importScripts = (f) =>
    typeof f === 'string' && f.startsWith(${JSON.stringify(MAIN_MARK)}) ? (0, eval)(f) : original(f);
})();`;

/**
 * The Node bundle of tfjs-backend-wasm 4.x (`dist/tf-backend-wasm.node.js`) names the Node modules
 * it requires `require$$0…` at its top level; its ESM build calls `require('…')` directly.
 */
export const BUNDLE_REQUIRES: Record<string, string> = {
  require$$0: 'fs',
  require$$1: 'path',
  require$$3: 'perf_hooks',
  require$$4: 'os',
};

/** The identifiers of the bundle's top level (outside the factory) that the factory's text uses. */
const PRELUDE_HELPERS = `
var commonjsGlobal = globalThis;
var _scriptDir;
function __values(o) {
  var s = typeof Symbol === 'function' && Symbol.iterator, m = s && o[s], i = 0;
  if (m) return m.call(o);
  if (o && typeof o.length === 'number') return { next: function () { if (o && i >= o.length) o = void 0; return { value: o && o[i++], done: !o }; } };
  throw new TypeError(s ? 'Object is not iterable.' : 'Symbol.iterator is not defined.');
}
function __read(o, n) {
  var out = [], it = __values(o), r;
  while ((n === void 0 || n-- > 0) && !(r = it.next()).done) out.push(r.value);
  return out;
}
function __spreadArray(to, from) { return to.concat(Array.prototype.slice.call(from)); }
`;

/** The script a pthread worker evaluates: a prelude, then the glue's factory (`var WasmBackendModuleThreadedSimd = …`). */
export function mainScriptFor(factoryText: string): string {
  const used = new Set(factoryText.match(/\brequire\$\$\d+\b/g) ?? []);
  const unknown = [...used].filter((name) => !(name in BUNDLE_REQUIRES));
  if (unknown.length > 0) {
    throw new BackendUnavailableError(
      'wasm',
      `threads: this build of tfjs-backend-wasm requires modules seqzoo does not know (${unknown.join(', ')})`,
      UNSUPPORTED_HINT,
    );
  }
  const requires = [...used].map(
    (name) => `var ${name} = require(${JSON.stringify(BUNDLE_REQUIRES[name])});`,
  );
  return `${MAIN_MARK}${requires.join('\n')}\n${PRELUDE_HELPERS}\n${factoryText}`;
}
