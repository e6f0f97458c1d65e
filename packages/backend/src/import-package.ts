import { BackendUnavailableError } from './errors';
import type { ConcreteBackend } from './names';

/**
 * Imports a Node-only optional package by a name that bundlers cannot see, so that a browser build
 * never tries to resolve tfjs-node or Dawn. Replaceable in tests through `setNodeImporter`.
 */
let nodeImporter: (specifier: string) => Promise<unknown> = (specifier) =>
  import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);

/** Test seam: swap how Node-only packages are imported; returns a function that restores it. */
export function setNodeImporter(importer: (specifier: string) => Promise<unknown>): () => void {
  const previous = nodeImporter;
  nodeImporter = importer;
  return () => {
    nodeImporter = previous;
  };
}

export function importNodePackage(backend: ConcreteBackend, pkg: string): Promise<unknown> {
  return guardImport(backend, pkg, () => nodeImporter(pkg));
}

/**
 * Imports a Node built-in module (`node:os`, `node:worker_threads`) by a name bundlers cannot see,
 * so that browser builds of this package do not try to polyfill it.
 */
export function importNodeBuiltin(name: string): Promise<unknown> {
  const specifier = `node:${name}`;
  return import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);
}

/** Is this error a "cannot find package X" (as opposed to X failing while it loads)? */
export function isModuleNotFound(error: unknown, pkg: string): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  const message = String(e?.message ?? error);
  const notFound =
    e?.code === 'ERR_MODULE_NOT_FOUND' ||
    e?.code === 'MODULE_NOT_FOUND' ||
    /Cannot find (package|module)|Could not resolve|Failed to resolve|Failed to fetch dynamically imported module/i.test(
      message,
    );
  return notFound && message.includes(pkg);
}

/** Runs an import and turns its failure into a BackendUnavailableError naming the package. */
export async function guardImport<T>(
  backend: ConcreteBackend,
  pkg: string,
  load: () => Promise<T>,
  loadHint = '',
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isModuleNotFound(error, pkg)) {
      throw new BackendUnavailableError(
        backend,
        `the package ${pkg} is not installed`,
        `Install it next to @tensorflow/tfjs-core: npm install ${pkg}`,
        { cause: error },
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    throw new BackendUnavailableError(
      backend,
      `the package ${pkg} is installed but failed to load (${message.split('\n')[0]})`,
      loadHint ||
        `Reinstall ${pkg} (npm install ${pkg}) and check that its version matches @tensorflow/tfjs-core.`,
      { cause: error },
    );
  }
}
