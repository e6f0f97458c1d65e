// The browser half of `npm run bench -- rnn-webgl`: served by Vite to headless Chromium
// (SwiftShader), driven by bench/src/suites/rnn-webgl.ts through `window.bench`. It builds the same
// cases as the Node suite (../rnn/bench-case.ts: seqzoo's layer vs tf.layers, training step =
// variableGrads + Adam, inference = one forward) on tfjs' webgl backend and times them interleaved.
// tfjs-core's entry first: it registers the env flags that the gradient registrations read.
import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
// Static imports, so that Vite pre-bundles them before the page starts (no reload mid-run).
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-layers';
import '@seqzoo/layers';
import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { type BenchCase, makeCase, matmulOnce } from '../rnn/bench-case';
import type { Cell, Phase, SizeName } from '../rnn/config';

/** The implementations compared on webgl (there are no kernel overrides on webgl: see the README). */
export type WebglImpl = 'seqzoo' | 'tfjs-layers';
export const WEBGL_IMPLS: WebglImpl[] = ['seqzoo', 'tfjs-layers'];

export interface GroupSpec {
  cell: Cell;
  size: SizeName;
  phase: Phase;
  runs: number;
  /** Sample one n³ matMul per round (the ceiling under the same load); 0 = none. */
  matmulN: number;
}

export interface GroupResult {
  samples: Record<WebglImpl, number[]>;
  matmulMs: number[];
}

/** What one step dispatches, counted while it runs (after warm-up, so no shader compiles). */
export interface StepProfile {
  impl: WebglImpl;
  /** tfjs kernels run through the engine (what tf.profile lists). */
  kernels: number;
  /** WebGL shader programs run (a kernel may run several, or none when it forwards to the CPU). */
  programs: number;
  /** Texture uploads from the CPU (data that was on the CPU when a program needed it). */
  uploads: number;
  /** Uploads by tensor shape, most first. */
  uploadShapes: [string, number][];
  /** Shader programs by class, most-run first. */
  byProgram: [string, number][];
  /**
   * tf.profile's kernel times: GPU timer queries where the context has them (SwiftShader does),
   * else tfjs syncs (reads back) after each kernel.
   */
  byKernel: { name: string; calls: number; ms: number }[];
  /** Sum of byKernel's ms. */
  kernelMs: number;
  /** tf.profile's wall time for the step (timer queries on, so slower than an unprofiled step). */
  profiledMs: number;
}

interface Counters {
  programs: Map<string, number>;
  uploads: number;
  uploadShapes: Map<string, number>;
}

const counters: Counters = { programs: new Map(), uploads: 0, uploadShapes: new Map() };

/** Wraps the webgl backend's program runner and uploader to count dispatches. */
function instrument(): void {
  const backend = tf.backend() as unknown as {
    runWebGLProgram: (program: object, ...rest: unknown[]) => unknown;
    uploadToGPU: (dataId: object) => void;
    texData: { get(dataId: object): { texture: unknown; values: unknown; shape: number[] } };
  };
  const run = backend.runWebGLProgram.bind(backend);
  backend.runWebGLProgram = (program, ...rest) => {
    const name = program.constructor.name;
    counters.programs.set(name, (counters.programs.get(name) ?? 0) + 1);
    return run(program, ...rest);
  };
  const upload = backend.uploadToGPU.bind(backend);
  backend.uploadToGPU = (dataId) => {
    // Called for every program input and output; it uploads only CPU data that has no texture yet
    // (outputs just get an empty texture).
    const td = backend.texData.get(dataId);
    if (td?.texture == null && td?.values != null) {
      counters.uploads++;
      const key = `[${td.shape.join(',')}]`;
      counters.uploadShapes.set(key, (counters.uploadShapes.get(key) ?? 0) + 1);
    }
    upload(dataId);
  };
}

async function setup(): Promise<Record<string, unknown>> {
  // No kernel overrides exist for webgl, so this is stock tfjs either way; say so explicitly.
  const info = await useBackend('webgl', { kernels: false });
  instrument();
  const gl = (tf.backend() as unknown as { gpgpu: { gl: WebGL2RenderingContext } }).gpgpu.gl;
  const dbg = gl.getExtension('WEBGL_debug_renderer_info');
  return {
    backend: tf.getBackend(),
    info,
    renderer: dbg ? gl.getParameter(dbg.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER),
    timerQueries: tf.env().getNumber('WEBGL_DISJOINT_QUERY_TIMER_EXTENSION_VERSION'),
    userAgent: navigator.userAgent,
  };
}

async function timeOnce(c: BenchCase): Promise<number> {
  const t0 = performance.now();
  await c.run();
  return performance.now() - t0;
}

/** Builds both cases, warms each up twice (shader compiles), then `runs` interleaved rounds. */
async function runGroup(spec: GroupSpec): Promise<GroupResult> {
  const cases = new Map<WebglImpl, BenchCase>();
  for (const impl of WEBGL_IMPLS)
    cases.set(impl, await makeCase(impl, spec.cell, spec.size, spec.phase));
  for (const c of cases.values()) for (let i = 0; i < 2; i++) await c.run();
  const samples = { seqzoo: [] as number[], 'tfjs-layers': [] as number[] };
  const n = spec.matmulN;
  const a = n ? tf.randomNormal([n, n]) : undefined;
  const b = n ? tf.randomNormal([n, n]) : undefined;
  const matmulMs: number[] = [];
  if (a && b) await matmulOnce(a, b);
  for (let r = 0; r < spec.runs; r++) {
    for (const [impl, c] of cases) samples[impl].push(await timeOnce(c));
    if (a && b) matmulMs.push(await matmulOnce(a, b));
  }
  for (const c of cases.values()) c.dispose();
  tf.dispose([a, b].filter((t): t is tf.Tensor => t !== undefined));
  return { samples, matmulMs };
}

/** One more step of each implementation, counted and then under tf.profile. */
async function profileGroup(spec: GroupSpec): Promise<StepProfile[]> {
  const out: StepProfile[] = [];
  for (const impl of WEBGL_IMPLS) {
    const c = await makeCase(impl, spec.cell, spec.size, spec.phase);
    await c.run();
    counters.programs.clear();
    counters.uploads = 0;
    counters.uploadShapes.clear();
    await c.run();
    const uploadShapes = [...counters.uploadShapes].sort((x, y) => y[1] - x[1]);
    const programs = [...counters.programs].sort((x, y) => y[1] - x[1]);
    const uploads = counters.uploads;
    const t0 = performance.now();
    const p = await tf.profile(() => c.run());
    const profiledMs = performance.now() - t0;
    const byName = new Map<string, { calls: number; ms: number }>();
    for (const k of p.kernels) {
      const ms = await k.kernelTimeMs;
      const e = byName.get(k.name) ?? { calls: 0, ms: 0 };
      e.calls++;
      e.ms += typeof ms === 'number' ? ms : 0;
      byName.set(k.name, e);
    }
    out.push({
      impl,
      kernelMs: [...byName.values()].reduce((sum, e) => sum + e.ms, 0),
      kernels: p.kernels.length,
      programs: programs.reduce((s, [, k]) => s + k, 0),
      uploads,
      uploadShapes,
      byProgram: programs,
      byKernel: [...byName].map(([name, e]) => ({ name, ...e })).sort((x, y) => y.ms - x.ms),
      profiledMs,
    });
    c.dispose();
  }
  return out;
}

/**
 * The cost of one dispatch on its own: `n` tiny elementwise ops ([B, H] adds, chained) and `n`
 * [B, H]·[H, G·H] products (the per-step recurrent product), each batch read back once at the end
 * (WebGL runs them in order, so the last read waits for all), per op.
 */
async function dispatchCost(
  B: number,
  H: number,
  G: number,
  n = 100,
): Promise<{ addMs: number; stepMatMulMs: number }> {
  const h = tf.randomNormal([B, H]);
  const w = tf.randomNormal([H, G * H]);
  const perOp = async (f: (x: tf.Tensor) => tf.Tensor): Promise<number> => {
    const once = async () => {
      const t0 = performance.now();
      const kept: tf.Tensor[] = [];
      let x = h;
      for (let i = 0; i < n; i++) {
        x = f(x);
        kept.push(x);
      }
      await x.data();
      tf.dispose(kept);
      return performance.now() - t0;
    };
    await once();
    const s = [await once(), await once(), await once()].sort((p, q) => p - q);
    return s[1] / n;
  };
  const addMs = await perOp((x) => tf.add(x, h));
  const stepMatMulMs = await perOp(() => tf.matMul(h, w));
  tf.dispose([h, w]);
  return { addMs, stepMatMulMs };
}

declare global {
  interface Window {
    bench: {
      ready: Promise<Record<string, unknown>>;
      runGroup: typeof runGroup;
      profileGroup: typeof profileGroup;
      dispatchCost: typeof dispatchCost;
      numTensors: () => number;
    };
  }
}

window.bench = {
  ready: setup(),
  runGroup,
  profileGroup,
  dispatchCost,
  numTensors: () => tf.memory().numTensors,
};
