import { applyKernelFixes, type BackendName, removeKernelFixes, useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import type { Suite } from '../main';
import { summarize } from '../rnn/table';
import { parseFlags, writeResults } from '../util';

interface KernelCase {
  name: string;
  flops: number;
  /** Builds inputs; returns the op to time and a cleanup. */
  setup(): { op: () => tf.Tensor | tf.Tensor[]; dispose: () => void };
}

/** Shapes of an M-size LSTM step (B 64, T 64, F 128, H 256): what an RNN's backward pass does. */
function cases(): KernelCase[] {
  const [B, T, F, H] = [64, 64, 128, 256];
  const G = 4 * H;
  const mm = (
    name: string,
    aShape: number[],
    bShape: number[],
    ta: boolean,
    tb: boolean,
    m: number,
    k: number,
    n: number,
    bVariable = false,
  ): KernelCase => ({
    name,
    flops: 2 * m * k * n,
    setup() {
      const a = tf.randomNormal(aShape);
      const b = bVariable ? tf.variable(tf.randomNormal(bShape)) : tf.randomNormal(bShape);
      return { op: () => tf.matMul(a, b, ta, tb), dispose: () => tf.dispose([a, b]) };
    },
  });
  const sliced = (name: string, op: (x: tf.Tensor) => tf.Tensor | tf.Tensor[]): KernelCase => ({
    name,
    flops: 0,
    setup() {
      const x = tf.randomNormal([T * B, G]);
      return { op: () => op(x), dispose: () => x.dispose() };
    },
  });
  return [
    mm(
      'matMul dW_ih = Xᵀ·dG [4096,128]ᵀ·[4096,1024]',
      [T * B, F],
      [T * B, G],
      true,
      false,
      F,
      T * B,
      G,
    ),
    mm(
      'matMul dX = dG·W_ihᵀ [4096,1024]·[128,1024]ᵀ (W variable)',
      [T * B, G],
      [F, G],
      false,
      true,
      T * B,
      G,
      F,
      true,
    ),
    mm(
      'matMul dh = dG_t·W_hhᵀ [64,1024]·[256,1024]ᵀ (W variable)',
      [B, G],
      [H, G],
      false,
      true,
      B,
      G,
      H,
      true,
    ),
    mm(
      'matMul [64,1024]·[1024,256], no flag (stock path)',
      [B, G],
      [G, H],
      false,
      false,
      B,
      G,
      H,
      true,
    ),
    mm(
      'matMul [1,256]·[256,1024], no flag (stock path)',
      [1, H],
      [H, G],
      false,
      false,
      1,
      H,
      G,
      true,
    ),
    mm(
      'matMul [1,1024]·[256,1024]ᵀ (W variable: cached transpose)',
      [1, G],
      [H, G],
      false,
      true,
      1,
      G,
      H,
      true,
    ),
    mm('matMul [128,512]·[128,512]ᵀ (fresh b)', [128, 512], [128, 512], false, true, 128, 512, 128),
    mm(
      'matMul batched [8,256,256]·[8,256,256]ᵀ',
      [8, 256, 256],
      [8, 256, 256],
      false,
      true,
      8 * 256,
      256,
      256,
    ),
    sliced('slice step t of [4096,1024], all 64 steps', (x) =>
      Array.from({ length: T }, (_, t) => tf.slice(x, [t * B, 0], [B, G])),
    ),
    sliced('unstack [64,64,1024]', (x) => tf.unstack(tf.reshape(x, [T, B, G]))),
    sliced('split [64·64,1024] into 4 gates', (x) => tf.split(x, 4, 1)),
    // Autodiff saves a clone of every op input for the backward pass (W_ih once per time step).
    sliced('clone [4096,1024] (tf.clone; autodiff saves inputs so)', (x) => tf.clone(x)),
  ];
}

/**
 * tf.slice's gradient pads back to the input's size and the tape adds those up: T slices out of
 * [T·B, G] cost T full-size pads and adds. One tf.unstack has one stack as its gradient.
 */
function sliceGradient(runs: number): { sliceMs: number; unstackMs: number } {
  const [T, B, G] = [64, 64, 1024];
  const x = tf.randomNormal([T * B, G]);
  const time = (parts: (v: tf.Tensor) => tf.Tensor[]) => {
    const g = tf.grad((v: tf.Tensor) =>
      parts(v)
        .map((p) => tf.sum(p))
        .reduce((acc, t) => tf.add(acc, t)),
    );
    const samples: number[] = [];
    for (let r = 0; r <= runs; r++) {
      const t0 = performance.now();
      tf.tidy(() => g(x).dataSync());
      if (r > 0) samples.push(performance.now() - t0);
    }
    return summarize(samples).medianMs;
  };
  const sliceMs = time((v) => Array.from({ length: T }, (_, t) => tf.slice(v, [t * B, 0], [B, G])));
  const unstackMs = time((v) => tf.unstack(tf.reshape(v, [T, B, G])));
  x.dispose();
  return { sliceMs, unstackMs };
}

const suite: Suite = {
  describe:
    "wasm kernels: tfjs' stock vs @seqzoo/backend's overrides, interleaved; slice-gradient cost (--backend wasm|cpu --runs 5)",
  async run(argv) {
    const flags = parseFlags(argv, { runs: '5', backend: 'wasm' });
    await import('../rnn/register-gradients');
    await useBackend(flags.backend as BackendName);
    const rows: unknown[] = [];
    const grad = sliceGradient(Math.min(Number(flags.runs), 3));
    console.log(
      `${flags.backend}: gradient of 64 tf.slice steps out of [4096,1024]: ${grad.sliceMs.toFixed(0)} ms; of one tf.unstack: ${grad.unstackMs.toFixed(0)} ms`,
    );
    rows.push({
      kernel: 'gradient: 64×slice vs unstack of [4096,1024]',
      backend: flags.backend,
      ...grad,
    });
    for (const c of flags.backend === 'wasm' ? cases() : []) {
      const { op, dispose } = c.setup();
      const times: Record<'stock' | 'seqzoo', number[]> = { stock: [], seqzoo: [] };
      for (let r = 0; r <= Number(flags.runs); r++) {
        for (const impl of ['stock', 'seqzoo'] as const) {
          if (impl === 'stock') removeKernelFixes('wasm');
          else applyKernelFixes('wasm');
          // One untimed call after each switch (caches: XNNPACK's packed weights, our transposes).
          for (const timed of [false, true]) {
            const t0 = performance.now();
            const out = op();
            for (const t of Array.isArray(out) ? out : [out]) t.dataSync();
            tf.dispose(out);
            if (timed && r > 0) times[impl].push(performance.now() - t0); // round 0 warms up
          }
        }
      }
      dispose();
      const stock = summarize(times.stock);
      const ours = summarize(times.seqzoo);
      const gf = (ms: number) => (c.flops ? c.flops / (ms * 1e6) : null);
      rows.push({
        kernel: c.name,
        backend: 'wasm',
        stockMs: stock.medianMs,
        seqzooMs: ours.medianMs,
        stockGflops: gf(stock.medianMs),
        seqzooGflops: gf(ours.medianMs),
      });
      const g = c.flops
        ? `  (${gf(stock.medianMs)?.toFixed(1)} → ${gf(ours.medianMs)?.toFixed(1)} GFLOP/s)`
        : '';
      console.log(
        `${c.name.padEnd(62)} stock ${stock.medianMs.toFixed(1).padStart(8)} ms  ours ${ours.medianMs.toFixed(1).padStart(7)} ms  ${(stock.medianMs / ours.medianMs).toFixed(1)}×${g}`,
      );
    }
    if (flags.backend === 'wasm') applyKernelFixes('wasm');
    writeResults(`kernels-${flags.backend}`, rows);
  },
};
export default suite;
