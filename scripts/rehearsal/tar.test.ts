import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { readTarball, tarballManifest } from './tar';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('reads the files and the top-level package.json of a tarball made by tar', () => {
  dir = mkdtempSync(join(tmpdir(), 'seqzoo-tar-'));
  const deep = `lib/${'long-folder-name/'.repeat(8)}file.js`; // > 100 characters: a long name
  mkdirSync(join(dir, 'pkg', deep, '..'), { recursive: true });
  writeFileSync(join(dir, 'pkg', 'package.json'), '{"name":"@s/p","version":"1.2.3"}');
  writeFileSync(join(dir, 'pkg', deep), 'x'.repeat(1000));
  mkdirSync(join(dir, 'pkg', 'sub'));
  writeFileSync(join(dir, 'pkg', 'sub', 'package.json'), '{"name":"inner"}');
  execFileSync('tar', ['-czf', 'p.tgz', 'pkg'], { cwd: dir });
  const tgz = readFileSync(join(dir, 'p.tgz'));
  const files = readTarball(tgz);
  expect(files.get(`pkg/${deep}`)?.toString()).toBe('x'.repeat(1000));
  expect(tarballManifest(tgz)).toEqual({ name: '@s/p', version: '1.2.3' });
});

it('refuses a tarball without a package.json at its top', () => {
  dir = mkdtempSync(join(tmpdir(), 'seqzoo-tar-'));
  mkdirSync(join(dir, 'pkg'));
  writeFileSync(join(dir, 'pkg', 'index.js'), '');
  execFileSync('tar', ['-czf', 'p.tgz', 'pkg'], { cwd: dir });
  expect(() => tarballManifest(readFileSync(join(dir, 'p.tgz')))).toThrow(
    'a tarball with 0 top-level package.json files',
  );
});
