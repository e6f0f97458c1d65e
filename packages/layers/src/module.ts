import * as tf from '@tensorflow/tfjs-core';
import { StateDictError } from './errors';
import { type Initializer, resolveInitializer } from './initializers';
import type { Random } from './random';

let variableCounter = 0;
/** Depth of `withoutInitialization` calls in progress (builds are synchronous). */
let skipInitialization = 0;

/**
 * Runs `build` (a synchronous constructor call) with parameter initialisation skipped: every
 * `createParameter` inside it makes a zero-filled variable of the right shape instead of
 * drawing from its initializer. For models whose weights are loaded right after (the registry's
 * `loadModel` builds with it): random draws that would be overwritten cost more than the load
 * itself (orthogonal recurrent kernels above all). Seeds handed to sub-modules and dropout
 * generators are unchanged, so a model built this way behaves like one built normally once its
 * weights are set.
 */
export function withoutInitialization<T>(build: () => T): T {
  skipInitialization++;
  try {
    return build();
  } finally {
    skipInitialization--;
  }
}

/** A tfjs variable name that no other variable in this engine has. */
function uniqueVariableName(owner: string, name: string): string {
  const registered = (tf.engine().state as { registeredVariables: Record<string, unknown> })
    .registeredVariables;
  for (;;) {
    const candidate = `seqzoo/${owner}_${++variableCounter}/${name}`;
    if (!(candidate in registered)) return candidate;
  }
}

/** Options of `module.createParameter`: the initializer, its random source and fans, trainability. */
export interface CreateParameterOptions {
  init: Initializer;
  rng: Random;
  fanIn?: number;
  fanOut?: number;
  pytorchBound?: number;
  trainable?: boolean;
}

/** Options of `module.loadStateDict`. */
export interface LoadStateDictOptions {
  /** Throw on missing and unexpected entries (default true). Shapes are always checked. */
  strict?: boolean;
}

/**
 * The base of every layer: a tree of named parameters. A module registers its parameters
 * (`tf.Variable`s with engine-unique internal names) and child modules under short names; the
 * dotted path of a parameter (`encoder.rnn.l0.weightIh`) is the chain of those names.
 */
export abstract class Module {
  private readonly childModules = new Map<string, Module>();
  private readonly params = new Map<string, tf.Variable>();
  private readonly buffers = new Map<string, tf.Tensor>();
  private isTraining = true;
  private disposed = false;

  /** Registers `module` as a child named `name` (its parameters become `name.*`). */
  protected registerModule<M extends Module>(name: string, module: M): M {
    this.checkName(name);
    this.childModules.set(name, module);
    module.train(this.isTraining);
    return module;
  }

  /** Registers `value` (taken over, not copied) as a parameter named `name`. */
  protected registerParameter(name: string, value: tf.Tensor, trainable = true): tf.Variable {
    this.checkName(name);
    const variable = tf.variable(value, trainable, uniqueVariableName(this.constructor.name, name));
    value.dispose();
    this.params.set(name, variable);
    return variable;
  }

  /**
   * Creates a parameter of `shape` filled by an initializer (zeros, without drawing, inside
   * `withoutInitialization`).
   */
  protected createParameter(
    name: string,
    shape: number[],
    options: CreateParameterOptions,
  ): tf.Variable {
    if (skipInitialization > 0) {
      return this.registerParameter(name, tf.zeros(shape, 'float32'), options.trainable);
    }
    const fanIn = options.fanIn ?? shape[0];
    const fanOut = options.fanOut ?? shape[shape.length - 1];
    const values = resolveInitializer(options.init)(shape, {
      rng: options.rng,
      fanIn,
      fanOut,
      pytorchBound: options.pytorchBound ?? 1 / Math.sqrt(fanIn),
    });
    return this.registerParameter(name, tf.tensor(values, shape, 'float32'), options.trainable);
  }

  /** Registers a non-trainable tensor that belongs in the state dict (kept, owned). */
  protected registerBuffer(name: string, value: tf.Tensor): tf.Tensor {
    this.checkName(name);
    this.buffers.get(name)?.dispose();
    const kept = tf.keep(value);
    this.buffers.set(name, kept);
    return kept;
  }

  private checkName(name: string): void {
    if (!name || name.includes('.')) {
      throw new Error(`Module names must be non-empty and contain no '.', got '${name}'.`);
    }
    if (this.childModules.has(name) || this.params.has(name) || this.buffers.has(name)) {
      throw new Error(`'${name}' is already registered on this ${this.constructor.name}.`);
    }
  }

  /** Whether the module is in training mode (dropout active). */
  get training(): boolean {
    return this.isTraining;
  }

  /** Sets training mode on this module and every descendant. */
  train(on = true): this {
    this.isTraining = on;
    for (const child of this.childModules.values()) child.train(on);
    return this;
  }

  /** Inference mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** True when every parameter of the subtree is trainable. */
  get trainable(): boolean {
    return [...this.namedVariables().values()].every((v) => v.trainable);
  }

  /** Freezes (false) or unfreezes (true) every parameter of the subtree. */
  set trainable(on: boolean) {
    for (const v of this.namedVariables().values()) v.trainable = on;
  }

  /** Direct children by name. */
  namedChildren(): Map<string, Module> {
    return new Map(this.childModules);
  }

  /** Every parameter of the subtree, trainable or not, by dotted path, in registration order. */
  namedVariables(prefix = ''): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    for (const [name, v] of this.params) out.set(prefix + name, v);
    for (const [name, child] of this.childModules) {
      for (const [path, v] of child.namedVariables(`${prefix}${name}.`)) out.set(path, v);
    }
    return out;
  }

  /** Trainable parameters by dotted path, in a stable order (registration order, depth first). */
  namedParameters(): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    for (const [path, v] of this.namedVariables()) if (v.trainable) out.set(path, v);
    return out;
  }

  /** Trainable parameters, in the order of `namedParameters()`. */
  parameters(): tf.Variable[] {
    return [...this.namedParameters().values()];
  }

  /** The number of scalars in the trainable parameters. */
  numParameters(): number {
    return this.parameters().reduce((n, v) => n + v.size, 0);
  }

  private namedBuffers(prefix = ''): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    for (const [name, b] of this.buffers) out.set(prefix + name, b);
    for (const [name, child] of this.childModules) {
      for (const [path, b] of child.namedBuffers(`${prefix}${name}.`)) out.set(path, b);
    }
    return out;
  }

  /**
   * Every parameter (trainable or not) and buffer by dotted path. The values are the live
   * variables: valid until `dispose()`, and they follow later updates (clone for a snapshot).
   */
  stateDict(): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>(this.namedVariables());
    for (const [path, b] of this.namedBuffers()) out.set(path, b);
    return out;
  }

  /**
   * Copies values into the parameters and buffers. Every entry is checked before anything is
   * written: a wrong shape, a missing entry or (strict) an unexpected one throws `StateDictError`
   * naming the parameter. The caller keeps ownership of the given tensors.
   */
  loadStateDict(
    state: Map<string, tf.Tensor> | Record<string, tf.Tensor>,
    options: LoadStateDictOptions = {},
  ): void {
    const strict = options.strict ?? true;
    const given = state instanceof Map ? state : new Map(Object.entries(state));
    const variables = this.namedVariables();
    const buffers = this.namedBuffers();
    const targets = new Map<string, tf.Tensor>([...variables, ...buffers]);
    for (const [path, target] of targets) {
      const value = given.get(path);
      if (value === undefined) {
        if (strict) {
          throw new StateDictError(
            path,
            `loadStateDict: missing '${path}' (shape [${target.shape}]). Pass every entry of stateDict(), or { strict: false }.`,
          );
        }
        continue;
      }
      if (!tf.util.arraysEqual(value.shape, target.shape)) {
        throw new StateDictError(
          path,
          `loadStateDict: '${path}' has shape [${value.shape}], expected [${target.shape}].`,
        );
      }
    }
    if (strict) {
      for (const path of given.keys()) {
        if (!targets.has(path)) {
          const known = [...targets.keys()].join(', ');
          throw new StateDictError(
            path,
            `loadStateDict: unexpected '${path}'; this ${this.constructor.name} has: ${known}. Pass { strict: false } to ignore extra entries.`,
          );
        }
      }
    }
    for (const [path, v] of variables) {
      const value = given.get(path);
      if (value === undefined || value === v) continue;
      tf.tidy(() => v.assign(value.dtype === v.dtype ? value : tf.cast(value, v.dtype)));
    }
    for (const [path, b] of buffers) {
      const value = given.get(path);
      if (value === undefined) continue;
      const owner = this.ownerOf(path);
      owner.module.registerBufferValue(
        owner.name,
        tf.tidy(() => tf.cast(value, b.dtype)),
      );
    }
  }

  private ownerOf(path: string): { module: Module; name: string } {
    const parts = path.split('.');
    let module: Module = this;
    for (const part of parts.slice(0, -1)) module = module.childModules.get(part)!;
    return { module, name: parts[parts.length - 1] };
  }

  private registerBufferValue(name: string, value: tf.Tensor): void {
    this.buffers.get(name)?.dispose();
    this.buffers.set(name, tf.keep(value));
  }

  /** Disposes every parameter and buffer of the subtree. Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.params.values()) v.dispose();
    for (const b of this.buffers.values()) b.dispose();
    for (const child of this.childModules.values()) child.dispose();
  }

  /** Whether `dispose()` has run. */
  get isDisposed(): boolean {
    return this.disposed;
  }
}
