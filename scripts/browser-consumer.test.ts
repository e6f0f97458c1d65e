/**
 * Builds a small browser app with Vite from the built dist of the published packages and checks
 * that no node-only code reaches the browser entries: zero Vite warnings (a `fs`/`path` import
 * would print "Module ... has been externalized for browser compatibility"), no Node built-in
 * named anywhere in the bundle (not even by a specifier bundlers cannot see), and reports the gzip
 * size of the JS. Assumes dist exists (`npm test` builds first; else `npx turbo run build`).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, createLogger } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packages = ['zoo', 'registry', 'seq2seq', 'train', 'backend', 'data', 'plot'].filter((p) =>
  existsSync(join(root, 'packages', p, 'package.json')),
);
// Inside node_modules so that @seqzoo/* and tfjs resolve through the workspace links.
const app = join(root, 'node_modules', '.cache', `browser-consumer-${process.pid}`);

afterAll(() => rmSync(app, { recursive: true, force: true }));

describe('a Vite browser app importing the packages', () => {
  it('builds with zero warnings and a bounded gzip size', async () => {
    for (const p of packages) {
      const dist = join(root, 'packages', p, 'dist', 'index.js');
      if (!existsSync(dist)) throw new Error(`${dist} is missing: run npx turbo run build first`);
    }
    mkdirSync(app, { recursive: true });
    writeFileSync(
      join(app, 'index.html'),
      '<!doctype html><html><body><pre id="out"></pre><script type="module" src="./main.ts"></script></body></html>\n',
    );
    const names = packages.map((p) => p.replace('-', '_'));
    writeFileSync(
      join(app, 'main.ts'),
      [
        ...packages.map((p, i) => `import * as ${names[i]} from '@seqzoo/${p}';`),
        '// Real calls, and every export enumerated, so that nothing is tree-shaken away.',
        "await backend.useBackend('cpu');",
        'const models = registry.createRegistry({ plugins: [zoo.zooPlugin] });',
        "const out = document.getElementById('out');",
        `if (out) out.textContent = JSON.stringify({ models: String(models), ${names.map((n) => `${n}: Object.keys(${n})`).join(', ')} });`,
        '',
      ].join('\n'),
    );
    const warnings: string[] = [];
    const logger = createLogger('warn', { allowClearScreen: false });
    const warn = logger.warn;
    logger.warn = (msg, options) => {
      warnings.push(msg);
      warn(msg, options);
    };
    logger.warnOnce = (msg, options) => {
      warnings.push(msg);
      warn(msg, options);
    };
    await build({
      root: app,
      configFile: false,
      logLevel: 'warn',
      customLogger: logger,
      build: {
        outDir: join(app, 'dist'),
        emptyOutDir: true,
        target: 'es2022',
        chunkSizeWarningLimit: 100_000,
        rollupOptions: {
          onwarn(warning) {
            warnings.push(`rollup: ${warning.code ?? ''} ${warning.message}`);
          },
        },
      },
    });
    const assets = join(app, 'dist', 'assets');
    const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
    let raw = 0;
    let gzip = 0;
    for (const f of js) {
      const bytes = readFileSync(join(assets, f));
      raw += bytes.length;
      gzip += gzipSync(bytes, { level: 9 }).length;
    }
    console.log(
      `browser consumer (${packages.join(', ')}): ${js.length} JS files, ${(raw / 1024).toFixed(1)} KiB raw, ${(gzip / 1024).toFixed(1)} KiB gzip`,
    );
    expect(warnings).toEqual([]);
    // Nor a Node built-in named in the bundle (a hidden `import('node:fs')` would not warn):
    // node-only code lives behind the packages' `./node` entries and Node builds. The one name
    // left is train's data-parallel workers (`fitTask({ workers })`, loaded on use only): listed
    // here so that a new one fails, and its removal shows.
    // (`node:`-prefixed names: Emscripten's own `require("fs")` in tfjs-backend-wasm's Node branch
    // is a third party's and never runs in a browser.)
    const builtins = /["'`]node:[a-z_/]+["'`]/g;
    const named = new Set(
      js.flatMap((f) => readFileSync(join(assets, f), 'utf8').match(builtins) ?? []),
    );
    const allowed = new Set(['node:worker_threads']);
    const builtinNames = [...named].map((n) => n.replace(/["'`]/g, ''));
    expect(builtinNames.filter((n) => !allowed.has(n))).toEqual([]);
    expect(js.length).toBeGreaterThan(0);
    expect(gzip).toBeLessThan(3 * 1024 * 1024);
  });
});
