import type { BackendName } from '@seqzoo/backend';
import {
  type LoadedModel,
  loadModel,
  ModelFileError,
  type Registry,
  type SavableModule,
} from '@seqzoo/registry';
import { CliError } from '../errors';
import { type TaskKind, taskKind } from './task-data';

export interface SavedTraining {
  data?: string | null;
  dataset?: string | null;
  textColumn?: string | null;
  labelColumn?: string | null;
  seed?: number;
}

/** A model folder written by `seqzoo train` (or saveModel), loaded, with its task kind. */
export async function loadSaved(
  registry: Registry,
  dir: string,
  backend: string,
): Promise<LoadedModel<SavableModule> & { kind: TaskKind; trained: SavedTraining }> {
  let saved: LoadedModel<SavableModule>;
  try {
    saved = await loadModel(registry, dir, { backend: backend as BackendName });
  } catch (error) {
    if ((error as { code?: string }).code === 'MISSING_FILE') {
      throw new CliError(
        `${dir} holds no saved model (no model.json); give the --out folder of \`seqzoo train\`.`,
      );
    }
    throw asModelFileError(error, `${dir}/weights.safetensors`);
  }
  (saved.model as unknown as { eval?: () => void }).eval?.();
  return { ...saved, kind: taskKind(saved.id), trained: saved.training as SavedTraining };
}

/**
 * A malformed safetensors file (registry's SafetensorsError: truncated, a header that lies about
 * its length or offsets, …) as a ModelFileError that names the file and says what to do; other
 * errors pass through.
 */
export function asModelFileError(error: unknown, file: string): unknown {
  const e = error as { name?: string; code?: string; message?: string };
  if (e?.name !== 'SafetensorsError') return error;
  const what = (e.message ?? '').split(/[;.]/)[0];
  return new ModelFileError(
    'WEIGHTS_MISMATCH',
    `not a valid safetensors file (${e.code}: ${what}); it is damaged or was not written by seqzoo or PyTorch: train, save or export the model again.`,
    file,
    { cause: error },
  );
}
