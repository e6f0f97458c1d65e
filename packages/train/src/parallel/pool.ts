import type { Module } from '@seqzoo/layers';
import { valueAndGrads } from '@seqzoo/layers';
import { modelOrigin, type Task } from '@seqzoo/registry';
import * as tf from '@tensorflow/tfjs-core';
import { FitOptionsError, ReplicaError } from '../errors';
import { flatSize, writeFlat } from './flat';
import type { ReplicaInit, ReplicaReply, StepRequest } from './messages';

/** The replicas of a data-parallel run and the step that uses them. */
export interface ReplicaPool {
  /** Threads that compute gradients: this one and the workers. */
  readonly threads: number;
  /**
   * The batch's loss and gradients: the task's `split` cuts it, this thread takes the first
   * part, the workers the others (reading the parameters from shared memory); the parts'
   * gradients are averaged weighted by their `size`.
   */
  gradients(
    batch: unknown,
    labelSmoothing: number | undefined,
  ): Promise<{ loss: number; grads: Map<string, tf.Tensor> }>;
  /** Stops the workers and waits until they have exited. */
  close(): Promise<void>;
}

interface NodeWorker {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (m: ReplicaReply) => void): void;
  on(event: 'error', listener: (e: Error) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  terminate(): Promise<number>;
  unref(): void;
}

/** Node's worker_threads, imported only when workers are asked for (browser bundles skip it). */
async function workerThreads(): Promise<{ Worker: new (url: URL, o: object) => NodeWorker }> {
  const name = 'node:worker_threads';
  try {
    return await import(/* @vite-ignore */ name);
  } catch {
    throw new FitOptionsError(
      'workers',
      "needs Node's worker_threads, which this runtime lacks; train with workers: 1 here.",
    );
  }
}

/** The replica module: the built one next to this bundle, or the TypeScript source under tsx. */
function replicaEntry(): { url: URL; execArgv: string[] } {
  const here = import.meta.url;
  const source = here.endsWith('.ts');
  const file = source ? './replica-entry.mjs' : './replica.js';
  return {
    url: new URL(file, here),
    execArgv: source ? ['--conditions=@seqzoo/source'] : [],
  };
}

function checkWorkers(model: Module, task: Task<never, unknown, unknown>, workers: number) {
  if (!(Number.isInteger(workers) && workers >= 1)) {
    throw new FitOptionsError('workers', `must be a positive integer, got ${workers}.`);
  }
  const origin = modelOrigin(model as never);
  if (!origin) {
    throw new FitOptionsError(
      'workers',
      'needs a model built by a registry (registry.create or loadModel), whose replicas the workers can build; train this one with workers: 1.',
    );
  }
  if (!origin.module) {
    throw new FitOptionsError(
      'workers',
      `plugin '${origin.namespace}' does not say where worker threads can import it from: give its definePlugin({ …, module: import.meta.url }).`,
    );
  }
  if (typeof task.split !== 'function') {
    throw new FitOptionsError(
      'workers',
      `the task of '${origin.id}' cannot split a batch (it has no split()), so it trains on one thread: use workers: 1.`,
    );
  }
  return { ...origin, module: origin.module };
}

/**
 * A replica's config: the model's, with its own `seed` where the config has one, so that its
 * dropout masks are its own (its initial weights are overwritten before each step anyway).
 */
function replicaConfig(config: unknown, replica: number): unknown {
  const c = config as { seed?: unknown } | null;
  if (typeof c !== 'object' || c === null || typeof c.seed !== 'number') return config;
  return { ...c, seed: (c.seed + 7919 * replica) % 2 ** 31 };
}

/**
 * Starts `workers − 1` worker threads, each with a replica of `model` built from its registry
 * origin (plugin module, id, config and vocabularies) on the same backend, one thread each.
 * The caller must `close()` the pool, on success and on error.
 */
export async function startReplicas(
  model: Module,
  task: Task<never, unknown, unknown>,
  options: { workers: number; train: readonly unknown[] },
): Promise<ReplicaPool> {
  const origin = checkWorkers(model, task, options.workers);
  const { Worker } = await workerThreads();
  const size = flatSize(model);
  const weights = new Float32Array(new SharedArrayBuffer(4 * size));
  const entry = replicaEntry();
  const vocabularies = origin.definition.vocabularies?.(model as never);
  const workers: {
    worker: NodeWorker;
    grads: Float32Array;
    next: () => Promise<ReplicaReply>;
    exited: Promise<void>;
  }[] = [];
  const close = async () => {
    await Promise.all(workers.map((w) => w.worker.terminate().then(() => w.exited)));
    workers.length = 0;
  };
  try {
    for (let i = 1; i < options.workers; i++) {
      const grads = new SharedArrayBuffer(4 * size);
      const init: ReplicaInit = {
        module: origin.module,
        namespace: origin.namespace,
        id: origin.id,
        config: replicaConfig(origin.config, i),
        vocabularies,
        backend: tf.getBackend(),
        train: task.prepare ? options.train : null,
        weights: weights.buffer as SharedArrayBuffer,
        grads,
      };
      const worker = new Worker(entry.url, { workerData: init, execArgv: entry.execArgv });
      // Replies come one per request, in order; an error or an exit fails the pending one.
      const queue: ((r: ReplicaReply | Error) => void)[] = [];
      const pending: (ReplicaReply | Error)[] = [];
      const deliver = (r: ReplicaReply | Error) => {
        const waiter = queue.shift();
        if (waiter) waiter(r);
        else pending.push(r);
      };
      worker.on('message', deliver);
      worker.on('error', (e) => deliver(e));
      const exited = new Promise<void>((resolve) =>
        worker.on('exit', (code) => {
          deliver(new ReplicaError(`worker ${i} exited (code ${code})`));
          resolve();
        }),
      );
      const next = () =>
        new Promise<ReplicaReply>((resolve, reject) => {
          const settle = (r: ReplicaReply | Error) => {
            if (r instanceof Error) reject(new ReplicaError(`worker ${i}: ${r.message}`));
            else if (r.kind === 'error') reject(new ReplicaError(`worker ${i}: ${r.message}`));
            else resolve(r);
          };
          const early = pending.shift();
          if (early) settle(early);
          else queue.push(settle);
        });
      workers.push({ worker, grads: new Float32Array(grads), next, exited });
    }
    await Promise.all(workers.map((w) => w.next()));
  } catch (error) {
    await close();
    throw error;
  }

  return {
    threads: options.workers,
    close,
    async gradients(batch, labelSmoothing) {
      const parts = (task.split as (b: unknown, n: number) => unknown[])(batch, options.workers);
      if (parts.length === 0 || parts.length > options.workers) {
        throw new ReplicaError(
          `the task's split() gave ${parts.length} parts for ${options.workers} threads.`,
        );
      }
      writeFlat(model, weights);
      const replies = parts.slice(1).map((part, i) => {
        const answer = workers[i].next();
        workers[i].worker.postMessage({ part, labelSmoothing } satisfies StepRequest);
        return answer;
      });
      // When one fails, the others' answers are abandoned (their workers are terminated).
      for (const r of replies) r.catch(() => {});
      const own = valueAndGrads(model, () =>
        task.loss(model as never, parts[0], { training: true, labelSmoothing }),
      );
      let settled: ReplicaReply[];
      try {
        settled = await Promise.all(replies);
      } catch (error) {
        tf.dispose([own.value, ...own.grads.values()]);
        throw error;
      }
      const ownLoss = (await own.value.data())[0];
      own.value.dispose();
      const sizes = [
        task.size?.(parts[0]) ?? 1,
        ...settled.map((r) => (r.kind === 'step' ? r.size : 1)),
      ];
      const total = sizes.reduce((a, b) => a + b, 0);
      let loss = (ownLoss * sizes[0]) / total;
      settled.forEach((r, i) => {
        if (r.kind === 'step') loss += (r.loss * sizes[i + 1]) / total;
      });
      const grads = new Map<string, tf.Tensor>();
      let offset = 0;
      for (const [name, v] of model.namedParameters()) {
        const start = offset;
        grads.set(
          name,
          tf.tidy(() => {
            const mine = own.grads.get(name);
            let g = mine ? tf.mul(mine, sizes[0] / total) : tf.zeros(v.shape);
            settled.forEach((_, i) => {
              const part = tf.tensor(workers[i].grads.subarray(start, start + v.size), v.shape);
              g = tf.add(g, tf.mul(part, sizes[i + 1] / total));
            });
            return g;
          }),
        );
        offset += v.size;
      }
      tf.dispose([...own.grads.values()]);
      return { loss, grads };
    },
  };
}
