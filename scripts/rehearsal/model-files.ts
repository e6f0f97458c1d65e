// The files a saved seqzoo model's model.json vouches for ({ file, bytes, sha256 } entries: the
// weights, the optimizer state), found in a package folder, and whether a copy still matches.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

export interface CheckedFile {
  /** model.json's path relative to the package folder. */
  model: string;
  /** The data file's path relative to the package folder. */
  file: string;
  bytes?: number;
  sha256: string;
}

function modelJsons(dir: string, depth = 0): string[] {
  if (depth > 4) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory())
      return e.name === 'node_modules' || e.name.startsWith('.')
        ? []
        : modelJsons(join(dir, e.name), depth + 1);
    return e.name === 'model.json' ? [join(dir, e.name)] : [];
  });
}

function entries(value: unknown): { file: string; bytes?: number; sha256: string }[] {
  if (!value || typeof value !== 'object') return [];
  const v = value as Record<string, unknown>;
  const own =
    typeof v.file === 'string' && typeof v.sha256 === 'string'
      ? [
          {
            file: v.file,
            sha256: v.sha256,
            bytes: typeof v.bytes === 'number' ? v.bytes : undefined,
          },
        ]
      : [];
  return [...own, ...Object.values(v).flatMap(entries)];
}

/**
 * Every checksummed file that the published model.json files under `pkgDir` name: those its
 * package.json's `files` covers, and the one its `seqzoo.model` names (published or not, so that
 * a model left out of `files` shows as missing after install). Test fixtures elsewhere in the
 * folder are not the package's models.
 */
export function checkedModelFiles(pkgDir: string): CheckedFile[] {
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const files: string[] = (pkg.files ?? []).map((f: string) => normalize(f).replace(/\/$/, ''));
  const declared = typeof pkg.seqzoo?.model === 'string' ? normalize(pkg.seqzoo.model) : null;
  const published = (rel: string) =>
    rel === declared || files.some((f) => rel === f || rel.startsWith(`${f}/`));
  return modelJsons(pkgDir)
    .map((path) => relative(pkgDir, path))
    .filter(published)
    .flatMap((model) =>
      entries(JSON.parse(readFileSync(join(pkgDir, model), 'utf8'))).map((e) => ({
        model,
        file: relative(pkgDir, join(pkgDir, dirname(model), e.file)),
        bytes: e.bytes,
        sha256: e.sha256,
      })),
    );
}

/** What is wrong with `pkgDir`'s copy of each file (missing, size, checksum); empty when intact. */
export function verifyModelFiles(pkgDir: string, files: CheckedFile[]): string[] {
  return files.flatMap((f) => {
    const path = join(pkgDir, f.file);
    if (!existsSync(path)) return [`${f.file} (named by ${f.model}) is missing`];
    const size = statSync(path).size;
    if (f.bytes !== undefined && size !== f.bytes)
      return [`${f.file} has ${size} bytes, ${f.model} says ${f.bytes}`];
    const sum = createHash('sha256').update(readFileSync(path)).digest('hex');
    return sum === f.sha256 ? [] : [`${f.file} has sha256 ${sum}, ${f.model} says ${f.sha256}`];
  });
}
