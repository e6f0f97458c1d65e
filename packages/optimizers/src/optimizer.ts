import * as tf from '@tensorflow/tfjs-core';
import {
  GradientMismatchError,
  OptimizerConfigError,
  OptimizerDisposedError,
  StateDictError,
} from './errors';
import { type NamedTensors, type NamedVariables, toMap } from './named';
import { type GroupSpec, type ParamGroup, resolveGroups } from './param-groups';

/** The per-parameter state: how many steps it has taken and its buffers (`exp_avg`, …). */
export interface ParamState {
  step: number;
  buffers: Record<string, tf.Tensor>;
}

/** What an update rule returns: the new parameter value and the new buffers (tidied by the caller). */
export interface UpdateResult {
  param: tf.Tensor;
  buffers: Record<string, tf.Tensor>;
}

/** An update rule (one per optimizer): torch.optim's `_single_tensor_*` for one parameter. */
export interface Algorithm<O extends { lr: number }> {
  readonly type: string;
  /** Throws OptimizerConfigError for a bad option; `where` prefixes the option name. */
  validate(options: O, where: string): void;
  /** Buffers created before the first step (zeros, Adagrad's initial accumulator). */
  init(param: tf.Variable, options: O): Record<string, tf.Tensor>;
  /** The update for step `step` (1-based). Runs inside tf.tidy. */
  update(param: tf.Variable, grad: tf.Tensor, state: ParamState, options: O): UpdateResult;
}

/** JSON-able metadata of an optimizer's state; the tensors travel beside it. */
export interface OptimizerStateMeta {
  format: 'seqzoo.optimizer/1';
  type: string;
  groups: { params: string[]; options: Record<string, unknown>; initialLr?: number }[];
  /** Per parameter: its step count and the names of its buffers. */
  state: Record<string, { step: number; buffers: string[] }>;
}

/**
 * An optimizer's state: JSON-able `meta` plus `tensors`, the buffers named
 * `state.<param>.<buffer>` (e.g. `state.encoder.rnn.0.weightIh.exp_avg`), ready for safetensors.
 */
export interface OptimizerStateDict {
  meta: OptimizerStateMeta;
  tensors: Map<string, tf.Tensor>;
}

/** The common interface of `sgd`, `adam`, `adamw`, `rmsprop` and `adagrad`. */
export interface Optimizer<O extends { lr: number } = { lr: number }> {
  readonly type: string;
  /** Group 0 is the default group; explicit groups follow in the order given. */
  readonly paramGroups: readonly ParamGroup<O>[];
  /** Learning rate of group 0. Setting it sets the learning rate of every group. */
  lr: number;
  /** Applies one update. Parameters without a gradient are skipped (torch's `grad is None`). */
  step(grads: NamedTensors): void;
  /** Copies of the state; the caller owns (and disposes) the returned tensors. */
  stateDict(): OptimizerStateDict;
  /** Restores a state (tensors are copied; the caller keeps ownership of its own). */
  loadStateDict(state: OptimizerStateDict): void;
  /** The state of one parameter, or undefined before its first step (read-only view). */
  stateOf(name: string): Readonly<ParamState> | undefined;
  /** Disposes every buffer. Parameters belong to the model and are left alone. */
  dispose(): void;
}

/** Options common to every optimizer factory: parameter groups. */
export interface GroupsOption<O> {
  /** Parameter groups with their own options; see `ParamSelector`. */
  groups?: readonly GroupSpec<O>[];
}

export function splitOptions<O extends object>(
  defaults: O,
  options: (Partial<O> & GroupsOption<O>) | undefined,
): { base: O; groups: readonly GroupSpec<O>[] } {
  const { groups = [], ...rest } = (options ?? {}) as Partial<O> & GroupsOption<O>;
  const base = { ...defaults } as Record<string, unknown>;
  for (const [key, value] of Object.entries(rest)) {
    if (!(key in defaults)) {
      throw new OptimizerConfigError(
        key,
        value,
        `one of the options ${Object.keys(defaults).join(', ')}, or groups`,
      );
    }
    if (value !== undefined) base[key] = value;
  }
  if (!Array.isArray(groups)) {
    throw new OptimizerConfigError('groups', groups, 'an array of parameter groups');
  }
  return { base: base as O, groups };
}

export class GroupedOptimizer<O extends { lr: number }> implements Optimizer<O> {
  readonly paramGroups: ParamGroup<O>[];
  readonly type: string;
  private readonly params: Map<string, tf.Variable>;
  private readonly state = new Map<string, ParamState>();
  private disposed = false;

  constructor(
    private readonly algorithm: Algorithm<O>,
    params: NamedVariables,
    defaults: O,
    options: (Partial<O> & GroupsOption<O>) | undefined,
  ) {
    this.type = algorithm.type;
    this.params = toMap(params);
    for (const [name, v] of this.params) {
      if (!(v instanceof tf.Variable)) {
        throw new OptimizerConfigError(`params['${name}']`, typeof v, 'a tf.Variable');
      }
    }
    const { base, groups } = splitOptions(defaults, options);
    algorithm.validate(base, '');
    this.paramGroups = resolveGroups(this.params, base, groups);
    this.paramGroups.forEach((g, i) => {
      if (i > 0) algorithm.validate(g.options, `groups[${i - 1}].`);
    });
  }

  get lr(): number {
    return this.paramGroups[0].options.lr;
  }

  set lr(value: number) {
    if (!(value >= 0)) throw new OptimizerConfigError('lr', value, 'a number >= 0');
    for (const g of this.paramGroups) g.options.lr = value;
  }

  stateOf(name: string): Readonly<ParamState> | undefined {
    return this.state.get(name);
  }

  step(grads: NamedTensors): void {
    this.assertLive();
    const byName = toMap(grads);
    for (const group of this.paramGroups) {
      for (const name of group.params) {
        const grad = byName.get(name);
        if (grad === undefined || grad === null) continue;
        const param = this.params.get(name) as tf.Variable;
        this.check(name, param, grad);
        let st = this.state.get(name);
        if (st === undefined) {
          const init = tf.tidy(() => this.algorithm.init(param, group.options));
          st = { step: 0, buffers: init };
          this.state.set(name, st);
        }
        st.step += 1;
        const current = st;
        const out = tf.tidy(
          () =>
            this.algorithm.update(
              param,
              grad,
              current,
              group.options,
            ) as unknown as tf.TensorContainer,
        ) as unknown as UpdateResult;
        param.assign(out.param);
        out.param.dispose();
        for (const [key, next] of Object.entries(out.buffers)) {
          const old = current.buffers[key];
          if (old !== undefined && old !== next) old.dispose();
          current.buffers[key] = next;
        }
      }
    }
  }

  private check(name: string, param: tf.Variable, grad: tf.Tensor): void {
    if (!(grad instanceof tf.Tensor)) {
      throw new GradientMismatchError(name, `expected a tf.Tensor, got ${typeof grad}`);
    }
    if (!tf.util.arraysEqual(grad.shape, param.shape)) {
      throw new GradientMismatchError(
        name,
        `shape [${grad.shape}] differs from the parameter's [${param.shape}]`,
      );
    }
    if (grad.dtype !== param.dtype) {
      throw new GradientMismatchError(name, `dtype ${grad.dtype} differs from ${param.dtype}`);
    }
  }

  stateDict(): OptimizerStateDict {
    this.assertLive();
    const tensors = new Map<string, tf.Tensor>();
    const state: OptimizerStateMeta['state'] = {};
    for (const [name, st] of this.state) {
      const buffers = Object.keys(st.buffers);
      state[name] = { step: st.step, buffers };
      for (const b of buffers) tensors.set(`state.${name}.${b}`, tf.clone(st.buffers[b]));
    }
    const groups = this.paramGroups.map((g) => ({
      params: [...g.params],
      options: { ...(g.options as Record<string, unknown>) },
      ...(g.initialLr === undefined ? {} : { initialLr: g.initialLr }),
    }));
    return {
      meta: {
        format: 'seqzoo.optimizer/1',
        type: this.type,
        groups: structuredClone(groups),
        state,
      },
      tensors,
    };
  }

  loadStateDict(dict: OptimizerStateDict): void {
    this.assertLive();
    const { meta, tensors } = dict;
    if (meta?.format !== 'seqzoo.optimizer/1') {
      throw new StateDictError(`unknown format ${JSON.stringify(meta?.format)}`);
    }
    if (meta.type !== this.type) {
      throw new StateDictError(`it was saved by ${meta.type}, this optimizer is ${this.type}`);
    }
    if (meta.groups.length !== this.paramGroups.length) {
      throw new StateDictError(
        `it has ${meta.groups.length} parameter groups, this optimizer has ${this.paramGroups.length}`,
      );
    }
    meta.groups.forEach((g, i) => {
      const mine = this.paramGroups[i].params;
      if (g.params.length !== mine.length || g.params.some((p, j) => p !== mine[j])) {
        throw new StateDictError(
          `group ${i} holds [${g.params.join(', ')}], this optimizer's holds [${mine.join(', ')}]`,
        );
      }
      this.algorithm.validate(g.options as O, `groups[${i}].`);
    });
    const loaded = new Map<string, ParamState>();
    try {
      for (const [name, s] of Object.entries(meta.state)) {
        const param = this.params.get(name);
        if (param === undefined)
          throw new StateDictError(`it holds state for unknown parameter '${name}'`);
        if (!Number.isInteger(s.step) || s.step < 0) {
          throw new StateDictError(`step of '${name}' is ${s.step}`);
        }
        const buffers: Record<string, tf.Tensor> = {};
        loaded.set(name, { step: s.step, buffers });
        for (const b of s.buffers) {
          const key = `state.${name}.${b}`;
          const t = tensors.get(key);
          if (t === undefined) throw new StateDictError(`tensor '${key}' is missing`);
          if (!tf.util.arraysEqual(t.shape, param.shape)) {
            throw new StateDictError(
              `'${key}' has shape [${t.shape}], the parameter [${param.shape}]`,
            );
          }
          buffers[b] = tf.tidy(() =>
            tf.clone(t.dtype === param.dtype ? t : tf.cast(t, param.dtype)),
          );
        }
      }
    } catch (error) {
      for (const s of loaded.values()) for (const t of Object.values(s.buffers)) t.dispose();
      throw error;
    }
    this.disposeState();
    for (const [name, s] of loaded) this.state.set(name, s);
    meta.groups.forEach((g, i) => {
      this.paramGroups[i].options = { ...(g.options as O) };
      this.paramGroups[i].initialLr = g.initialLr;
    });
  }

  dispose(): void {
    this.disposeState();
    this.disposed = true;
  }

  private disposeState(): void {
    for (const s of this.state.values()) for (const t of Object.values(s.buffers)) t.dispose();
    this.state.clear();
  }

  private assertLive(): void {
    if (this.disposed) throw new OptimizerDisposedError(this.type);
  }
}
