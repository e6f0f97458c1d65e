/** The shapes, implementations and FLOP counts of the RNN benchmark (issue 3, item 9). */

export type Cell = 'lstm' | 'gru';
export type SizeName = 'S' | 'M';
export type Phase = 'train' | 'infer';
export type Impl = 'seqzoo' | 'tfjs-layers' | 'tfjs-layers+kernels';

export interface Shape {
  B: number;
  T: number;
  F: number;
  H: number;
}

export const SIZES: Record<SizeName, Shape> = {
  S: { B: 32, T: 32, F: 64, H: 128 },
  M: { B: 64, T: 64, F: 128, H: 256 },
};

/** Gates per cell: the width of the fused projection is G·H. */
export const GATES: Record<Cell, number> = { lstm: 4, gru: 3 };

/** Forward FLOPs, 2·B·T·(F+H)·G·H (the two projections; elementwise work not counted). */
export function forwardFlops(cell: Cell, s: Shape): number {
  return 2 * s.B * s.T * (s.F + s.H) * GATES[cell] * s.H;
}

/** A training step does about three forwards of work (forward, and two products per matMul back). */
export function phaseFlops(cell: Cell, s: Shape, phase: Phase): number {
  return (phase === 'train' ? 3 : 1) * forwardFlops(cell, s);
}

export function gflops(flops: number, ms: number): number {
  return flops / (ms * 1e6);
}

/** One row of bench/results/rnn-<backend>.json. */
export interface ResultRow {
  cell?: Cell;
  size?: SizeName;
  backend: string;
  impl: Impl | 'matmul' | 'pytorch';
  phase?: Phase | 'generate';
  medianMs?: number;
  minMs?: number;
  gflops: number | null;
  /** The 1024³ matMul GFLOP/s sampled between this group's runs (the ceiling under the same load). */
  matmulGflops?: number;
  note?: string;
}
