// Child process of the rnn and cores suites, driven over IPC by remote.ts so that its runs
// interleave with the parent's or another child's: one implementation with tfjs' stock kernels
// (as users have tfjs-layers), or a wasm backend with a given thread count.
import './register-gradients';
import { type BackendName, useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { matmulOnce } from './bench-case';
import { type CaseSpec, LocalRunner } from './runner';

/** How the child starts its backend: `kernels: false` for tfjs' stock kernels, `threads` (wasm). */
export interface WorkerInit {
  backend: string;
  kernels?: boolean;
  threads?: number | 'auto';
}

type Request =
  | { id: number; op: 'init'; init: WorkerInit }
  | { id: number; op: 'make'; spec: CaseSpec }
  | { id: number; op: 'run' }
  | { id: number; op: 'matmul'; n: number }
  | { id: number; op: 'dispose' }
  | { id: number; op: 'exit' };

const runner = new LocalRunner();
let operands: [tf.Tensor, tf.Tensor] | undefined;
const send = (m: unknown) => process.send?.(m);

/** One n×n·n×n product read back, in ms (operands made once). */
async function squareMatmul(n: number): Promise<number> {
  if (!operands || operands[0].shape[0] !== n) {
    tf.dispose(operands);
    operands = [
      tf.randomNormal([n, n], 0, 1, 'float32', 1),
      tf.randomNormal([n, n], 0, 1, 'float32', 2),
    ];
  }
  return matmulOnce(operands[0], operands[1]);
}

process.on('message', async (req: Request) => {
  try {
    let result: unknown = null;
    if (req.op === 'init') {
      const { backend, kernels, threads } = req.init;
      result = await useBackend(backend as BackendName, {
        ...(kernels === undefined ? {} : { kernels }),
        ...(threads === undefined ? {} : { threads }),
      });
    } else if (req.op === 'make') await runner.make(req.spec);
    else if (req.op === 'run') result = await runner.run();
    else if (req.op === 'matmul') result = await squareMatmul(req.n);
    else if (req.op === 'dispose') await runner.dispose();
    else if (req.op === 'exit') {
      await runner.dispose();
      tf.dispose(operands);
      send({ id: req.id, ok: true, result: null });
      process.disconnect(); // nothing else keeps the process: it exits (its pthread workers too)
      return;
    }
    send({ id: req.id, ok: true, result });
  } catch (error) {
    send({
      id: req.id,
      ok: false,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
});
send({ ready: true });
