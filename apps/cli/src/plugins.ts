import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin } from '@seqzoo/registry';
import { CliError } from './errors';

const isPlugin = (x: unknown): x is Plugin =>
  typeof x === 'object' &&
  x !== null &&
  typeof (x as Plugin).namespace === 'string' &&
  typeof (x as Plugin).models === 'object';

/**
 * Where `--plugin <spec>` points: a path (`./acme.js`, `/abs/acme.mjs`, a folder with a
 * package.json) from the working directory, or a package name resolved from the working
 * directory's node_modules (so a plugin installed next to the user's project is found).
 */
function locate(spec: string, cwd: string): string {
  if (spec.startsWith('.') || isAbsolute(spec)) {
    const path = resolve(cwd, spec);
    try {
      return pathToFileURL(createRequire(join(cwd, 'noop.js')).resolve(path)).href;
    } catch {
      return pathToFileURL(path).href;
    }
  }
  try {
    return pathToFileURL(createRequire(join(cwd, 'noop.js')).resolve(spec)).href;
  } catch {
    return spec; // let import() try (an ESM-only package without a require condition)
  }
}

/**
 * Loads third-party plugins for `seqzoo --plugin <module-or-path>`: the module's default export,
 * or its `plugin` export, or every export that is a plugin (`{ namespace, models }`).
 */
export async function loadPlugins(
  specs: readonly string[],
  cwd = process.cwd(),
): Promise<Plugin[]> {
  const out: Plugin[] = [];
  for (const spec of specs) {
    let mod: Record<string, unknown>;
    const where = locate(spec, cwd);
    try {
      mod = await import(where);
    } catch (error) {
      throw new CliError(
        `--plugin ${spec}: cannot load it (${(error as Error).message.split('\n')[0]}); give a package name installed here or the path of a module.`,
      );
    }
    const candidates = isPlugin(mod.default)
      ? [mod.default]
      : isPlugin(mod.plugin)
        ? [mod.plugin]
        : Object.values(mod).filter(isPlugin);
    if (candidates.length === 0) {
      throw new CliError(
        `--plugin ${spec}: the module exports no plugin; export default definePlugin({ namespace, models }) from @seqzoo/registry.`,
      );
    }
    // Worker threads (train --workers) import the plugin from where it was found.
    out.push(...candidates.map((p) => (p.module ? p : { ...p, module: where })));
  }
  return out;
}
