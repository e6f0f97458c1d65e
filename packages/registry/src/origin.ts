import type { SavableModule } from './module';
import type { ModelDefinition } from './plugin';

/**
 * Where a model came from, for code that must build a second copy elsewhere (the replicas of
 * data-parallel training in worker threads): its id, parsed config, definition, and the module
 * its plugin can be imported from (`Plugin.module`, when the plugin declares it).
 */
export interface ModelOrigin {
  readonly id: string;
  readonly namespace: string;
  readonly module: string | undefined;
  readonly config: unknown;
  readonly definition: ModelDefinition;
}

const origins = new WeakMap<SavableModule, ModelOrigin>();

/** Records the origin of a model a registry built (called by `registry.create`). */
export function setModelOrigin(model: SavableModule, origin: ModelOrigin): void {
  origins.set(model, origin);
}

/**
 * The origin of a model built by any registry (`registry.create`, `loadModel`), or undefined
 * for one built by hand (`new RnnClassifier(…)`).
 */
export function modelOrigin(model: SavableModule): ModelOrigin | undefined {
  return origins.get(model);
}
