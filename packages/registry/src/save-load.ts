import type { BackendName } from '@seqzoo/backend';
import type * as tf from '@tensorflow/tfjs-core';
import { ModelFileError } from './errors';
import { legacyUpgrade, type WeightsUpgrade } from './legacy-weights';
import {
  FORMAT,
  FORMAT_VERSION,
  MAX_MODEL_JSON_BYTES,
  MODEL_JSON,
  type ModelJson,
  OPTIMIZER_FILE,
  parseModelJson,
  sha256Hex,
  WEIGHTS_FILE,
} from './model-json';
import type { SavableModule } from './module';
import { pytorchMapping } from './pytorch-hooks';
import type { Registry } from './registry';
import { DEFAULT_MAX_HEADER_BYTES } from './safetensors/parse';
import { tensorsToSafetensors } from './safetensors/tensors';
import type { HttpOptions } from './storage/http';
import { resolveStorage } from './storage/resolve';
import type { ModelStorage } from './storage/types';
import { applyWeights, disposeAll, type ReadWeightsOptions, readWeights } from './weights';
import { checkAgainstModel, checkedStorage, expectedWeights } from './weights-check';

/** Optimizer state as @seqzoo/optimizers gives it: tensors by dotted name plus JSON metadata. */
export interface OptimizerState {
  tensors: Map<string, tf.Tensor>;
  meta?: unknown;
}

/** Options of `saveModel`: what is saved beside the model. */
export interface SaveOptions {
  optimizer?: OptimizerState;
  /** Free-form JSON: epochs, steps, metrics, data description… */
  training?: Record<string, unknown>;
}

/** Options of `loadModel`: the backend, the checks on the weights, and http(s) limits. */
export interface LoadOptions
  extends Pick<ReadWeightsOptions, 'nonFinite' | 'onWarning' | 'maxHeaderBytes'> {
  backend?: BackendName;
  /** Limits, time-outs and redirect policy of http(s):// loading (see HttpOptions). */
  http?: HttpOptions;
}

/** What `loadModel` gives: the model (on the backend asked for) and what was saved with it. */
export interface LoadedModel<M extends SavableModule = SavableModule> {
  model: M;
  id: string;
  config: unknown;
  vocabularies: Record<string, unknown>;
  training: Record<string, unknown>;
  /** Present when the model was saved with one; the caller owns (disposes) the tensors. */
  optimizer: OptimizerState | null;
  modelJson: ModelJson;
}

/**
 * Saves a model the registry built into one folder (or storage URL): weights.safetensors (PyTorch
 * names where the model's plugin maps them), optimizer.safetensors, and model.json written last
 * with the size and SHA-256 of each.
 *
 * Atomic over an existing model: the data files are first written under names the current
 * model.json does not use (`weights.1.safetensors`), each to a temp file then renamed, and the
 * rename of model.json commits the save; then the files are written again under the usual names
 * (now unused) with a second model.json, and the alternates removed. A save cut short (full
 * disk, kill -9) at any point leaves either the previous or the new model loadable; on an error
 * the new files are removed. Overwriting writes the data twice; a save into a fresh folder once.
 */
export async function saveModel(
  registry: Registry,
  model: SavableModule,
  location: string | ModelStorage,
  options: SaveOptions = {},
): Promise<void> {
  const record = registry.recordOf(model);
  if (!record) {
    throw new ModelFileError(
      'BAD_MODEL_JSON',
      'this model was not built by this registry and no registered plugin recognises its class, so its id and config are unknown. Build it with registry.create(id, config), or register the plugin of its class (a definition with configOf).',
    );
  }
  const storage = resolveStorage(location);
  const { definition, config } = record;
  const state = model.stateDict();
  const pytorch = pytorchMapping(definition, model)?.toPytorch(model) ?? null;
  const weights = await tensorsToSafetensors(pytorch ?? state, {
    format: pytorch ? 'pt' : 'seqzoo',
  });
  if (pytorch) {
    const live = new Set<tf.Tensor>(state.values());
    disposeAll([...pytorch.values()].filter((t) => !live.has(t)));
  }
  const optimizerBytes = options.optimizer
    ? await tensorsToSafetensors(options.optimizer.tensors)
    : null;
  const weightsSum = await sha256Hex(weights);
  const optimizerSum = optimizerBytes ? await sha256Hex(optimizerBytes) : '';
  /** Writes the data files under these names, then model.json naming them: one commit. */
  const commit = async (names: { weights: string; optimizer: string }, keep: Set<string>) => {
    const files = new Map<string, Uint8Array>([[names.weights, weights]]);
    if (optimizerBytes) files.set(names.optimizer, optimizerBytes);
    const json: ModelJson = {
      format: FORMAT,
      formatVersion: FORMAT_VERSION,
      modelId: record.id,
      config,
      vocabularies: definition.vocabularies?.(model) ?? {},
      training: options.training ?? {},
      weights: {
        file: names.weights,
        naming: pytorch ? 'pytorch' : 'seqzoo',
        bytes: weights.byteLength,
        sha256: weightsSum,
      },
      optimizer:
        optimizerBytes && options.optimizer
          ? {
              file: names.optimizer,
              bytes: optimizerBytes.byteLength,
              sha256: optimizerSum,
              state: options.optimizer.meta ?? null,
            }
          : null,
      savedWith: { package: '@seqzoo/registry', backend: record.backend.backend },
    };
    const data = [...files.keys()];
    files.set(MODEL_JSON, new TextEncoder().encode(`${JSON.stringify(json, null, 2)}\n`));
    try {
      await storage.write(files); // model.json last: its rename commits
    } catch (error) {
      // The model.json in place still names the files in `keep`; drop the new ones.
      await storage.remove?.(data.filter((f) => !keep.has(f))).catch(() => {});
      throw error;
    }
    return new Set(data);
  };
  const stable = { weights: WEIGHTS_FILE, optimizer: OPTIMIZER_FILE };
  // Data files never overwrite the ones the current model.json names, so until the rename of
  // model.json the previous model stays whole. Over an existing model: first commit under
  // alternate names, then (the old files now unused) again under the usual ones.
  // Write-only and read-only locations have no previous model worth a request.
  const blind = typeof location === 'string' && /^(https?|downloads):\/\//i.test(location);
  const previous = blind ? new Set<string>() : await previousFiles(storage);
  let written: Set<string>;
  if (!previous.has(stable.weights) && !previous.has(stable.optimizer)) {
    written = await commit(stable, previous);
  } else {
    const alternates = {
      weights: freeName(WEIGHTS_FILE, previous),
      optimizer: freeName(OPTIMIZER_FILE, previous),
    };
    written = await commit(alternates, previous); // the save is done once this returns
    try {
      written = await commit(stable, written);
    } catch {
      // The new model is saved (under the alternate names); only the tidying failed.
    }
  }
  const stale = [...previous, ...ALTERNATES].filter((f) => !written.has(f));
  await storage.remove?.(stale).catch(() => {});
}

/** The names both data files alternate between (`weights.safetensors`, `weights.1.safetensors`…). */
const ALTERNATES = [WEIGHTS_FILE, OPTIMIZER_FILE].flatMap((f) => [f, alternate(f, 1)]);

function alternate(file: string, n: number): string {
  return file.replace(/\.safetensors$/, `.${n}.safetensors`);
}

/** `file` unless the current model.json names it; then `<stem>.1.safetensors`, `.2`… */
function freeName(file: string, taken: ReadonlySet<string>): string {
  let name = file;
  for (let n = 1; taken.has(name); n++) name = alternate(file, n);
  return name;
}

/** The data files the model.json now in `storage` names (none when there is no readable one). */
async function previousFiles(storage: ModelStorage): Promise<Set<string>> {
  try {
    const bytes = await storage.read(MODEL_JSON, undefined, { maxBytes: MAX_MODEL_JSON_BYTES });
    if (bytes === null) return new Set();
    const json = parseModelJson(bytes, storage.location);
    return new Set([json.weights.file, ...(json.optimizer ? [json.optimizer.file] : [])]);
  } catch {
    return new Set(); // unreadable or not ours: nothing worth keeping
  }
}

/** Loads a saved model: checks model.json, builds the model on `backend`, loads the weights. */
export async function loadModel<M extends SavableModule = SavableModule>(
  registry: Registry,
  location: string | ModelStorage,
  options: LoadOptions = {},
): Promise<LoadedModel<M>> {
  const storage = resolveStorage(location, { http: options.http });
  const bytes = await storage.read(
    MODEL_JSON,
    (_prefix, size) => {
      if (size > MAX_MODEL_JSON_BYTES) {
        throw new ModelFileError(
          'TOO_LARGE',
          `${size} bytes is over the ${MAX_MODEL_JSON_BYTES}-byte limit for model.json.`,
          `${storage.location}/${MODEL_JSON}`,
        );
      }
    },
    { maxBytes: MAX_MODEL_JSON_BYTES },
  );
  if (bytes === null) {
    throw new ModelFileError(
      'MISSING_FILE',
      `no ${MODEL_JSON} here: not a saved seqzoo model.`,
      storage.location,
    );
  }
  const json = parseModelJson(bytes, storage.location);
  const definition = registry.definition(json.modelId); // UnknownModelError
  const model = await registry.create<M>(json.modelId, json.config, {
    backend: options.backend,
    vocabularies: json.vocabularies,
    initialize: false, // every weight is checked and overwritten below
  });
  const readOptions: ReadWeightsOptions = { ...options, sha256: sha256Hex };
  let optimizer: OptimizerState | null = null;
  try {
    const where = `${storage.location}/${json.weights.file}`;
    const mapping = json.weights.naming === 'pytorch' ? pytorchMapping(definition, model) : null;
    if (json.weights.naming === 'pytorch' && !mapping) {
      throw new ModelFileError(
        'WEIGHTS_MISMATCH',
        `the weights use PyTorch names but '${json.modelId}' has no PyTorch mapping.`,
        where,
      );
    }
    // Names, shapes and dtypes of the file are checked against the model built from the config
    // before any weight is decoded, and the file may be no larger than the model can hold.
    const expected = expectedWeights(model, mapping);
    const legacy: { upgrade?: WeightsUpgrade | null } = {};
    const headerBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
    const elements = [...expected.values()].reduce((n, e) => n + e.size, 0);
    const raw = await readWeights(
      checkedStorage(storage, {
        limits: {
          maxBytes: 8 + headerBytes + 8 * elements,
          reason: `more than a weights file of the model built from the config can be (${elements} values)`,
        },
        verify: (file) => {
          try {
            checkAgainstModel(file, expected, where, headerBytes);
          } catch (error) {
            // An older layout of this model (other names) that its definition can upgrade.
            legacy.upgrade = legacyUpgrade(
              definition,
              model,
              file,
              json.weights.naming,
              headerBytes,
            );
            if (!legacy.upgrade) throw error;
          }
        },
      }),
      json.weights.file,
      { ...readOptions, expect: json.weights },
    );
    try {
      if (legacy.upgrade) {
        const upgraded = legacy.upgrade(raw);
        try {
          applyWeights(model, upgraded, where);
        } finally {
          disposeAll(upgraded.values());
        }
      } else if (mapping) mapping.fromPytorch(model, raw, where);
      else applyWeights(model, raw, where);
    } finally {
      disposeAll(raw.values());
    }
    if (json.optimizer) {
      const tensors = await readWeights(
        // Optimizer state: at most 8 float64 buffers per model parameter.
        checkedStorage(storage, {
          limits: {
            maxBytes: 8 + headerBytes + 64 * elements,
            reason: `more than the optimizer state of a model of ${elements} values can be`,
          },
        }),
        json.optimizer.file,
        { ...readOptions, expect: json.optimizer, nonFinite: 'reject' },
      );
      optimizer = { tensors, meta: json.optimizer.state };
    }
  } catch (error) {
    model.dispose();
    throw error;
  }
  return {
    model,
    id: json.modelId,
    config: registry.recordOf(model)?.config,
    vocabularies: json.vocabularies,
    training: json.training,
    optimizer,
    modelJson: json,
  };
}
