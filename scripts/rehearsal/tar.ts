// Reads one file out of a gzipped npm tarball (ustar, as npm and pacote write them).
import { gunzipSync } from 'node:zlib';

function field(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? length : end).toString('utf8');
}

/**
 * The entries of a .tgz as path → bytes (regular files only; pax long names honoured). Paths keep
 * the tarball's first folder (`package/` for npm's own, other names for some registries' packages).
 */
export function readTarball(tgz: Uint8Array): Map<string, Buffer> {
  const tar = gunzipSync(tgz);
  const files = new Map<string, Buffer>();
  let offset = 0;
  let longName: string | null = null;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const size = Number.parseInt(field(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 48);
    const prefix = field(header, 345, 155);
    let name = prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      const path = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      longName = path ? path[1] : null;
      continue;
    }
    if (type === 'L') {
      longName = body.toString('utf8').replace(/\0+$/, '');
      continue;
    }
    if (longName) name = longName;
    longName = null;
    if (type === '0' || type === '\0') files.set(name, Buffer.from(body));
  }
  return files;
}

/** The package.json at the top of an npm tarball, parsed. */
export function tarballManifest(tgz: Uint8Array): Record<string, unknown> & {
  name: string;
  version: string;
} {
  const top = [...readTarball(tgz)].filter(([p]) => /^[^/]+\/package\.json$/.test(p));
  if (top.length !== 1)
    throw new Error(`a tarball with ${top.length} top-level package.json files`);
  return JSON.parse(top[0][1].toString('utf8'));
}
