import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackendName } from '@seqzoo/backend';
import { createRegistry, loadModel, type SavableModule, saveModel } from '@seqzoo/registry';
import { zooPlugin } from '../plugin';

export const registry = createRegistry({ plugins: [zooPlugin] });

/** Saves `model` (built by `registry`) to a temp folder and loads it back on `backend`. */
export async function saveAndLoad<M extends SavableModule>(
  model: SavableModule,
  backend: BackendName,
): Promise<M> {
  const dir = await mkdtemp(join(tmpdir(), 'zoo-'));
  try {
    await saveModel(registry, model, dir);
    return (await loadModel<M>(registry, dir, { backend })).model;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
