import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * An installed pretrained model package: an npm package whose package.json has a `seqzoo` field,
 * e.g. `@seqzoo/g2p-en`:
 *
 * ```json
 * "seqzoo": { "id": "g2p-en", "model": "./model/model.json", "task": "grapheme-to-phoneme", "load": "loadG2P" }
 * ```
 *
 * `id` is the short name `seqzoo predict` accepts (beside the package name), `model` the saved
 * model's model.json inside the package, `task` a word for what it does, `load` the package's
 * one-line loader (for the listing).
 */
export interface PretrainedPackage {
  /** The `seqzoo.id` of the package (`g2p-en`). */
  readonly id: string;
  /** The npm package name (`@seqzoo/g2p-en`). */
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly task: string;
  /** The package's loader export, e.g. `loadG2P`. */
  readonly load: string | null;
  /** The folder of the package. */
  readonly packageDir: string;
  /** The saved-model folder inside it (where model.json is), for `loadModel`. */
  readonly modelDir: string;
  /** The node_modules folder it was found in. */
  readonly foundIn: string;
}

interface SeqzooField {
  id?: unknown;
  model?: unknown;
  task?: unknown;
  load?: unknown;
}

/**
 * The node_modules folders Node would search from `dir`: `dir/node_modules`, then each
 * ancestor's, as `require.resolve` does (a folder named node_modules gets no inner one).
 */
export function nodeModulesFrom(dir: string): string[] {
  const out: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (basename(d) !== 'node_modules') out.push(join(d, 'node_modules'));
    if (dirname(d) === d) break;
  }
  return out;
}

/** The folders searched by default: from the current folder, then from the CLI's own. */
export function defaultSearchPaths(cwd = process.cwd()): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  return [...new Set([...nodeModulesFrom(cwd), ...nodeModulesFrom(here)])];
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8'));
    return value && typeof value === 'object' ? value : null;
  } catch {
    return null; // not readable or not JSON: not a package we can list
  }
}

/** The package folders directly in one node_modules (`name`, `@scope/name`). */
function packageDirs(nodeModules: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(nodeModules);
  } catch {
    return [];
  }
  const dirs: string[] = [];
  for (const entry of entries) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      try {
        for (const inner of readdirSync(join(nodeModules, entry))) {
          if (!inner.startsWith('.')) dirs.push(join(nodeModules, entry, inner));
        }
      } catch {
        // a stray file named @something
      }
    } else dirs.push(join(nodeModules, entry));
  }
  return dirs;
}

/** The package in `dir` when its package.json declares a usable `seqzoo` field; else null. */
export function readPretrained(dir: string, foundIn = dirname(dir)): PretrainedPackage | null {
  const pkg = readJson(join(dir, 'package.json'));
  const field = pkg?.seqzoo as SeqzooField | undefined;
  if (!pkg || !field || typeof field !== 'object') return null;
  if (typeof field.id !== 'string' || typeof field.model !== 'string') return null;
  if (typeof pkg.name !== 'string') return null;
  const modelJson = resolve(dir, field.model);
  // The model must stay inside the package (a field of `../../elsewhere` is not followed).
  const inside = relative(resolve(dir), modelJson);
  if (inside.startsWith('..') || isAbsolute(inside)) return null;
  return {
    id: field.id,
    name: pkg.name,
    version: typeof pkg.version === 'string' ? pkg.version : '',
    description: typeof pkg.description === 'string' ? pkg.description : '',
    task: typeof field.task === 'string' ? field.task : '',
    load: typeof field.load === 'string' ? field.load : null,
    packageDir: dir,
    modelDir: dirname(modelJson),
    foundIn,
  };
}

/**
 * Installed pretrained packages: every package with a `seqzoo` field in the node_modules folders
 * of `searchPaths` (default: those Node resolves from the current folder, then the CLI's own), by
 * package name, the first found winning (the current project's before the CLI's). Sorted by id.
 */
export function findPretrained(searchPaths = defaultSearchPaths()): PretrainedPackage[] {
  const byName = new Map<string, PretrainedPackage>();
  for (const nodeModules of searchPaths) {
    for (const dir of packageDirs(nodeModules)) {
      const found = readPretrained(dir, nodeModules);
      if (found && !byName.has(found.name)) byName.set(found.name, found);
    }
  }
  return [...byName.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * What `seqzoo predict`/`eval` load for `spec`: an existing path as it is (a saved-model folder
 * always wins), else the model folder of the installed pretrained package whose id or package
 * name is `spec` (`g2p-en`, `@seqzoo/g2p-en`), else `spec` unchanged (the caller's error names
 * it). `pretrained` says which package it was.
 */
export function resolveModelLocation(
  spec: string,
  searchPaths?: string[],
): { location: string; pretrained: PretrainedPackage | null } {
  if (existsSync(spec) || /^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) {
    return { location: spec, pretrained: null };
  }
  // Only a bare package name or id (no path separators besides a scope's) is looked up.
  if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(spec)) {
    return { location: spec, pretrained: null };
  }
  const match = findPretrained(searchPaths).find((p) => p.id === spec || p.name === spec);
  return match
    ? { location: match.modelDir, pretrained: match }
    : { location: spec, pretrained: null };
}
