import * as tf from '@tensorflow/tfjs-core';
import { checkPositiveInt, InputShapeError, LayerConfigError } from './errors';
import type { FusedCellMath } from './fused-recurrence';
import { type Initializer, resolveInitializer } from './initializers';
import { Module } from './module';
import { Random } from './random';

/** How a recurrent layer initialises its weights. */
export interface RecurrentInitOptions {
  /**
   * 'keras' (default): Glorot-uniform input weights, orthogonal recurrent weights, zero biases
   * (LSTM forget gate 1). 'pytorch': everything U(±1/√hiddenSize), no forget-gate offset.
   * The individual initializers below override the preset.
   */
  init?: 'keras' | 'pytorch';
  kernelInitializer?: Initializer;
  recurrentInitializer?: Initializer;
  biasInitializer?: Initializer;
  /** Seed for the initializers (and dropout, in sequence layers). Default: random. */
  seed?: number;
}

export interface RecurrentCellOptions extends RecurrentInitOptions {
  inputSize: number;
  hiddenSize: number;
  /** Add the biases `b_ih`, `b_hh` (default true). */
  bias?: boolean;
}

/**
 * The parameters every cell shares, in a fused-gate layout: `weightIh` `[inputSize, G·H]`,
 * `weightHh` `[H, G·H]`, `biasIh` and `biasHh` `[G·H]`, gates side by side along the last axis in
 * PyTorch's order. `step` is the plain, readable path (autodiff); `math` is the fused path's
 * elementwise step with its hand-written derivative.
 */
export abstract class RecurrentCell extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly gates: number;
  readonly weightIh: tf.Variable;
  readonly weightHh: tf.Variable;
  readonly biasIh: tf.Variable | null;
  readonly biasHh: tf.Variable | null;
  /** The number of state tensors: 2 for LSTM (h, c), else 1 (h). */
  abstract readonly stateSize: number;
  /** The fused path's maths, or null when this configuration has none. */
  abstract readonly math: FusedCellMath | null;

  constructor(options: RecurrentCellOptions, gates: number, rng = new Random(options.seed)) {
    super();
    this.inputSize = checkPositiveInt('inputSize', options.inputSize);
    this.hiddenSize = checkPositiveInt('hiddenSize', options.hiddenSize);
    this.gates = gates;
    const H = this.hiddenSize;
    const preset = options.init ?? 'keras';
    if (preset !== 'keras' && preset !== 'pytorch') {
      throw new LayerConfigError('init', `expected 'keras' or 'pytorch', got '${String(preset)}'.`);
    }
    const torch = preset === 'pytorch';
    const common = { rng, pytorchBound: 1 / Math.sqrt(H) };
    this.weightIh = this.createParameter('weightIh', [this.inputSize, gates * H], {
      ...common,
      init: options.kernelInitializer ?? (torch ? 'pytorchUniform' : 'glorotUniform'),
    });
    this.weightHh = this.createParameter('weightHh', [H, gates * H], {
      ...common,
      init: options.recurrentInitializer ?? (torch ? 'pytorchUniform' : 'orthogonal'),
    });
    if (options.bias === false) {
      this.biasIh = null;
      this.biasHh = null;
    } else {
      const biasInit = options.biasInitializer ?? (torch ? 'pytorchUniform' : 'zeros');
      this.biasIh = this.createParameter('biasIh', [gates * H], {
        ...common,
        init: this.adjustBiasIh(biasInit, options),
        fanIn: this.inputSize,
        fanOut: gates * H,
      });
      this.biasHh = this.createParameter('biasHh', [gates * H], {
        ...common,
        init: biasInit,
        fanIn: H,
        fanOut: gates * H,
      });
    }
  }

  /** Lets LSTM add its forget-gate offset to the input bias. */
  protected adjustBiasIh(init: Initializer, _options: RecurrentCellOptions): Initializer {
    return init;
  }

  /** Zero state for a batch: `stateSize` tensors `[batch, H]`. */
  zeroState(batch: number): tf.Tensor2D[] {
    return Array.from({ length: this.stateSize }, () => tf.zeros([batch, this.hiddenSize]));
  }

  /**
   * One step of the plain path: `x` `[B, inputSize]`, `state` the `stateSize` tensors `[B, H]`
   * (h first). Returns the new state; the output is its first tensor, h.
   */
  abstract stepState(x: tf.Tensor2D, state: tf.Tensor2D[]): tf.Tensor2D[];

  /** Throws an `InputShapeError` unless `x` is `[B, inputSize]` and each state tensor `[B, hiddenSize]`. */
  protected checkStep(x: tf.Tensor, state: tf.Tensor[]): void {
    if (x.rank !== 2 || x.shape[1] !== this.inputSize) {
      throw new InputShapeError(
        `${this.constructor.name}.step expects x [batch, ${this.inputSize}], got [${x.shape}].`,
      );
    }
    for (const s of state) {
      if (s.rank !== 2 || s.shape[0] !== x.shape[0] || s.shape[1] !== this.hiddenSize) {
        throw new InputShapeError(
          `${this.constructor.name}.step expects state tensors [${x.shape[0]}, ${this.hiddenSize}], got [${s.shape}].`,
        );
      }
    }
  }
}

/** Keras' forget-gate offset: 1 added on the forget gate's slice (the second H) of a bias. */
export function withForgetBias(init: Initializer, hidden: number): Initializer {
  const base = resolveInitializer(init);
  return (shape, ctx) => {
    const values = base(shape, ctx);
    for (let j = hidden; j < 2 * hidden; j++) values[j] += 1;
    return values;
  };
}

/** A cell whose state is h alone (GRU, simple RNN): the `step` they share. */
export abstract class HiddenStateCell extends RecurrentCell {
  readonly stateSize = 1;

  /** One step: returns the output (h) and the new state. */
  step(
    x: tf.Tensor2D,
    state?: { h: tf.Tensor2D },
  ): {
    output: tf.Tensor2D;
    state: { h: tf.Tensor2D };
  } {
    const s = state ? [state.h] : this.zeroState(x.shape[0]);
    const [h] = tf.tidy(() => this.stepState(x, s));
    if (!state) tf.dispose(s);
    return { output: h, state: { h } };
  }
}
