import * as tf from '@tensorflow/tfjs-core';
import { rememberBackend } from './current-backend';
import { BackendOptionError, BackendUnavailableError, UnknownBackendError } from './errors';
import type { BackendInfo } from './info';
import { BACKENDS, type BackendName, type ConcreteBackend, isBackendName } from './names';
import type { UseBackendOptions } from './options';
import { currentPlatform } from './platform';
import { keepingProcessHandlers } from './process-listeners';
import { SPECS } from './specs';

/**
 * Makes `name` the active tfjs backend and returns what is really in use. Rejects with
 * `BackendUnavailableError` (never a silent fallback) when it cannot run here; `'auto'` picks the
 * fastest that starts (cuda > webgpu > webgl > tensorflow > wasm > cpu, software GPUs skipped)
 * and says why in `reason`.
 */
export async function useBackend(
  name: BackendName = 'auto',
  options: UseBackendOptions = {},
): Promise<BackendInfo> {
  if (!isBackendName(name)) throw new UnknownBackendError(name, ['auto', ...BACKENDS]);
  if (name !== 'auto')
    return rememberBackend(await activate(name, { allowSoftwareGpu: true, ...options }));

  const skipped: string[] = [];
  for (const candidate of BACKENDS) {
    if (candidate === 'webgpu' && currentPlatform() === 'node') {
      skipped.push(`webgpu: ${NODE_WEBGPU_NOT_PROBED}`);
      continue;
    }
    try {
      const info = await activate(candidate, { allowSoftwareGpu: false, ...options });
      const why = skipped.length ? ` (faster ones unavailable: ${skipped.join('; ')})` : '';
      return rememberBackend({
        ...info,
        reason: `picked ${candidate}, the fastest backend that started${why}`,
      });
    } catch (error) {
      if (!(error instanceof BackendUnavailableError)) throw error;
      skipped.push(`${candidate}: ${error.reason}`);
    }
  }
  throw new BackendUnavailableError(
    'auto',
    `no backend could start (${skipped.join('; ')})`,
    'Install @tensorflow/tfjs-backend-wasm or @tensorflow/tfjs-backend-cpu.',
  );
}

/**
 * Dawn (the `webgpu` package) writes driver warnings straight to stderr while it looks for an
 * adapter, which no JavaScript can silence; so in Node only a request by name probes webgpu.
 */
export const NODE_WEBGPU_NOT_PROBED =
  "not probed in Node unless asked for by name (useBackend('webgpu'); its native driver writes to stderr while probing)";

/** The tfjs backend currently set, without making tfjs pick one as `tf.getBackend()` would. */
function currentTfjsBackend(): string | null {
  return (tf.engine() as unknown as { backendName: string | null }).backendName ?? null;
}

async function activate(
  backend: ConcreteBackend,
  options: UseBackendOptions,
): Promise<BackendInfo> {
  const spec = SPECS[backend];
  const platform = currentPlatform();
  if (!spec.platforms.includes(platform)) {
    const where = spec.platforms.join(' or ');
    throw new BackendUnavailableError(
      backend,
      `it runs in ${where} only, and this is ${platform}`,
      platform === 'node'
        ? "In Node use 'wasm' or 'cpu' (or 'tensorflow'/'cuda' with @tensorflow/tfjs-node[-gpu])."
        : "In the browser use 'webgl', 'webgpu', 'wasm' or 'cpu'.",
    );
  }

  await keepingProcessHandlers(() => spec.load(options));
  if (!tf.findBackendFactory(spec.tfjsName)) {
    throw new BackendUnavailableError(
      backend,
      `${spec.packageName} loaded but registered no '${spec.tfjsName}' backend on this copy of @tensorflow/tfjs-core`,
      `Make sure the app has one copy of @tensorflow/tfjs-core (npm ls @tensorflow/tfjs-core) at the version ${spec.packageName} expects.`,
    );
  }

  const previous = currentTfjsBackend();
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
  let started = false;
  try {
    const init = () => keepingProcessHandlers(() => tf.setBackend(spec.tfjsName));
    started = await (spec.start ? spec.start(options, init) : init());
  } catch (error) {
    // A spec's own typed errors (wasm threads unavailable) go out as they are.
    if (error instanceof BackendUnavailableError || error instanceof BackendOptionError)
      throw error;
    warnings.push(error instanceof Error ? error.message : String(error));
  } finally {
    console.warn = warn;
  }
  if (!started) {
    const detail = warnings.find((w) => !w.startsWith('Initialization of backend')) ?? 'no detail';
    throw new BackendUnavailableError(
      backend,
      `initialisation failed (${detail.split('\n')[0]})`,
      spec.initHint,
    );
  }

  try {
    const details = (await spec.verify?.(options)) ?? {};
    if (details.softwareGpu && !options.allowSoftwareGpu) {
      throw new BackendUnavailableError(
        backend,
        `the only adapter is a software renderer (${details.adapter}), slower than wasm`,
        `Ask for '${backend}' by name to use it anyway.`,
      );
    }
    await smokeTest(backend);
    return {
      backend,
      name: spec.tfjsName,
      device: spec.device,
      platform,
      floatPrecision: tf.backend().floatPrecision() as 16 | 32,
      ...details,
    };
  } catch (error) {
    await restore(spec.tfjsName, previous, backend === 'cuda');
    throw error;
  }
}

/** One real computation, read back: a backend that cannot do this is not "available". */
async function smokeTest(backend: ConcreteBackend): Promise<void> {
  const y = tf.tidy(() =>
    tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([1, 0, 0, 1], [2, 2])),
  );
  const values = await y.data();
  y.dispose();
  if (Array.from(values).join(',') !== '1,2,3,4') {
    throw new BackendUnavailableError(
      backend,
      `a 2×2 matMul returned wrong values (${Array.from(values).join(',')})`,
      'The backend is broken here; report the adapter and driver, and use another backend.',
    );
  }
}

/** Puts the previous backend back after a failed check; a backend that lied (cuda on CPU) is removed. */
async function restore(tfjsName: string, previous: string | null, forget: boolean): Promise<void> {
  if (previous && previous !== tfjsName) {
    await tf.setBackend(previous);
    if (!forget) return;
  }
  // tfjs cannot unset a backend; removing it drops the instance (and the factory, which we put
  // back unless the backend lied about its device and must not be picked again).
  const factory = tf.findBackendFactory(tfjsName);
  tf.removeBackend(tfjsName);
  if (!forget && factory) tf.registerBackend(tfjsName, factory);
}
