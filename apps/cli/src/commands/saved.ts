import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BackendName } from '@seqzoo/backend';
import {
  type LoadedModel,
  loadModel,
  MODEL_JSON,
  ModelFileError,
  type Registry,
  type SavableModule,
  type Task,
} from '@seqzoo/registry';
import { CliError, fileSystemError } from '../errors';
import { resolveModelLocation } from './pretrained';

/** What `seqzoo train` records in model.json's `training`. */
export interface SavedTraining {
  data?: string | null;
  dataset?: string | null;
  textColumn?: string | null;
  labelColumn?: string | null;
  size?: number | null;
  seed?: number;
  batchSize?: number;
}

/** The task of a model id; a model without one can be created and saved, not trained or served. */
export function taskOf(registry: Registry, id: string, command: string): Task {
  const task = registry.definition(id).task as Task | undefined;
  if (!task) {
    throw new CliError(
      `${command}: '${id}' declares no task (what it learns from, its loss and metrics), so seqzoo cannot ${command} it; use its own API.`,
    );
  }
  return task;
}

/**
 * A model folder written by `seqzoo train` (or saveModel), or the model inside an installed
 * pretrained package named by its id or package name (`g2p-en`), loaded, with its task.
 */
export async function loadSaved(
  registry: Registry,
  dir: string,
  backend: string,
): Promise<LoadedModel<SavableModule> & { trained: SavedTraining }> {
  let saved: LoadedModel<SavableModule>;
  // A folder or URL as given; else an installed pretrained package by id or name (`g2p-en`).
  const { location } = resolveModelLocation(dir);
  try {
    saved = await loadModel(registry, location, { backend: backend as BackendName });
  } catch (error) {
    const e = error as { code?: string; message?: string };
    if (e.code === 'MISSING_FILE' && e.message?.includes(`no ${MODEL_JSON}`)) {
      if (isMissingFolder(dir)) {
        throw new CliError(
          `${dir}: no such folder; give the --out folder of \`seqzoo train\` (a folder that holds ${MODEL_JSON}), or the id of an installed pretrained package (\`seqzoo models\` lists them).`,
        );
      }
      throw new CliError(
        `${dir} holds no saved model (no ${MODEL_JSON}); give the --out folder of \`seqzoo train\`, or the id of an installed pretrained package (\`seqzoo models\` lists them).`,
      );
    }
    throw fileSystemError(asModelFileError(error, `${dir}/weights.safetensors`));
  }
  (saved.model as unknown as { eval?: () => void }).eval?.();
  return { ...saved, trained: (saved.training ?? {}) as SavedTraining };
}

/** A plain path (not a URL) where nothing exists: "no such folder" rather than "no model in it". */
function isMissingFolder(location: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location) && !/^file:\/\//i.test(location)) return false;
  const path = /^file:\/\//i.test(location) ? fileURLToPath(location) : location;
  return !existsSync(path);
}

/**
 * A malformed safetensors file (registry's SafetensorsError: truncated, a header that lies about
 * its length or offsets, …) as a ModelFileError that names the file and says what to do; other
 * errors pass through. The library's message is kept whole (it may hold dotted tensor names).
 */
export function asModelFileError(error: unknown, file: string): unknown {
  const e = error as { name?: string; code?: string; message?: string };
  if (e?.name !== 'SafetensorsError') return error;
  const what = (e.message ?? '').trim().replace(/\.$/, '');
  return new ModelFileError(
    'WEIGHTS_MISMATCH',
    `not a valid safetensors file (${e.code}: ${what}); it is damaged or was not written by seqzoo or PyTorch: train, save or export the model again.`,
    file,
    { cause: error },
  );
}
