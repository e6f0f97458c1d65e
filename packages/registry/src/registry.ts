import { type BackendInfo, type BackendName, currentBackend, useBackend } from '@seqzoo/backend';
import { withoutInitialization } from '@seqzoo/layers';
import { z } from 'zod';
import { PluginError, UnknownModelError } from './errors';
import type { SavableModule } from './module';
import { setModelOrigin } from './origin';
import type { ConfigOf, ModelDefinition, ModelOf, ModelsOf, Plugin } from './plugin';
import { validateConfig } from './validate-config';

/** One registered model, as `registry.list()` gives it. */
export interface ModelSummary {
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly description: string;
}

/** What `registry.describe(id)` tells about a model: its summary, config schema and defaults. */
export interface ModelDescription extends ModelSummary {
  /** The config's JSON Schema (from the zod schema). */
  readonly configSchema: unknown;
  /** The config you get when you pass `{}`, or undefined where some field is required. */
  readonly defaults: unknown;
}

/** Options of `registry.create(id, config, options)`. */
export interface CreateOptions {
  /**
   * Backend to build the model on; `useBackend` is called with it. Default: the backend the app
   * already uses (never switched silently); when none is set yet, `auto` picks one and the
   * model's record says so (`registry.recordOf(model).backend.reason`).
   */
  backend?: BackendName;
  vocabularies?: Record<string, unknown>;
  /**
   * `false`: skip the random initialisation of the weights (zeros instead), for a model whose
   * weights are loaded right after (what `loadModel` does). Default true.
   */
  initialize?: boolean;
}

/** What the registry remembers of each model it built, for save and export. */
export interface ModelRecord {
  readonly id: string;
  readonly config: unknown;
  readonly definition: ModelDefinition;
  readonly backend: BackendInfo;
}

/** Model definitions by full id. */
export type ModelMap = Readonly<Record<string, ModelDefinition<any, any>>>;

type KnownId<Models> = Extract<keyof Models, string>;

/**
 * The models of a set of plugins by id (`namespace:name`): what `createRegistry` returns, and what
 * `saveModel`, `loadModel`, `@seqzoo/train`'s `fitTask` and the CLI work from.
 */
export interface Registry<Models extends ModelMap = ModelMap> {
  /** Every registered model, sorted by id. */
  list(): ModelSummary[];
  /** A model's summary, config JSON Schema and defaults; `UnknownModelError` for an unknown id. */
  describe(id: string): ModelDescription;
  /** Whether a plugin provides `id`. */
  has(id: string): boolean;
  /** The definition of a registered id (typed by the plugin that provides it). */
  definition<Id extends KnownId<Models>>(id: Id): Models[Id];
  /** The definition of an id known only at run time; `UnknownModelError` if none provides it. */
  definition(id: string): ModelDefinition;
  /**
   * Validates `config` (defaults filled in), activates the backend and builds the model there.
   * With a registry made from literal plugins, `create('zoo:rnn-classifier', { … })` checks the
   * config's fields at compile time and returns `RnnClassifier`.
   */
  create<Id extends KnownId<Models>>(
    id: Id,
    config?: ConfigOf<Models[Id]>,
    options?: CreateOptions,
  ): Promise<ModelOf<Models[Id]>>;
  /** Ids known only at run time (from a file, a command line): the caller names the type. */
  create<M extends SavableModule = SavableModule, Id extends string = string>(
    id: Id & (Id extends KnownId<Models> ? (string extends KnownId<Models> ? Id : never) : Id),
    config?: unknown,
    options?: CreateOptions,
  ): Promise<M>;
  /**
   * The id, parsed config and definition of a model this registry built (or loaded), or of one
   * built by hand whose class a registered definition recognises (`ModelDefinition.configOf`).
   */
  recordOf(model: SavableModule): ModelRecord | undefined;
}

type TypedModels<P extends readonly Plugin<any, any>[]> =
  ModelsOf<P> extends ModelMap ? ModelsOf<P> : ModelMap;

/** The backend to build on: the one asked for, else the app's current one, else `auto`. */
async function backendFor(asked: BackendName | undefined): Promise<BackendInfo> {
  if (asked) return useBackend(asked);
  const current = currentBackend();
  if (current) return current;
  const picked = await useBackend('auto');
  return {
    ...picked,
    reason: `no backend was set, so auto ${picked.reason ?? `picked ${picked.backend}`}`,
  };
}

const NAME = /^[a-z][a-z0-9-]*$/;

/**
 * A registry of the plugins' models: ids are `namespace:name` (`zoo:char-lm`). Checks each plugin
 * (a valid namespace, no namespace twice, a `create` and a zod `configSchema` per model); with
 * literal plugins the result is typed, so `create('zoo:rnn-classifier', { … })` checks its config.
 */
export function createRegistry<const P extends readonly Plugin<any, any>[]>(options: {
  plugins: P;
}): Registry<TypedModels<P>> {
  type R = Registry<TypedModels<P>>;
  const definitions = new Map<
    string,
    { namespace: string; name: string; def: ModelDefinition; module?: string }
  >();
  for (const plugin of options.plugins) {
    if (!plugin || typeof plugin.namespace !== 'string' || !NAME.test(plugin.namespace)) {
      throw new PluginError(
        `Plugin namespace ${JSON.stringify(plugin?.namespace)} is invalid: use lowercase letters, digits and '-', starting with a letter.`,
      );
    }
    for (const [name, def] of Object.entries(plugin.models ?? {}) as [string, ModelDefinition][]) {
      const id = `${plugin.namespace}:${name}`;
      if (!NAME.test(name))
        throw new PluginError(
          `Model name '${id}' is invalid: use lowercase letters, digits and '-'.`,
        );
      if (definitions.has(id))
        throw new PluginError(
          `Model '${id}' is registered twice: two plugins claim namespace '${plugin.namespace}'.`,
        );
      if (typeof def?.create !== 'function' || !(def.configSchema instanceof z.ZodType)) {
        throw new PluginError(`Model '${id}' needs a create() function and a zod configSchema.`);
      }
      definitions.set(id, { namespace: plugin.namespace, name, def, module: plugin.module });
    }
  }
  const records = new WeakMap<SavableModule, ModelRecord>();

  const lookup = (id: string) => {
    const found = definitions.get(id);
    if (!found) throw new UnknownModelError(id, [...definitions.keys()].sort());
    return found;
  };
  const summary = (id: string): ModelSummary => {
    const { namespace, name, def } = lookup(id);
    return { id, namespace, name, description: def.description };
  };

  return {
    list: () => [...definitions.keys()].sort().map(summary),
    has: (id) => definitions.has(id),
    definition: ((id: string) => lookup(id).def) as R['definition'],
    describe(id) {
      const { def } = lookup(id);
      const parsed = def.configSchema.safeParse({});
      let configSchema: unknown;
      try {
        configSchema = z.toJSONSchema(def.configSchema, { io: 'input', unrepresentable: 'any' });
      } catch {
        configSchema = undefined;
      }
      return { ...summary(id), configSchema, defaults: parsed.success ? parsed.data : undefined };
    },
    create: (async (id: string, config?: unknown, opts: CreateOptions = {}) => {
      const { def, namespace, module } = lookup(id);
      const parsed = validateConfig(id, def.configSchema, config);
      const backend = await backendFor(opts.backend);
      const initialize = opts.initialize ?? true;
      const context = { backend, vocabularies: opts.vocabularies, initialize };
      const model = initialize
        ? def.create(parsed, context)
        : withoutInitialization(() => def.create(parsed, context));
      records.set(model, { id, config: parsed, definition: def, backend });
      setModelOrigin(model, { id, namespace, module, config: parsed, definition: def });
      return model;
    }) as R['create'],
    recordOf: (model) => records.get(model) ?? recognize(model),
  };

  /**
   * A model built by hand (`new RnnClassifier(…)`): the definition whose `configOf` claims it
   * gives its config, checked against the schema; the record is kept for later calls.
   */
  function recognize(model: SavableModule): ModelRecord | undefined {
    if (model === null || typeof model !== 'object') return undefined;
    for (const [id, { def, namespace, module }] of definitions) {
      const config = def.configOf?.(model);
      if (config === undefined) continue;
      const backend = currentBackend();
      if (!backend) return undefined; // no backend: the model cannot hold weights yet
      const parsed = validateConfig(id, def.configSchema, config);
      const record: ModelRecord = { id, config: parsed, definition: def, backend };
      records.set(model, record);
      setModelOrigin(model, { id, namespace, module, config: parsed, definition: def });
      return record;
    }
    return undefined;
  }
}
