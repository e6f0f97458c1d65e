// The second core's half of train-g2p.ts --workers 2: a replica of the model that, for each
// batch it is sent, loads the current parameters from shared memory, computes the gradient of
// the loss over its items and writes it (flat, `namedParameters()` order) to shared memory; it
// replies with the loss and the milliseconds it took.
import { parentPort, workerData } from 'node:worker_threads';
import type { CmudictEntry } from '@seqzoo/data';
import * as tf from '@tensorflow/tfjs-core';
import {
  batchGradients,
  createG2PModel,
  loadG2PData,
  readParameters,
  writeFlat,
} from './g2p-setup';

const { args, weights, grads, seed } = workerData as {
  args: import('./g2p-setup').G2POptions;
  weights: SharedArrayBuffer;
  grads: SharedArrayBuffer;
  seed: number;
};
const data = await loadG2PData(args.stress);
// Its own seed: the replica draws dropout masks of its own.
const model = await createG2PModel(args, data, seed);
const weightView = new Float32Array(weights);
const gradView = new Float32Array(grads);

parentPort!.on('message', async (items: CmudictEntry[]) => {
  const start = performance.now();
  readParameters(model, weightView);
  const { value, grads: g } = batchGradients(model, items);
  writeFlat(model, gradView, (path) => g.get(path));
  const loss = (await value.data())[0];
  tf.dispose([value, ...g.values()]);
  parentPort!.postMessage({ loss, ms: performance.now() - start });
});
parentPort!.postMessage('ready');
