// Run by wasm-threads.test.ts inside a Node worker thread (as a data-parallel trainer's workers
// are): wasm with 2 threads there, one product, the result posted back; then nothing, so that
// the thread ends by itself unless a pthread worker keeps it alive.
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from './use-backend';

const info = await useBackend('wasm', { threads: 2 });
const y = tf.matMul(tf.ones([300, 300]), tf.ones([300, 300]));
parentPort?.postMessage({ threads: info.threads, value: (await y.data())[0] });
y.dispose();
