// Child process of the rnn suite: runs one implementation with tfjs' stock kernels (as users have
// tfjs-layers), driven over IPC by remote.ts so that its runs interleave with the parent's.
import './register-gradients';
import { type BackendName, useBackend } from '@seqzoo/backend';
import { type CaseSpec, LocalRunner } from './runner';

type Request =
  | { id: number; op: 'init'; backend: string; kernels: boolean }
  | { id: number; op: 'make'; spec: CaseSpec }
  | { id: number; op: 'run' }
  | { id: number; op: 'dispose' }
  | { id: number; op: 'exit' };

const runner = new LocalRunner();
const send = (m: unknown) => process.send?.(m);

process.on('message', async (req: Request) => {
  try {
    let result: unknown = null;
    if (req.op === 'init')
      result = await useBackend(req.backend as BackendName, { kernels: req.kernels });
    else if (req.op === 'make') await runner.make(req.spec);
    else if (req.op === 'run') result = await runner.run();
    else if (req.op === 'dispose') await runner.dispose();
    else if (req.op === 'exit') {
      await runner.dispose();
      send({ id: req.id, ok: true, result: null });
      process.disconnect();
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
