// Child process of the cores suite: one wasm backend with a given thread count, driven over IPC
// by client.ts so that its runs interleave with another child's (another thread count).
import '../rnn/register-gradients';
import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { type CaseSpec, LocalRunner } from '../rnn/runner';

type Request =
  | { id: number; op: 'init'; threads: number | 'auto' }
  | { id: number; op: 'make'; spec: CaseSpec }
  | { id: number; op: 'run' }
  | { id: number; op: 'matmul'; n: number }
  | { id: number; op: 'dispose' }
  | { id: number; op: 'exit' };

const runner = new LocalRunner();
let operands: [tf.Tensor, tf.Tensor] | undefined;
const send = (m: unknown) => process.send?.(m);

/** One n×n·n×n product read back, in ms (operands made once). */
async function matmulOnce(n: number): Promise<number> {
  if (!operands || operands[0].shape[0] !== n) {
    tf.dispose(operands);
    operands = [
      tf.randomNormal([n, n], 0, 1, 'float32', 1),
      tf.randomNormal([n, n], 0, 1, 'float32', 2),
    ];
  }
  const t0 = performance.now();
  const c = tf.matMul(operands[0], operands[1]);
  await c.data();
  c.dispose();
  return performance.now() - t0;
}

process.on('message', async (req: Request) => {
  try {
    let result: unknown = null;
    if (req.op === 'init') result = await useBackend('wasm', { threads: req.threads });
    else if (req.op === 'make') await runner.make(req.spec);
    else if (req.op === 'run') result = await runner.run();
    else if (req.op === 'matmul') result = await matmulOnce(req.n);
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
