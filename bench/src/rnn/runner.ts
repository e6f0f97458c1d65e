import { type BenchCase, makeCase } from './bench-case';
import type { Cell, Impl, Phase, SizeName } from './config';
import { makeGenerationCase } from './generation';

/** What to build: one layer and step, or the generation benchmark. */
export type CaseSpec =
  | { impl: Impl; cell: Cell; size: SizeName; phase: Phase }
  | { impl: Impl; phase: 'generate' };

/** Builds and times cases, in this process or in a child (see remote.ts). */
export interface Runner {
  make(spec: CaseSpec): Promise<void>;
  /** One timed run of the case made last, in ms. */
  run(): Promise<number>;
  dispose(): Promise<void>;
}

export function buildCase(spec: CaseSpec): Promise<BenchCase> {
  return spec.phase === 'generate'
    ? makeGenerationCase(spec.impl)
    : makeCase(spec.impl, spec.cell, spec.size, spec.phase);
}

export class LocalRunner implements Runner {
  private current: BenchCase | undefined;

  async make(spec: CaseSpec): Promise<void> {
    await this.dispose();
    this.current = await buildCase(spec);
  }

  async run(): Promise<number> {
    if (!this.current) throw new Error('LocalRunner.run() before make()');
    const t0 = performance.now();
    await this.current.run();
    return performance.now() - t0;
  }

  async dispose(): Promise<void> {
    this.current?.dispose();
    this.current = undefined;
  }
}
