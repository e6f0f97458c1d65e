import {
  type CellType,
  createRecurrent,
  crossEntropy,
  Dense,
  Module,
  Random,
  type RecurrentLayer,
  runFused,
  valueAndGrads,
} from '@seqzoo/layers';
import * as tf from '@tensorflow/tfjs-core';
import { type CopyBatch, copyBatch } from './copy-task';
import { checkInt, PlotArgumentError } from './errors';

/** Options of the gradient-flow measurement on the copy task. */
export interface GradientFlowOptions {
  /** Hidden units (default 32). */
  hiddenSize?: number;
  /** Symbols of the copy task (default 8). */
  symbols?: number;
  /** Sequences per measurement and per training step (default 16). */
  batchSize?: number;
  /** Seed of the weights (the same for every cell type) and of the data (default 0). */
  seed?: number;
  /** Adam's learning rate for `trainStep` (default 0.01). */
  lr?: number;
  /**
   * The layers' initialisation: 'pytorch' (default: every weight U(±1/√H), as in PyTorch) or
   * 'keras' (Glorot input weights, orthogonal recurrent weights).
   */
  init?: 'keras' | 'pytorch';
  /** LSTM: start the forget gate's bias at 1 (default true; common practice since 2015). */
  unitForgetBias?: boolean;
}

/** ‖∂L/∂h_t‖ of one model at one sequence length, t = 0 … length − 1. */
export interface GradientFlowCurve {
  cell: CellType;
  length: number;
  /** Mean over the batch of ‖∂ℓ/∂h_t‖ (ℓ: the cross-entropy of the one prediction, at the end). */
  norms: number[];
  /** Training steps the model had taken when measured. */
  steps: number;
}

const GREEK: Record<CellType, string> = { rnn: 'RNN', gru: 'GRU', lstm: 'LSTM' };
/** The display name of a cell type: RNN, GRU, LSTM. */
export function cellName(cell: CellType): string {
  return GREEK[cell];
}

/**
 * A recurrent model on the copy task ("recall the first symbol"): one-hot symbols → an
 * `@seqzoo/layers` sequence layer (`RNN`, `GRU` or `LSTM`, fused path, Keras initialisation) →
 * `Dense` → the first symbol. `measure(length)` runs the sequence and the layer's own
 * backward pass and returns ‖∂L/∂h_t‖ for every t; `trainStep(length)` takes one Adam step.
 *
 * How ∂L/∂h_t is read out of the fused layer: the sequence is run one step per call of the layer's
 * fused recurrence (`runFused` with the layer's cell: what `forward` runs), each call starting
 * from the previous call's state plus a zero tensor e_t added to h; the gradient of the loss with
 * respect to e_t (`tf.grads`, through each call's hand-written backward pass) is exactly
 * ∂L/∂h_t, the total derivative through every later step. (Not through `forward`'s
 * `initialState`: a one-layer state is unstacked along an axis of size 1, and tfjs' Unpack
 * gradient fails on a single output.)
 */
export class GradientFlowModel extends Module {
  readonly rnn: RecurrentLayer<'h' | 'c'> | RecurrentLayer<'h'>;
  readonly head: Dense;
  readonly cell: CellType;
  readonly hiddenSize: number;
  readonly symbols: number;
  readonly batchSize: number;
  private readonly rng: Random;
  private readonly optimizer: tf.Optimizer;
  /** Training steps taken. */
  steps = 0;

  constructor(cell: CellType, options: GradientFlowOptions = {}) {
    super();
    if (!['rnn', 'gru', 'lstm'].includes(cell)) {
      throw new PlotArgumentError('cell', `expected rnn, gru or lstm, got '${String(cell)}'.`);
    }
    this.cell = cell;
    this.hiddenSize = checkInt('hiddenSize', options.hiddenSize ?? 32, 1, 4096);
    this.symbols = checkInt('symbols', options.symbols ?? 8, 2, 4096);
    this.batchSize = checkInt('batchSize', options.batchSize ?? 16, 1, 4096);
    const seed = checkInt('seed', options.seed ?? 0, 0, 2 ** 31 - 1);
    this.rng = new Random(seed + 1);
    this.rnn = this.registerModule(
      'rnn',
      createRecurrent(cell, {
        inputSize: this.symbols,
        hiddenSize: this.hiddenSize,
        seed,
        init: options.init ?? 'pytorch',
        unitForgetBias: options.unitForgetBias ?? true,
      } as Parameters<typeof createRecurrent>[1]),
    );
    this.head = this.registerModule(
      'head',
      new Dense({ inputSize: this.hiddenSize, outputSize: this.symbols, seed: seed + 2 }),
    );
    this.optimizer = tf.train.adam(options.lr ?? 0.01);
  }

  /** A batch of the task (from the model's own seeded stream). */
  batch(length: number): CopyBatch {
    checkInt('length', length, 1, 100_000);
    return copyBatch(this.batchSize, length, this.symbols, this.rng);
  }

  /** ‖∂L/∂h_t‖, t = 0 … length − 1, on a fresh batch (or `batch`). Leaves no tensors behind. */
  measure(length: number, batch: CopyBatch = this.batch(length)): GradientFlowCurve {
    const B = batch.input.length;
    const norms = tf.tidy(() => {
      const perturb = batch.input[0].map(() => tf.zeros([B, this.hiddenSize]));
      const grads = tf.grads((...e: tf.Tensor[]) => this.stepwiseLoss(batch, e))(perturb);
      // [T, B] → the mean over the batch of each row's norm.
      const rowNorms = tf.stack(grads.map((g) => tf.norm(g, 'euclidean', 1)));
      return tf.mean(rowNorms, 1);
    });
    const values = Array.from(norms.dataSync());
    norms.dispose();
    return { cell: this.cell, length, norms: values, steps: this.steps };
  }

  /**
   * The summed loss of `batch` with `perturb[t]` (`[B, H]`) added to h_t, the sequence run one
   * step per fused call (what `measure` differentiates; exposed to check it against finite
   * differences). Call it inside `tf.tidy`.
   */
  stepwiseLoss(batch: CopyBatch, perturb: readonly tf.Tensor[]): tf.Scalar {
    const B = batch.input.length;
    const x = oneHot(batch.input, this.symbols);
    const target = tf.tensor1d(batch.target, 'int32');
    // Time-major steps [1, B, F], each run as its own call of the layer's fused recurrence.
    const steps = tf.split(tf.transpose(x, [1, 0, 2]), x.shape[1], 0) as tf.Tensor3D[];
    const cell = this.rnn.cells[0];
    const math = cell.math;
    if (!math) throw new PlotArgumentError('cell', `${this.cell} has no fused maths.`);
    if (perturb.length !== steps.length) {
      throw new PlotArgumentError(
        'perturb',
        `expected ${steps.length} tensors, got ${perturb.length}.`,
      );
    }
    const bias =
      cell.biasIh && cell.biasHh
        ? ([cell.biasIh, cell.biasHh] as [tf.Tensor1D, tf.Tensor1D])
        : null;
    let state: tf.Tensor2D[] = cell.zeroState(B);
    steps.forEach((xt, t) => {
      const run = runFused(
        math,
        xt,
        cell.weightIh as tf.Tensor2D,
        cell.weightHh as tf.Tensor2D,
        bias,
        state,
      );
      state = [tf.add(run.state[0], perturb[t]) as tf.Tensor2D, ...run.state.slice(1)];
    });
    // The sum over the batch: each row's gradient is its own sequence's ∂ℓ/∂h_t.
    return crossEntropy(this.head.forward(state[0]), target, { reduction: 'sum' }) as tf.Scalar;
  }

  /** The mean loss on `batch` (the whole sequence in one fused `forward`). */
  private lossOf(batch: CopyBatch): tf.Scalar {
    return tf.tidy(() => {
      const x = oneHot(batch.input, this.symbols);
      const { state } = this.rnn.forward(x);
      const last = tf.squeeze(state.h, [0]);
      return crossEntropy(this.head.forward(last), tf.tensor1d(batch.target, 'int32')) as tf.Scalar;
    });
  }

  /** One Adam step on a fresh batch of `length`; returns the loss before the step. */
  trainStep(length: number): number {
    const batch = this.batch(length);
    const { value, grads } = valueAndGrads(this, () => this.lossOf(batch));
    const named = this.namedParameters();
    this.optimizer.applyGradients(
      [...grads].map(([path, g]) => ({ name: (named.get(path) as tf.Variable).name, tensor: g })),
    );
    const loss = value.dataSync()[0];
    tf.dispose([value, ...grads.values()]);
    this.steps++;
    return loss;
  }

  override dispose(): void {
    this.optimizer.dispose();
    super.dispose();
  }
}

/**
 * ‖∂L/∂h_t‖ for an RNN, a GRU and an LSTM (the same seed, hidden size and batch) at each of
 * `lengths`, after `trainSteps` Adam steps at the longest length (default 0: fresh models).
 */
export function gradientFlow(
  lengths: readonly number[],
  options: GradientFlowOptions & { cells?: readonly CellType[]; trainSteps?: number } = {},
): GradientFlowCurve[] {
  if (lengths.length === 0) throw new PlotArgumentError('lengths', 'give at least one length.');
  const curves: GradientFlowCurve[] = [];
  for (const cell of options.cells ?? (['rnn', 'gru', 'lstm'] as const)) {
    const model = new GradientFlowModel(cell, options);
    try {
      const trainSteps = checkInt('trainSteps', options.trainSteps ?? 0, 0, 1_000_000);
      for (let s = 0; s < trainSteps; s++) model.trainStep(Math.max(...lengths));
      // The same data for every cell type: a batch per length from a stream seeded alike.
      for (const length of lengths) curves.push(model.measure(length));
    } finally {
      model.dispose();
    }
  }
  return curves;
}

/** `[B, T]` ids → `[B, T, symbols]` float32 one-hot vectors. */
function oneHot(ids: number[][], symbols: number): tf.Tensor3D {
  return tf.tidy(
    () =>
      tf.cast(tf.oneHot(tf.tensor2d(ids, undefined, 'int32'), symbols), 'float32') as tf.Tensor3D,
  );
}
