import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const src = dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(readFileSync(join(src, '..', 'package.json'), 'utf8'));

/** The files reachable from `entry` by relative imports (static and dynamic). */
function reachable(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    seen.set(file, text);
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      const base = resolve(dirname(file), m[1].replace(/\.ts$/, ''));
      visit(existsSync(`${base}.ts`) ? `${base}.ts` : join(base, 'index.ts'));
    }
  };
  visit(entry);
  return seen;
}

// (`typeof import('node:fs')` in a type is erased: not an import.)
const nodeImport = /(?:from\s*|(?<!typeof\s)import\s*\(?\s*)'node:[^']+'/;
const hiddenImport = /webpackIgnore|@vite-ignore/;

describe('the main entry is browser-clean; the Node code is behind ./node', () => {
  it('nothing reachable from src/index.ts imports a Node built-in, openly or by a hidden specifier', () => {
    const files = reachable(join(src, 'index.ts'));
    expect(files.size).toBeGreaterThan(20);
    for (const [file, text] of files) {
      expect(nodeImport.test(text), `${file} imports node:*`).toBe(false);
      expect(hiddenImport.test(text), `${file} hides an import from bundlers`).toBe(false);
    }
  });

  it('./node and the Node build hold the file system; the exports map points at them', () => {
    const node = [...reachable(join(src, 'node.ts')).values()].join('\n');
    expect(node).toMatch(/from 'node:fs\/promises'/);
    expect(pkg.exports['./node']['@seqzoo/source']).toBe('./src/node.ts');
    expect(pkg.exports['./node'].import.default).toBe('./dist/node.js');
    expect(pkg.exports['./node'].require.default).toBe('./dist/node.cjs');
    // Node (and Vitest's node projects) get the Node build; bundlers for browsers the clean one.
    expect(pkg.exports['.']['@seqzoo/source']).toEqual({
      node: './src/index.node.ts',
      default: './src/index.ts',
    });
    expect(Object.keys(pkg.exports['.'])).toEqual(['@seqzoo/source', 'node', 'import', 'require']);
    expect(pkg.exports['.'].import.default).toBe('./dist/index.js');
  });

  const dir = mkdtempSync(join(tmpdir(), 'seqzoo-node-entry-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs `code` as an ES module in a child Node process (TypeScript through tsx). */
  const run = (code: string) =>
    new Promise<string>((done) => {
      execFile(
        process.execPath,
        ['--conditions=@seqzoo/source', '--import', 'tsx', '--input-type=module', '-e', code],
        { cwd: src },
        (error, stdout, stderr) => done(`${stdout}${error ? stderr : ''}`),
      );
    });
  const program = (extra: string) => `
    ${extra}
    import { useBackend } from '@seqzoo/backend';
    import { createRegistry, examplePlugin, saveModel } from './index.ts';
    await useBackend('cpu');
    const registry = createRegistry({ plugins: [examplePlugin] });
    const model = await registry.create('example:mlp', {});
    try {
      await saveModel(registry, model, ${JSON.stringify(join(dir, 'm'))});
      console.log('saved');
    } catch (e) {
      console.log(e.name, e.code, e.message);
    }`;

  it('the browser-clean entry alone refuses a folder path, saying to import @seqzoo/registry/node', async () => {
    const out = await run(program(''));
    expect(out).toMatch(/^ModelFileError UNSUPPORTED_URL .*needs Node's file system/m);
    expect(out).toMatch(/import '@seqzoo\/registry\/node'/);
  }, 60_000);

  it('with @seqzoo/registry/node imported, the same program saves to the folder', async () => {
    const out = await run(program("import './node.ts';"));
    expect(out.trim()).toBe('saved');
    expect(readFileSync(join(dir, 'm', 'model.json'), 'utf8')).toMatch(/"modelId": "example:mlp"/);
  }, 60_000);
});
