import type { BackendName } from '@seqzoo/backend';
import { type LoadedModel, loadModel, type Registry, type SavableModule } from '@seqzoo/registry';
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
    throw error;
  }
  (saved.model as unknown as { eval?: () => void }).eval?.();
  return { ...saved, kind: taskKind(saved.id), trained: saved.training as SavedTraining };
}
