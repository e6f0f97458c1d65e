import { type ChildProcess, fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackendInfo } from '@seqzoo/backend';
import type { CaseSpec, Runner } from './runner';
import type { WorkerInit } from './worker';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * A Runner in a child process of its own (worker.ts), driven over IPC so that its runs
 * interleave with the parent's or another child's: the rnn suite's tfjs-layers with tfjs' stock
 * kernels, the cores suite's wasm backend with a given thread count.
 */
export class RemoteRunner implements Runner {
  private next = 1;
  private pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  /** What `useBackend` gave in the child. */
  info: BackendInfo | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly label: string,
  ) {
    child.on('message', (m: { id?: number; ok?: boolean; result?: unknown; error?: string }) => {
      if (m.id === undefined) return;
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.ok) p?.resolve(m.result);
      else p?.reject(new Error(`in the ${label} child: ${m.error}`));
    });
    child.on('exit', (code) => {
      for (const p of this.pending.values())
        p.reject(new Error(`${label} child exited with ${code}`));
      this.pending.clear();
    });
  }

  /** Forks worker.ts and starts its backend (`label` names the child in errors). */
  static async start(init: WorkerInit, label = init.backend): Promise<RemoteRunner> {
    const child = fork(join(here, 'worker.ts'), [], {
      execArgv: ['--conditions=@seqzoo/source', '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('error', reject);
    });
    const runner = new RemoteRunner(child, label);
    runner.info = (await runner.call({ op: 'init', init })) as BackendInfo;
    return runner;
  }

  private call(req: Record<string, unknown>): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, ...req });
    });
  }

  async make(spec: CaseSpec): Promise<void> {
    await this.call({ op: 'make', spec });
  }

  /** One timed run of the case made last, in ms. */
  async run(): Promise<number> {
    return (await this.call({ op: 'run' })) as number;
  }

  /** One n×n·n×n matMul read back, in ms. */
  async matmul(n: number): Promise<number> {
    return (await this.call({ op: 'matmul', n })) as number;
  }

  async dispose(): Promise<void> {
    await this.call({ op: 'dispose' });
  }

  /** Asks the child to finish and waits until it has exited (by itself: no worker left behind). */
  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.call({ op: 'exit' });
    await exited;
  }
}
