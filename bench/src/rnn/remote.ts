import { type ChildProcess, fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseSpec, Runner } from './runner';

const here = dirname(fileURLToPath(import.meta.url));

/** A Runner in a child process of its own (worker.ts), e.g. with tfjs' stock kernels. */
export class RemoteRunner implements Runner {
  private next = 1;
  private pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: { id?: number; ok?: boolean; result?: unknown; error?: string }) => {
      if (m.id === undefined) return;
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.ok) p?.resolve(m.result);
      else p?.reject(new Error(`in the child process: ${m.error}`));
    });
    child.on('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`child exited with ${code}`));
      this.pending.clear();
    });
  }

  static async start(backend: string, kernels: boolean): Promise<RemoteRunner> {
    const child = fork(join(here, 'worker.ts'), [], {
      execArgv: ['--conditions=@seqzoo/source', '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('error', reject);
    });
    const runner = new RemoteRunner(child);
    await runner.call({ op: 'init', backend, kernels });
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

  async run(): Promise<number> {
    return (await this.call({ op: 'run' })) as number;
  }

  async dispose(): Promise<void> {
    await this.call({ op: 'dispose' });
  }

  async close(): Promise<void> {
    await this.call({ op: 'exit' });
  }
}
