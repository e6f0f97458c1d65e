// A data-parallel replica (a worker thread started by `startReplicas`): builds the model from
// its plugin, id, config and vocabularies; for each part of a batch it is sent, it loads the
// parameters from shared memory, computes the gradient of the task's loss on the part and
// writes it to its own shared buffer, and replies with the loss and the part's size.
import { parentPort, workerData } from 'node:worker_threads';
import { type Module, valueAndGrads } from '@seqzoo/layers';
import { createRegistry, type Plugin, type Task } from '@seqzoo/registry';
import * as tf from '@tensorflow/tfjs-core';
import { readFlat, writeFlat } from './flat';
import type { ReplicaInit, ReplicaReply, StepRequest } from './messages';

const port = parentPort!;
const reply = (r: ReplicaReply) => port.postMessage(r);
const failed = (error: unknown) =>
  reply({
    kind: 'error',
    message: error instanceof Error ? error.message : String(error),
    stack: error instanceof Error ? error.stack : undefined,
  });

function isPlugin(x: unknown, namespace: string): x is Plugin {
  const p = x as Plugin | null;
  return typeof p === 'object' && p !== null && p.namespace === namespace && !!p.models;
}

async function start(init: ReplicaInit) {
  const mod = (await import(init.module)) as Record<string, unknown>;
  const plugin = [mod.default, ...Object.values(mod)].find((x) => isPlugin(x, init.namespace));
  if (!plugin) throw new Error(`${init.module} exports no plugin '${init.namespace}'.`);
  const registry = createRegistry({ plugins: [plugin as Plugin] });
  const model = (await registry.create(init.id, init.config, {
    backend: init.backend as never,
    vocabularies: init.vocabularies,
  })) as unknown as Module;
  const task = registry.definition(init.id).task as Task<never, unknown, unknown>;
  if (init.train) task.prepare?.(model as never, init.train);
  model.train();
  return { model, task };
}

async function main() {
  const init = workerData as ReplicaInit;
  const { model, task } = await start(init);
  const weights = new Float32Array(init.weights);
  const grads = new Float32Array(init.grads);
  port.on('message', (request: StepRequest) => {
    try {
      readFlat(model, weights);
      const { value, grads: g } = valueAndGrads(model, () =>
        task.loss(model as never, request.part, {
          training: true,
          labelSmoothing: request.labelSmoothing,
        }),
      );
      const loss = value.dataSync()[0];
      writeFlat(model, grads, (name) => g.get(name));
      tf.dispose([value, ...g.values()]);
      reply({ kind: 'step', loss, size: task.size?.(request.part) ?? 1 });
    } catch (error) {
      failed(error);
    }
  });
  reply({ kind: 'ready' });
}

main().catch(failed);
