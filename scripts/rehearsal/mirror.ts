// The third-party packages a consumer of our published packages needs, as the lockfile pins them,
// copied from npm's cache into the rehearsal's registry: it has no uplinks, so a consumer's
// `npm install` from it sees our packages and exactly these, and nothing leaves the machine.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tarballManifest } from './tar';

interface LockEntry {
  name?: string;
  version?: string;
  link?: boolean;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

export interface Lockfile {
  packages: Record<string, LockEntry>;
}

export interface Pinned {
  name: string;
  version: string;
}

/** Where Node would find `dep` from the lockfile location `from` (nested first, then up). */
function resolveIn(lock: Lockfile, from: string, dep: string): string | null {
  let base = from;
  for (;;) {
    const path = `${base ? `${base}/` : ''}node_modules/${dep}`;
    if (lock.packages[path]) return path;
    if (!base) return null;
    const i = base.lastIndexOf('node_modules/');
    base = i < 0 ? '' : base.slice(0, i).replace(/\/$/, '');
  }
}

/**
 * The registry packages reachable from the workspaces at `roots` (lockfile paths such as
 * `packages/zoo`) through dependencies, optional dependencies and non-optional peers, plus the
 * root-level packages named in `extra`: what `npm install` of our packages will ask a registry
 * for. Workspace packages (links) are walked through but not listed.
 */
export function thirdPartyClosure(lock: Lockfile, roots: string[], extra: string[] = []): Pinned[] {
  const seen = new Set<string>();
  const queue = [...roots];
  for (const name of extra) {
    const path = resolveIn(lock, '', name);
    if (!path) throw new Error(`${name} is not in package-lock.json`);
    if (!seen.has(path)) {
      seen.add(path);
      queue.push(path);
    }
  }
  while (queue.length) {
    let at = queue.shift()!;
    let entry = lock.packages[at];
    if (!entry) throw new Error(`${at} is not in package-lock.json`);
    if (entry.link && entry.resolved) {
      at = entry.resolved;
      entry = lock.packages[at];
    }
    const peers = Object.keys(entry.peerDependencies ?? {}).filter(
      (p) => !entry.peerDependenciesMeta?.[p]?.optional,
    );
    const optional = new Set(Object.keys(entry.optionalDependencies ?? {}));
    const deps = [...Object.keys(entry.dependencies ?? {}), ...optional, ...peers];
    for (const dep of deps) {
      const path = resolveIn(lock, at, dep);
      if (!path) {
        if (optional.has(dep)) continue; // another platform's binary: npm skips it there too
        throw new Error(`${dep} (needed by ${at}) is not in package-lock.json`);
      }
      if (seen.has(path)) continue;
      seen.add(path);
      queue.push(path);
    }
  }
  const pinned = new Map<string, Pinned>();
  for (const path of seen) {
    const entry = lock.packages[path];
    if (entry.link || !entry.version) continue;
    const name =
      entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    pinned.set(`${name}@${entry.version}`, { name, version: entry.version });
  }
  return [...pinned.values()];
}

function byVersion(a: string, b: string): number {
  const pa = a.split(/[.+-]/).map((x) => Number(x));
  const pb = b.split(/[.+-]/).map((x) => Number(x));
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

/**
 * Publishes `packages` into the registry at `url` with `token`, each from npm's cache (`npm pack
 * name@version --prefer-offline` into `dir`, the original tarball, integrity unchanged) through
 * the publish API that `npm publish` uses. Returns how many tarballs went in.
 */
export async function seedRegistry(
  url: string,
  token: string,
  packages: Pinned[],
  dir: string,
): Promise<number> {
  mkdirSync(dir, { recursive: true });
  // The user's npm config and cache (where `npm ci` left these tarballs), not the rehearsal's.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^npm_config_registry$/i.test(k)),
  );
  const packed = JSON.parse(
    execFileSync(
      'npm',
      [
        'pack',
        '--json',
        '--prefer-offline',
        '--ignore-scripts',
        '--loglevel=error',
        '--pack-destination',
        dir,
        ...packages.map((p) => `${p.name}@${p.version}`),
      ],
      { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 << 20 },
    ),
  ) as { name: string; version: string; filename: string }[];

  const byName = new Map<string, { version: string; file: string }[]>();
  for (const p of packed) {
    const list = byName.get(p.name) ?? [];
    list.push({ version: p.version, file: join(dir, p.filename) });
    byName.set(p.name, list);
  }
  // One package's versions in order (the last sets `latest`); different packages in parallel.
  await Promise.all(
    [...byName.values()].map(async (versions) => {
      versions.sort((a, b) => byVersion(a.version, b.version));
      for (const v of versions) await publishTarball(url, token, readFileSync(v.file));
    }),
  );
  return packed.length;
}

/** `npm publish` of a tarball as libnpmpublish sends it: the manifest and the tarball inline. */
export async function publishTarball(url: string, token: string, tgz: Buffer): Promise<void> {
  const manifest = tarballManifest(tgz);
  const { name, version } = manifest;
  const file = `${name}-${version}.tgz`;
  const integrity = `sha512-${createHash('sha512').update(tgz).digest('base64')}`;
  const shasum = createHash('sha1').update(tgz).digest('hex');
  const body = {
    _id: name,
    name,
    'dist-tags': { latest: version },
    versions: {
      [version]: {
        ...manifest,
        _id: `${name}@${version}`,
        dist: { integrity, shasum, tarball: `${url}${name}/-/${file}` },
      },
    },
    access: 'public',
    _attachments: {
      [file]: {
        content_type: 'application/octet-stream',
        data: tgz.toString('base64'),
        length: tgz.length,
      },
    },
  };
  const res = await fetch(`${url}${name.replace('/', '%2f')}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`publishing ${name}@${version}: ${res.status} ${await res.text()}`);
}
