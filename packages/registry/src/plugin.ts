import type { BackendInfo } from '@seqzoo/backend';
import type * as tf from '@tensorflow/tfjs-core';
import type { z } from 'zod';
import type { SavableModule } from './module';
import type { Task } from './task';

/** What `create` gets beside the config. */
export interface CreateContext {
  /** The backend the model is built on (already active). */
  readonly backend: BackendInfo;
  /** Vocabularies saved with the model (`load`), or passed to `registry.create`. */
  readonly vocabularies?: Readonly<Record<string, unknown>>;
  /**
   * False when every weight is overwritten right after (`loadModel`): the registry then runs
   * `create` inside @seqzoo/layers' `withoutInitialization` (parameters made by
   * `createParameter` are zeros, not random draws). A definition that draws weights some other
   * way may skip that too. True (or absent) for a fresh model.
   */
  readonly initialize?: boolean;
}

/**
 * One model of a plugin. `configSchema` is a zod schema whose defaults fill what the user left
 * out; `create` builds the model from the parsed config. The optional hooks say what else the
 * model needs to be saved and loaded: its vocabularies (JSON), and its weight names in PyTorch's
 * convention (used for weights.safetensors and import/export).
 */
export interface ModelDefinition<
  Schema extends z.ZodType = z.ZodType,
  M extends SavableModule = SavableModule,
> {
  readonly description: string;
  readonly configSchema: Schema;
  /** Builds the model from a validated config. */
  create(config: z.output<Schema>, context: CreateContext): M;
  /** JSON-serialisable vocabularies to store in model.json (`vocab.toJSON()`, say). */
  vocabularies?(model: M): Record<string, unknown>;
  /**
   * Save weights.safetensors under PyTorch's names and layouts (default true when the model is a
   * `Module`: `exportPytorchState`/`importPytorchState` map Linear, LSTM, GRU, RNN and keep the
   * rest). Give your own pair where the model's attribute names differ from the PyTorch model's.
   */
  pytorch?:
    | boolean
    | {
        /** The model's weights under PyTorch's names and layouts. */
        toPytorch(model: M): Map<string, tf.Tensor>;
        /** Loads weights given under PyTorch's names and layouts into the model. */
        fromPytorch(model: M, state: Map<string, tf.Tensor>): void;
      };
  /**
   * Reads weights saved by an earlier version of the model under other names (files with
   * seqzoo naming). Called by `loadModel` with the tensor names of a weights file that does not
   * match the model built from the config; return null when they are no old layout you know, or
   * a function from the decoded tensors (by saved name) to the current `stateDict()` (new
   * tensors: the registry disposes them), which is then checked and loaded as usual.
   */
  legacyWeights?(
    names: readonly string[],
    model: M,
  ): ((state: Map<string, tf.Tensor>) => Map<string, tf.Tensor>) | null;
  /**
   * What the model learns from, its loss, metrics, predictions and training defaults (see
   * `Task`). A model without a task can be created, saved and loaded, but not trained, evaluated
   * or served by `@seqzoo/train`'s `fitTask` and the CLI.
   */
  task?: Task<M, any, any>;
  /**
   * Recognises a model of this definition that was built without the registry
   * (`new RnnClassifier({ … })`) and returns its config, or undefined for any other object. With
   * it, `saveModel` (and `registry.recordOf`) accept such a model: the registry finds the
   * definition that claims it, checks the config against `configSchema`, and saves it as if
   * `create` had built it. Typically `(m) => (m instanceof MyModel ? m.config : undefined)`.
   */
  configOf?(model: SavableModule): z.input<Schema> | undefined;
  /**
   * Speed cases for `seqzoo bench` (optional): built for the size asked for, timed by the CLI
   * beside its own kernel and layer rows. `context.create` builds this model, untrained, on the
   * backend under test (config validated as `registry.create` does).
   */
  bench?(context: BenchContext<M>): Promise<BenchCase[]>;
}

/** The sizes of `seqzoo bench`: XS is a smoke test, S and M the shapes of the repository's bench/. */
export type BenchSize = 'XS' | 'S' | 'M';

/** What a definition's `bench` gets. */
export interface BenchContext<M extends SavableModule = SavableModule> {
  readonly size: BenchSize;
  /** Builds this model, untrained, from a config (validated as `registry.create` does). */
  create(config: unknown, vocabularies?: Record<string, unknown>): Promise<M>;
}

/** One timed computation of `seqzoo bench`: `run()` does one unit of work and waits for its result. */
export interface BenchCase {
  /** The row's id (`case` in `--json`), e.g. `greedy`. */
  readonly name: string;
  /** The row's label in the table, e.g. `seq2seq greedy decode`. */
  readonly label: string;
  /** What one run does, e.g. `50 words, H64, ≤12 tokens`. */
  readonly shape: string;
  /** Items one run handles; the rate is `items` per second of the median run, in `unit`. */
  readonly items: number;
  readonly unit: string;
  /** Does one unit of work and waits for its result. */
  run(): Promise<void>;
  /** Frees what the case holds (the last case of a model disposes the model). */
  dispose(): void;
}

/** A model package's plugin: a namespace (`zoo`, `seq2seq`) and its models by name. */
export interface Plugin<
  Namespace extends string = string,
  Models extends Readonly<Record<string, ModelDefinition<any, any>>> = Readonly<
    Record<string, ModelDefinition<any, any>>
  >,
> {
  readonly namespace: Namespace;
  readonly version?: string;
  readonly models: Models;
  /**
   * Where another thread can import this plugin from: `import.meta.url` of the module that
   * exports it. `fitTask(…, { workers })` builds its replicas there; without it, a model of the
   * plugin trains on one thread only.
   */
  readonly module?: string;
}

/** Identity helpers that keep each model's schema and module types for inference. */
export function defineModel<Schema extends z.ZodType, M extends SavableModule>(
  definition: ModelDefinition<Schema, M>,
): ModelDefinition<Schema, M> {
  return definition;
}

/**
 * Keeps the namespace and model names as literal types, so that `createRegistry` knows each id's
 * config and model type (`create('zoo:rnn-classifier', …)` returns `RnnClassifier`).
 */
export function definePlugin<
  const Namespace extends string,
  const Models extends Readonly<Record<string, ModelDefinition<any, any>>>,
>(plugin: Plugin<Namespace, Models>): Plugin<Namespace, Models> {
  return plugin;
}

/** The definitions of a list of plugins by full id (`namespace:name`). */
export type ModelsOf<P extends readonly Plugin<any, any>[]> = UnionToIntersection<
  {
    [K in keyof P]: P[K] extends Plugin<infer Namespace, infer Models>
      ? { [N in Extract<keyof Models, string> as `${Namespace}:${N}`]: Models[N] }
      : never;
  }[number]
>;

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (
  i: infer I,
) => void
  ? I
  : never;

/** What a model id's config accepts (the zod schema's input: defaults may be left out). */
export type ConfigOf<D> = D extends ModelDefinition<infer Schema, any> ? z.input<Schema> : unknown;
/** The module type a model id builds. */
export type ModelOf<D> = D extends ModelDefinition<any, infer M> ? M : SavableModule;
