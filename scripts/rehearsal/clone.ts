// A throwaway copy of the repository to release from: `git clone` of HEAD (committed work only:
// what a maintainer would release), with a node_modules made of links into the working tree's
// (no install: seconds instead of minutes) except that the workspace packages link to the clone's
// own folders, so the build, `changeset version` and the publish all see the clone.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Workspace {
  name: string;
  /** Folder relative to the repository root, as package-lock.json names it (`packages/zoo`). */
  path: string;
  dir: string;
  version: string;
  private: boolean;
  dependencies: Record<string, string>;
}

/** The workspaces of the repository at `root`, read from its package.json's `workspaces`. */
export function workspaces(root: string): Workspace[] {
  const globs: string[] = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces;
  const paths = globs.flatMap((g) =>
    g.endsWith('/*')
      ? existsSync(join(root, g.slice(0, -2)))
        ? readdirSync(join(root, g.slice(0, -2))).map((d) => `${g.slice(0, -2)}/${d}`)
        : []
      : [g],
  );
  return paths
    .filter((p) => existsSync(join(root, p, 'package.json')))
    .map((path) => {
      const pkg = JSON.parse(readFileSync(join(root, path, 'package.json'), 'utf8'));
      return {
        name: pkg.name,
        path,
        dir: join(root, path),
        version: pkg.version,
        private: pkg.private === true,
        dependencies: pkg.dependencies ?? {},
      };
    });
}

/**
 * Clones the HEAD of `source` (default `root`) into `dest` and links its node_modules to
 * `root`'s (see the file's comment).
 */
export function cloneRepository(root: string, dest: string, source = root): void {
  execFileSync('git', ['clone', '--quiet', source, dest], { stdio: 'pipe' });
  const ours = workspaces(dest);
  const theirs = new Set(workspaces(root).map((w) => w.name));
  const modules = join(root, 'node_modules');
  const target = join(dest, 'node_modules');
  mkdirSync(target);
  const linkFrom = (rel: string) => {
    if (theirs.has(rel) || ours.some((w) => w.name === rel)) return; // linked below
    symlinkSync(join(modules, rel), join(target, rel));
  };
  for (const entry of readdirSync(modules)) {
    if (entry.startsWith('@') && lstatSync(join(modules, entry)).isDirectory()) {
      mkdirSync(join(target, entry));
      for (const sub of readdirSync(join(modules, entry))) linkFrom(`${entry}/${sub}`);
    } else linkFrom(entry);
  }
  for (const w of ours) {
    const link = join(target, w.name);
    mkdirSync(join(link, '..'), { recursive: true });
    symlinkSync(relative(join(link, '..'), w.dir), link);
    // A workspace's own node_modules (versions that conflict with the root's).
    const nested = join(root, w.path, 'node_modules');
    if (existsSync(nested) && !existsSync(join(w.dir, 'node_modules'))) {
      symlinkSync(nested, join(w.dir, 'node_modules'));
    }
  }
}
