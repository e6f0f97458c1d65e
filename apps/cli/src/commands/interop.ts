import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackendName } from '@seqzoo/backend';
import type { Module } from '@seqzoo/layers';
import {
  exportWeights,
  importWeights,
  type Registry,
  saveModel,
  tensorsToSafetensors,
} from '@seqzoo/registry';
import { CliError } from '../errors';
import { configFromArgs } from './config-args';
import { asModelFileError, loadSaved } from './saved';

export interface ExportArgs {
  to: string;
  out?: string;
  backend: string;
}

/**
 * `seqzoo export <dir> --to pytorch`: the saved model's weights as one safetensors file under
 * PyTorch `state_dict()` names and layouts (`--to seqzoo`: seqzoo's own names).
 */
export async function exportCommand(
  registry: Registry,
  dir: string,
  args: ExportArgs,
): Promise<{ file: string; tensors: number }> {
  if (args.to !== 'pytorch' && args.to !== 'seqzoo') {
    throw new CliError(`--to ${args.to}: give pytorch or seqzoo.`);
  }
  const { model } = await loadSaved(registry, dir, args.backend);
  const file = args.out ?? join(dir, `${args.to}.safetensors`);
  const module = model as unknown as Module;
  if (args.to === 'pytorch') await exportWeights(module, file);
  else await writeFile(file, await tensorsToSafetensors(module.stateDict()));
  return { file, tensors: module.stateDict().size };
}

export interface ImportArgs {
  from: string;
  model: string;
  config?: string;
  set: string[];
  vocabularies?: string;
  /** `old=new` prefix rewrites of the file's tensor names (repeatable; the first match applies). */
  rename?: string[];
  out: string;
  backend: string;
}

/**
 * `--rename old=new` values as importWeights' rename rules: split at the first '='; `new` may be
 * empty (`module.=` drops DDP's prefix).
 */
export function parseRenames(values: readonly string[] = []): [string, string][] {
  return values.map((value) => {
    const cut = value.indexOf('=');
    if (cut < 0)
      throw new CliError(
        `--rename ${value}: give old=new, a prefix of the file's tensor names and what it becomes (e.g. --rename 'head.=decoder.', or --rename 'module.=' to drop a prefix).`,
      );
    return [value.slice(0, cut), value.slice(cut + 1)];
  });
}

/**
 * `seqzoo import <file.safetensors> --from pytorch --model <id> --out dir`: builds the model from
 * its config (and vocabularies, for models that have them: a model.json or a JSON of the
 * vocabularies), loads the weights (names, after `--rename old=new` prefix rewrites, and shapes
 * checked) and saves a model folder.
 */
export async function importCommand(
  registry: Registry,
  file: string,
  args: ImportArgs,
): Promise<{ out: string; modelId: string }> {
  if (args.from !== 'pytorch' && args.from !== 'seqzoo') {
    throw new CliError(`--from ${args.from}: give pytorch or seqzoo.`);
  }
  const rename = parseRenames(args.rename);
  const config = await configFromArgs(args.config, args.set);
  let vocabularies: Record<string, unknown> | undefined;
  if (args.vocabularies) {
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(await readFile(args.vocabularies, 'utf8'));
    } catch (error) {
      throw new CliError(
        `--vocabularies ${args.vocabularies}: cannot read it as JSON (${(error as Error).message}).`,
      );
    }
    vocabularies = (json.vocabularies as Record<string, unknown> | undefined) ?? json;
  }
  const model = await registry.create(args.model, config, {
    backend: args.backend as BackendName,
    vocabularies,
  });
  const module = model as unknown as Module;
  if (module.stateDict().size === 0) {
    throw new CliError(
      `'${args.model}' has no weights before it learns its vocabulary: give --vocabularies (the model.json of a trained model, or a JSON of its vocabularies).`,
    );
  }
  try {
    await importWeights(module, file, { from: args.from, rename });
  } catch (error) {
    throw asModelFileError(error, file);
  }
  await saveModel(registry, model, args.out, {
    training: { importedFrom: file, format: args.from },
  });
  return { out: args.out, modelId: args.model };
}
