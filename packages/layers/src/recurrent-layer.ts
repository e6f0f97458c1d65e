import * as tf from '@tensorflow/tfjs-core';
import '#register-gradients';
import { checkPositiveInt, checkRate, InputShapeError, LayerConfigError } from './errors';
import { runFused } from './fused-recurrence';
import { fusedStep } from './fused-step';
import { Module } from './module';
import { Random } from './random';
import type { RecurrentCell, RecurrentCellOptions, RecurrentInitOptions } from './recurrent-cell';
import { lengthsTensor, reverseIndices, reverseTime, timeMask } from './sequence-ops';

export interface RecurrentLayerOptions extends RecurrentInitOptions {
  inputSize: number;
  hiddenSize: number;
  /** Stacked layers (default 1). */
  numLayers?: number;
  /** Run a second set of cells backwards over each sequence (default false). */
  bidirectional?: boolean;
  /** How the two directions' outputs are combined: 'concat' (default, PyTorch) or 'sum'. */
  mergeMode?: 'concat' | 'sum';
  /** Dropout on the outputs of every layer but the last, in training mode (default 0). */
  dropout?: number;
  /** Return every step `[B, T, H·dirs]` (default true) or only the final `[B, H·dirs]`. */
  returnSequences?: boolean;
  /** Read each sequence from its end (unidirectional layers only; default false). */
  goBackwards?: boolean;
  /** Biases `b_ih`, `b_hh` (default true). */
  bias?: boolean;
  /**
   * 'fused' (default): whole-sequence input projection and hand-written backprop through time.
   * 'cell': the plain per-step cell with autodiff (readable, slow; for checking).
   */
  implementation?: 'fused' | 'cell';
}

/** Options of a recurrent layer's `forward`: the lengths of a padded batch, the initial state. */
export interface RecurrentForwardOptions<S> {
  /** Valid steps per sequence of a right-padded batch: int32 `[B]` or numbers. */
  lengths?: tf.Tensor | readonly number[];
  /** Initial state, each tensor `[numLayers·dirs, B, H]` (PyTorch's layout). Default zeros. */
  initialState?: S;
}

/** The state of a sequence layer: each entry `[numLayers·dirs, B, H]`. */
export type SequenceState<K extends string> = { [key in K]: tf.Tensor3D };

/**
 * A stack of recurrent cells run over `[batch, time, features]`. Cells are children named `l0`,
 * `l0Reverse`, `l1`, … so parameters read `l0.weightIh`, `l0Reverse.biasHh`, ….
 */
export abstract class RecurrentLayer<K extends string> extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bidirectional: boolean;
  readonly mergeMode: 'concat' | 'sum';
  readonly dropout: number;
  readonly returnSequences: boolean;
  readonly goBackwards: boolean;
  readonly implementation: 'fused' | 'cell';
  /** Cells in PyTorch's order: layer 0 forward, layer 0 reverse, layer 1 forward, …. */
  readonly cells: RecurrentCell[] = [];
  private readonly stateKeys: readonly K[];
  private readonly rng: Random;

  constructor(
    options: RecurrentLayerOptions,
    stateKeys: readonly K[],
    createCell: (options: RecurrentCellOptions) => RecurrentCell,
  ) {
    super();
    this.inputSize = checkPositiveInt('inputSize', options.inputSize);
    this.hiddenSize = checkPositiveInt('hiddenSize', options.hiddenSize);
    this.numLayers = checkPositiveInt('numLayers', options.numLayers ?? 1);
    this.bidirectional = options.bidirectional ?? false;
    this.mergeMode = options.mergeMode ?? 'concat';
    if (this.mergeMode !== 'concat' && this.mergeMode !== 'sum') {
      throw new LayerConfigError(
        'mergeMode',
        `expected 'concat' or 'sum', got '${String(this.mergeMode)}'.`,
      );
    }
    this.dropout = checkRate('dropout', options.dropout ?? 0);
    this.returnSequences = options.returnSequences ?? true;
    this.goBackwards = options.goBackwards ?? false;
    if (this.goBackwards && this.bidirectional) {
      throw new LayerConfigError(
        'goBackwards',
        'a bidirectional layer already reads both ways; use goBackwards only with bidirectional: false.',
      );
    }
    this.implementation = options.implementation ?? 'fused';
    if (this.implementation !== 'fused' && this.implementation !== 'cell') {
      throw new LayerConfigError(
        'implementation',
        `expected 'fused' or 'cell', got '${String(this.implementation)}'.`,
      );
    }
    this.stateKeys = stateKeys;
    this.rng = new Random(options.seed);
    const dirs = this.directions;
    const width = this.mergeMode === 'concat' ? dirs * this.hiddenSize : this.hiddenSize;
    for (let l = 0; l < this.numLayers; l++) {
      for (let d = 0; d < dirs; d++) {
        const cell = createCell({
          ...options,
          inputSize: l === 0 ? this.inputSize : width,
          seed: this.rng.nextInt(),
        });
        this.cells.push(this.registerModule(d === 0 ? `l${l}` : `l${l}Reverse`, cell));
      }
    }
  }

  /** 2 when bidirectional, else 1. */
  get directions(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** The feature size of the output: H·dirs for 'concat', H for 'sum'. */
  get outputSize(): number {
    return this.mergeMode === 'concat' ? this.directions * this.hiddenSize : this.hiddenSize;
  }

  /**
   * Runs the layer over `x` `[B, T, inputSize]`. Returns `output` `[B, T, outputSize]` (zero past
   * each length) or `[B, outputSize]` with `returnSequences: false` (the final states of the top
   * layer, merged), and the final `state` (each `[numLayers·dirs, B, H]`; with lengths, the state
   * at each sequence's last valid step). The caller owns the returned tensors.
   */
  forward(
    x: tf.Tensor,
    options: RecurrentForwardOptions<SequenceState<K>> = {},
  ): { output: tf.Tensor; state: SequenceState<K> } {
    if (x.rank !== 3 || x.shape[2] !== this.inputSize) {
      throw new InputShapeError(
        `${this.constructor.name} expects x [batch, time, ${this.inputSize}], got [${x.shape}].`,
      );
    }
    if (x.dtype !== 'float32') {
      throw new InputShapeError(`${this.constructor.name} expects float32 input, got ${x.dtype}.`);
    }
    const [B, T] = x.shape as [number, number, number];
    if (T < 1 || B < 1) {
      throw new InputShapeError(
        `${this.constructor.name} needs at least one sequence and one time step, got [${x.shape}].`,
      );
    }
    if (options.initialState) this.checkState(options.initialState, B);
    return tf.tidy(() => {
      const lengths = options.lengths ? lengthsTensor(options.lengths, B, T) : null;
      const mask = lengths ? timeMask(lengths, T) : null;
      const needsReverse = this.bidirectional || this.goBackwards;
      const reverse = needsReverse && lengths ? reverseIndices(lengths, T) : null;
      const initial = this.initialStates(options.initialState, B);
      const finals: tf.Tensor2D[][] = [];
      let input = tf.transpose(x, [1, 0, 2]) as tf.Tensor3D;
      for (let l = 0; l < this.numLayers; l++) {
        const outs: tf.Tensor3D[] = [];
        for (let d = 0; d < this.directions; d++) {
          const k = l * this.directions + d;
          const backwards = d === 1 || this.goBackwards;
          const seq = backwards ? reverseTime(input, reverse) : input;
          const run = this.runCell(this.cells[k], seq, initial[k], mask);
          outs.push(backwards ? reverseTime(run.output, reverse) : run.output);
          finals.push(run.state);
        }
        input = this.merge(outs, 2);
        if (this.training && this.dropout > 0 && l < this.numLayers - 1) {
          input = tf.dropout(input, this.dropout, undefined, this.rng.nextInt()) as tf.Tensor3D;
        }
      }
      const top = finals.slice(-this.directions).map((s) => s[0]);
      const output = this.returnSequences ? tf.transpose(input, [1, 0, 2]) : this.merge(top, 1);
      return { output, state: this.packState(finals) };
    });
  }

  private merge<T extends tf.Tensor>(parts: T[], axis: number): T {
    if (parts.length === 1) return parts[0];
    return (this.mergeMode === 'concat' ? tf.concat(parts, axis) : tf.addN(parts)) as T;
  }

  private runCell(
    cell: RecurrentCell,
    x: tf.Tensor3D,
    initial: tf.Tensor2D[],
    mask: tf.Tensor3D | null,
  ): { output: tf.Tensor3D; state: tf.Tensor2D[] } {
    if (this.implementation === 'fused' && cell.math) {
      const bias =
        cell.biasIh && cell.biasHh
          ? ([cell.biasIh, cell.biasHh] as [tf.Tensor1D, tf.Tensor1D])
          : null;
      return runFused(
        cell.math,
        x,
        cell.weightIh as tf.Tensor2D,
        cell.weightHh as tf.Tensor2D,
        bias,
        initial,
        { mask: mask ?? undefined },
      );
    }
    // The plain path: one autodiff-recorded cell step per time step.
    const xs = tf.unstack(x) as tf.Tensor2D[];
    const masks = mask ? (tf.unstack(mask) as tf.Tensor2D[]) : null;
    let state = initial;
    const outputs: tf.Tensor2D[] = [];
    xs.forEach((xt, t) => {
      const candidate = cell.stepState(xt, state);
      const m = masks?.[t];
      outputs.push(m ? (tf.mul(candidate[0], m) as tf.Tensor2D) : candidate[0]);
      state = m
        ? candidate.map((c, i) => tf.add(state[i], tf.mul(m, tf.sub(c, state[i]))) as tf.Tensor2D)
        : candidate;
    });
    return { output: tf.stack(outputs) as tf.Tensor3D, state };
  }

  /** Per cell, the list of state tensors `[B, H]` (zeros unless given). */
  private initialStates(given: SequenceState<K> | undefined, batch: number): tf.Tensor2D[][] {
    if (!given) return this.cells.map((cell) => cell.zeroState(batch));
    const perKey = this.stateKeys.map((key) => tf.unstack(given[key]) as tf.Tensor2D[]);
    return this.cells.map((_, k) => perKey.map((list) => list[k]));
  }

  private packState(finals: tf.Tensor2D[][]): SequenceState<K> {
    const out = {} as SequenceState<K>;
    this.stateKeys.forEach((key, i) => {
      out[key] = tf.stack(finals.map((s) => s[i])) as tf.Tensor3D;
    });
    return out;
  }

  private checkState(state: SequenceState<K>, batch: number): void {
    const expected = [this.numLayers * this.directions, batch, this.hiddenSize];
    for (const key of this.stateKeys) {
      const t = state[key];
      if (!t || !tf.util.arraysEqual(t.shape, expected)) {
        throw new InputShapeError(
          `${this.constructor.name}: state '${key}' must have shape [${expected}] ([numLayers·dirs, batch, hiddenSize]), got ${t ? `[${t.shape}]` : 'nothing'}.`,
        );
      }
    }
  }

  /**
   * One time step for generation: `x` `[B, inputSize]` → `output` `[B, H]` (the top layer's h)
   * and the new state. Unidirectional layers only. Uses the plain cell step (no tape needed).
   */
  step(x: tf.Tensor, state?: SequenceState<K>): { output: tf.Tensor2D; state: SequenceState<K> } {
    if (this.bidirectional || this.goBackwards) {
      throw new LayerConfigError(
        this.bidirectional ? 'bidirectional' : 'goBackwards',
        'step() runs forward in time one token at a time; it needs a unidirectional, forward layer.',
      );
    }
    if (x.rank !== 2 || x.shape[1] !== this.inputSize) {
      throw new InputShapeError(
        `${this.constructor.name}.step expects x [batch, ${this.inputSize}], got [${x.shape}].`,
      );
    }
    const batch = x.shape[0] as number;
    if (state) this.checkState(state, batch);
    return tf.tidy(() => {
      const initial = this.initialStates(state, batch);
      const finals: tf.Tensor2D[][] = [];
      let input = x as tf.Tensor2D;
      this.cells.forEach((_, l) => {
        const next = this.stepCell(l, input, initial[l]);
        finals.push(next);
        input = this.dropoutBetween(next[0], l);
      });
      return { output: finals[finals.length - 1][0], state: this.packState(finals) };
    });
  }

  /** @internal One step of cell `k` for `step()` and the stepper. */
  stepCell(k: number, x: tf.Tensor2D, prev: tf.Tensor2D[]): tf.Tensor2D[] {
    const cell = this.cells[k];
    // Under a gradient tape (e.g. a decoder trained step by step), take the plain step so that the
    // variables themselves are on the tape; otherwise the fused maths.
    const taping = (tf.engine() as unknown as { isTapeOn(): boolean }).isTapeOn();
    return taping ? cell.stepState(x, prev) : fusedStep(cell, x, prev);
  }

  /** @internal Inter-layer dropout after layer `l` (training mode, all but the last layer). */
  dropoutBetween(x: tf.Tensor2D, l: number): tf.Tensor2D {
    if (!this.training || this.dropout === 0 || l >= this.numLayers - 1) return x;
    return tf.dropout(x, this.dropout, undefined, this.rng.nextInt()) as tf.Tensor2D;
  }

  /** @internal Per-cell states from a `SequenceState` (or zeros). */
  unpackState(state: SequenceState<K> | undefined, batch: number): tf.Tensor2D[][] {
    if (state) this.checkState(state, batch);
    return this.initialStates(state, batch);
  }

  /** @internal Stacks per-cell states into a `SequenceState`. */
  stackState(states: tf.Tensor2D[][]): SequenceState<K> {
    return this.packState(states);
  }

  /**
   * A stateful stepper for generation: it keeps the state between calls (zeros, or `initial`),
   * `step(x)` returns the output (the caller owns it), `reset()` starts over, `dispose()` frees
   * the state.
   */
  createStepper(
    options: { batchSize?: number; initialState?: SequenceState<K> } = {},
  ): RecurrentStepper<K> {
    return new RecurrentStepper(this, options.batchSize ?? 1, options.initialState);
  }
}

/**
 * Carries a layer's state across `step` calls (see `RecurrentLayer.createStepper`). The state is
 * kept per cell (no stacking per token), so a token costs two matmuls and the gate maths per
 * layer.
 */
export class RecurrentStepper<K extends string> {
  private cells: tf.Tensor2D[][] | null = null;
  private packed: SequenceState<K> | null = null;

  constructor(
    private readonly layer: RecurrentLayer<K>,
    readonly batchSize: number,
    initial?: SequenceState<K>,
  ) {
    this.reset(initial);
  }

  /**
   * The state after the last step, each `[numLayers, B, H]` (owned by the stepper, valid until the
   * next step; undefined before the first step unless an initial state was given).
   */
  get state(): SequenceState<K> | undefined {
    if (!this.cells) return undefined;
    if (!this.packed) {
      const cells = this.cells;
      this.packed = tf.tidy(
        () => this.layer.stackState(cells) as unknown as tf.TensorContainer,
      ) as unknown as SequenceState<K>;
    }
    return this.packed;
  }

  /** Runs one step on `x` `[batchSize, inputSize]`; returns `[batchSize, H]` (owned by the caller). */
  step(x: tf.Tensor): tf.Tensor2D {
    if (x.rank !== 2 || x.shape[0] !== this.batchSize || x.shape[1] !== this.layer.inputSize) {
      throw new InputShapeError(
        `The stepper expects x [${this.batchSize}, ${this.layer.inputSize}], got [${x.shape}].`,
      );
    }
    if (this.layer.bidirectional || this.layer.goBackwards) this.layer.step(x); // throws the config error
    const prev = this.cells;
    const next = tf.tidy(() => {
      const states = prev ?? this.layer.unpackState(undefined, this.batchSize);
      let input = x as tf.Tensor2D;
      return this.layer.cells.map((_, l) => {
        const s = this.layer.stepCell(l, input, states[l]);
        input = this.layer.dropoutBetween(s[0], l);
        return s;
      });
    });
    this.disposeState();
    this.cells = next;
    return tf.clone(next[next.length - 1][0]);
  }

  /** Forgets the state (back to zeros), or starts from a copy of `initial`. */
  reset(initial?: SequenceState<K>): void {
    this.disposeState();
    this.cells = initial
      ? tf.tidy(() =>
          this.layer.unpackState(initial, this.batchSize).map((s) => s.map((t) => tf.clone(t))),
        )
      : null;
  }

  private disposeState(): void {
    if (this.cells) tf.dispose(this.cells.flat());
    if (this.packed) tf.dispose(Object.values(this.packed) as tf.Tensor[]);
    this.cells = null;
    this.packed = null;
  }

  /** Frees the state. */
  dispose(): void {
    this.disposeState();
  }
}
