import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { BackendOptionError, BackendUnavailableError } from './errors';
import { useBackend } from './use-backend';
import { checkThreadsSupported, parseThreads, WASM_THREADS_ENV } from './wasm-threads';
import { chooseAutoThreads } from './wasm-threads-auto';
import { BUNDLE_REQUIRES, mainScriptFor } from './wasm-threads-node';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** A bit of everything a recurrent model does on wasm, forward and backward; values as arrays. */
function workload(): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.randomUniform([64, 12, 48], -1, 1, 'float32', 1);
    const w = tf.randomUniform([48, 4 * 96], -0.2, 0.2, 'float32', 2);
    const u = tf.randomUniform([96, 4 * 96], -0.2, 0.2, 'float32', 3);
    const table = tf.randomUniform([50, 48], -1, 1, 'float32', 4);
    const ids = tf.tensor1d([3, 7, 7, 49, 0, 12], 'int32');
    const big = tf.randomUniform([384, 512], -1, 1, 'float32', 5);
    const loss = (xs: tf.Tensor, wIh: tf.Tensor, wHh: tf.Tensor, emb: tf.Tensor) => {
      const proj = tf.reshape(tf.matMul(tf.reshape(xs, [64 * 12, 48]), wIh), [64, 12, 4 * 96]);
      let h = tf.zeros([64, 96]);
      let c = tf.zeros([64, 96]);
      for (const step of tf.unstack(proj, 1)) {
        const [i, f, g, o] = tf.split(tf.add(step, tf.matMul(h, wHh)), 4, 1);
        c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
        h = tf.mul(tf.sigmoid(o), tf.tanh(c));
      }
      const looked = tf.sum(tf.gather(emb, ids));
      return tf.add(tf.sum(tf.square(h)), looked) as tf.Scalar;
    };
    const grads = tf.grads(loss)([x, w, u, table]);
    return [
      loss(x, w, u, table),
      ...grads,
      tf.matMul(big, big, true, false), // [512, 512]: split across threads by XNNPACK
      tf.matMul(big, big, false, true),
    ].map((t) => Float32Array.from(t.dataSync()));
  });
}

function maxRelativeError(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / Math.max(scale, 1e-30);
}

/** Runs `code` (an ES module) in a fresh Node with seqzoo's sources; its exit code and output. */
function runChild(
  code: string,
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@seqzoo/source', '--import', 'tsx', '--input-type=module', '-e', code],
      { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL'); // only this child, started here
    }, timeoutMs);
    child.on('exit', (exitCode) => {
      clearTimeout(timer);
      done({ code: exitCode, stdout, stderr, timedOut });
    });
  });
}

afterAll(async () => {
  await useBackend('wasm', { threads: 1 });
});

describe('useBackend("wasm", { threads }) in Node', () => {
  it('computes the same bits as the single-threaded build, gradients included, with 2 threads', async () => {
    const one = await useBackend('wasm', { threads: 1 });
    expect(one.threads).toBe(1);
    const single = workload();

    const before = tf.memory().numTensors;
    const two = await useBackend('wasm', { threads: 2 });
    expect(two).toMatchObject({ backend: 'wasm', threads: 2 });
    const threaded = workload();
    expect(tf.memory().numTensors).toBe(before);

    // XNNPACK splits the work between threads, not the sums: the values are the same bits.
    expect(threaded.map((t) => t.length)).toEqual(single.map((t) => t.length));
    expect(threaded.map((t, i) => maxRelativeError(t, single[i]))).toEqual(single.map(() => 0));
    expect(threaded).toEqual(single);
  });

  it('keeps a running backend when threads is not given, and reports its count', async () => {
    await useBackend('wasm', { threads: 2 });
    expect((await useBackend('wasm')).threads).toBe(2);
    expect((await useBackend('cpu')).threads).toBeUndefined();
    expect((await useBackend('wasm')).threads).toBe(2);
  });

  it('refuses to restart with another count while the backend holds tensors (they would be lost)', async () => {
    await useBackend('wasm', { threads: 2 });
    const kept = tf.tensor1d([1, 2, 3]);
    const error = await useBackend('wasm', { threads: 1 }).catch((e) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(error.reason).toMatch(/runs with 2 thread\(s\) and holds 1 tensor/);
    expect(Array.from(await kept.data())).toEqual([1, 2, 3]); // untouched, still on 2 threads
    expect((await useBackend('wasm')).threads).toBe(2);
    kept.dispose();
    expect((await useBackend('wasm', { threads: 1 })).threads).toBe(1);
  });

  it('rejects a thread count it cannot run with a typed error naming the option', async () => {
    for (const bad of [0, -1, 2.5, 9, Number.NaN, 'many', '']) {
      const error = await useBackend('wasm', { threads: bad as number }).catch((e) => e);
      expect(error, String(bad)).toBeInstanceOf(BackendOptionError);
      expect(error.option).toBe('threads');
      expect(error.message).toMatch(/whole number from 1 to 8.*'auto'/);
    }
    expect(parseThreads('3', WASM_THREADS_ENV)).toBe(3);
    expect(parseThreads(' auto ', WASM_THREADS_ENV)).toBe('auto');
    expect(() => parseThreads('two', WASM_THREADS_ENV)).toThrow(
      /Invalid SEQZOO_WASM_THREADS: 'two'/,
    );
  });

  it('says what is missing when threads are unavailable (no SharedArrayBuffer; a page not cross-origin isolated)', () => {
    const node = () => checkThreadsSupported('node', {});
    expect(node).toThrow(BackendUnavailableError);
    expect(node).toThrow(/SharedArrayBuffer and WebAssembly threads/);
    const page = () =>
      checkThreadsSupported('browser', { SharedArrayBuffer, crossOriginIsolated: false });
    expect(page).toThrow(/cross-origin isolated.*Cross-Origin-Opener-Policy: same-origin/);
    expect(() => checkThreadsSupported('node', { SharedArrayBuffer })).not.toThrow();
  });

  it('leaves the backend as it was when threads are unavailable', async () => {
    await useBackend('wasm', { threads: 1 });
    const kept = tf.tensor1d([4, 5]);
    const sab = Object.getOwnPropertyDescriptor(globalThis, 'SharedArrayBuffer');
    delete (globalThis as { SharedArrayBuffer?: unknown }).SharedArrayBuffer;
    try {
      const error = await useBackend('wasm', { threads: 2 }).catch((e) => e);
      expect(error).toBeInstanceOf(BackendUnavailableError);
    } finally {
      Object.defineProperty(globalThis, 'SharedArrayBuffer', sab as PropertyDescriptor);
    }
    expect(tf.getBackend()).toBe('wasm');
    expect(Array.from(await kept.data())).toEqual([4, 5]); // not restarted
    kept.dispose();
  });

  it('leaks no worker: a process that computed on 2 threads exits by itself', async () => {
    const result = await runChild(`
      import * as tf from '@tensorflow/tfjs-core';
      import { useBackend } from '@seqzoo/backend';
      const info = await useBackend('wasm', { threads: 2 });
      const y = tf.matMul(tf.ones([256, 256]), tf.ones([256, 256]));
      console.log(JSON.stringify({ threads: info.threads, value: (await y.data())[0] }));
    `);
    expect(result.timedOut, result.stderr).toBe(false);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ threads: 2, value: 256 });
  });

  it('runs inside a Node worker thread too, which then ends by itself', async () => {
    const fixture = pathToFileURL(
      resolve(repoRoot, 'packages/backend/src/wasm-threads.worker-fixture.ts'),
    );
    // Worker threads do not inherit `--import tsx`: the worker registers it, then imports the fixture.
    const worker = new Worker(
      `import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(fixture.href)}, ${JSON.stringify(fixture.href)}));`,
      { eval: true },
    );
    const messages: unknown[] = [];
    worker.on('message', (m) => messages.push(m));
    const exitCode = await new Promise<number | 'timeout'>((done) => {
      const timer = setTimeout(() => {
        done('timeout');
        void worker.terminate(); // this worker only, started here
      }, 60_000);
      worker.on('exit', (code) => {
        clearTimeout(timer);
        done(code);
      });
    });
    expect(exitCode).toBe(0);
    expect(messages).toEqual([{ threads: 2, value: 300 }]);
  });

  it(`reads ${WASM_THREADS_ENV} when threads is not given, and an app error still surfaces as itself`, async () => {
    const result = await runChild(
      `
      import { useBackend } from '@seqzoo/backend';
      const info = await useBackend('wasm');
      console.log(JSON.stringify({ threads: info.threads }));
      throw new Error('the app failed');
    `,
      { [WASM_THREADS_ENV]: '2' },
    );
    expect(result.timedOut).toBe(false);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({ threads: 2 });
    expect(result.stderr).toMatch(/Error: the app failed/);
  });
});

describe("threads: 'auto'", () => {
  it('counts the cores the load average leaves idle; one thread unless at least 2 are', () => {
    const node = (cores: number, load1: number | null) =>
      chooseAutoThreads({ platform: 'node', cores, load1 }).threads;
    expect(node(2, 0.1)).toBe(2); // a quiet 2-core machine
    expect(node(2, 0.7)).toBe(1); // another process on one core most of the last minute
    expect(node(2, 1.0)).toBe(1); // a training running next to us (this machine)
    expect(node(2, 15)).toBe(1); // a crowded machine: never fewer than 1
    expect(node(16, 1.2)).toBe(8); // tfjs-backend-wasm's threaded build runs at most 8
    expect(node(16, 11.6)).toBe(4);
    expect(node(16, null)).toBe(1); // Windows: no load average, so no threads
    expect(chooseAutoThreads({ platform: 'node', cores: 2, load1: 1 }).why).toBe(
      '1 of 2 cores idle (load average 1.00)',
    );
    expect(
      chooseAutoThreads({ platform: 'browser', cores: 8, load1: null, isolated: false }),
    ).toEqual({ threads: 1, why: 'the page is not cross-origin isolated' });
    expect(
      chooseAutoThreads({ platform: 'browser', cores: 8, load1: null, isolated: true }).threads,
    ).toBe(1);
  });

  it('starts wasm with the count it chose and says why', async () => {
    const info = await useBackend('wasm', { threads: 'auto' });
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect(info.threads).toBeLessThanOrEqual(8);
    expect(info.threadsReason).toMatch(/^auto: \d+ of \d+ cores idle \(load average [\d.]+\)/);
    await useBackend('wasm', { threads: 1 });
  });
});

describe("the threaded build's main script for Node workers", () => {
  it("defines the bundle's require$$N aliases as the installed Node bundle does", () => {
    const require = createRequire(import.meta.url);
    const bundle = readFileSync(require.resolve('@tensorflow/tfjs-backend-wasm'), 'utf8');
    const header = Object.fromEntries(
      [...bundle.matchAll(/^var (require\$\$\d+) = require\('([^']+)'\);$/gm)].map((m) => [
        m[1],
        m[2],
      ]),
    );
    expect(header).toEqual(BUNDLE_REQUIRES);
  });

  it('refuses a build that requires modules it does not know, with a typed error', () => {
    const make = () => mainScriptFor('var WasmBackendModuleThreadedSimd = require$$9.thing;');
    expect(make).toThrow(BackendUnavailableError);
    expect(make).toThrow(/require\$\$9/);
    expect(mainScriptFor('var WasmBackendModuleThreadedSimd = require$$4;')).toMatch(
      /var require\$\$4 = require\("os"\);/,
    );
  });
});
