// The release test: pack every publishable workspace with `npm pack`, install the tarballs into a
// fresh project outside the workspace (from the npm registry for tfjs, from the tarballs for us),
// then import each package from ESM and from CJS, type-check a TypeScript consumer, and run the
// CLI binary. Needs `npm run build` first (npm test does it).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Workspace {
  name: string;
  dir: string;
  private?: boolean;
  bin?: Record<string, string>;
}

function publishable(): Workspace[] {
  const dirs = ['packages', 'apps'].flatMap((top) =>
    readdirSync(join(root, top)).map((d) => join(root, top, d)),
  );
  return dirs
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ ...JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')), dir }))
    .filter((p: Workspace) => !p.private);
}

const workspaces = publishable();
let work: string;
let consumer: string;
const tarballs = new Map<string, string>();

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  for (const w of workspaces) {
    if (!existsSync(join(w.dir, 'dist')))
      throw new Error(`${w.name} has no dist/: run npm run build first`);
  }
  work = mkdtempSync(join(tmpdir(), 'seqzoo-release-'));
  const packed = JSON.parse(
    run(
      'npm',
      ['pack', '--json', '--pack-destination', work, ...workspaces.flatMap((w) => ['-w', w.name])],
      root,
    ),
  ) as { name: string; filename: string; files: { path: string }[] }[];
  for (const p of packed) tarballs.set(p.name, join(work, p.filename));

  consumer = join(work, 'consumer');
  run('mkdir', ['-p', consumer], work);
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true }),
  );
  const tfjs = [
    '@tensorflow/tfjs-core',
    '@tensorflow/tfjs-backend-cpu',
    '@tensorflow/tfjs-backend-wasm',
  ].map(
    (p) =>
      `${p}@${JSON.parse(readFileSync(join(root, 'node_modules', p, 'package.json'), 'utf8')).version}`,
  );
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
      ...tarballs.values(),
      ...tfjs,
      'typescript@~6.0.3',
      '@types/node@^20',
    ],
    consumer,
  );
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed tarballs', () => {
  it('hold the built files and README, and neither sources nor tests', () => {
    for (const w of workspaces) {
      const files = run('tar', ['-tzf', tarballs.get(w.name)!], work)
        .split('\n')
        .filter(Boolean);
      expect(files, w.name).toContain('package/README.md');
      expect(files, w.name).toContain('package/dist/index.js');
      expect(files, w.name).toContain('package/dist/index.cjs');
      expect(files, w.name).toContain('package/dist/index.d.ts');
      expect(
        files.filter((f) => f.startsWith('package/src/') || /\.test\./.test(f)),
        w.name,
      ).toEqual([]);
    }
  });

  it('import from ESM and require from CJS, with the same exports', () => {
    for (const w of workspaces) {
      const esm = run(
        'node',
        [
          '--input-type=module',
          '-e',
          `import * as m from '${w.name}'; console.log(JSON.stringify(Object.keys(m).filter(k => k !== 'default' && k !== 'module.exports').sort()))`,
        ],
        consumer,
      );
      const cjs = run(
        'node',
        ['-e', `console.log(JSON.stringify(Object.keys(require('${w.name}')).sort()))`],
        consumer,
      );
      expect(JSON.parse(esm).length, `${w.name} exports something`).toBeGreaterThan(0);
      expect(JSON.parse(esm), w.name).toEqual(JSON.parse(cjs));
    }
  });

  it('@seqzoo/backend starts wasm from the installed package, from ESM and CJS', () => {
    const esm = run(
      'node',
      [
        '--input-type=module',
        '-e',
        "import('@seqzoo/backend').then(async b => console.log(JSON.stringify(await b.useBackend('wasm'))))",
      ],
      consumer,
    );
    expect(JSON.parse(esm)).toMatchObject({ backend: 'wasm', device: 'cpu', platform: 'node' });
    const cjs = run(
      'node',
      [
        '-e',
        "require('@seqzoo/backend').useBackend('cuda').catch(e => console.log(e.name, e.message))",
      ],
      consumer,
    );
    expect(cjs).toMatch(/^BackendUnavailableError .*@tensorflow\/tfjs-node-gpu/);
  });

  it('@seqzoo/layers trains in plain Node (its gradients come bundled), from ESM and CJS', () => {
    const body = (load: string) =>
      `${load}; (async () => { await useBackend('wasm'); const m = new LSTM({ inputSize: 3, hiddenSize: 4 }); ` +
      'const x = tf.randomNormal([2, 5, 3]); const { value, grads } = valueAndGrads(m, () => tf.mean(m.forward(x).output)); ' +
      'console.log(JSON.stringify({ loss: value.dataSync()[0], grads: [...grads.keys()] })); })();';
    const esm = run(
      'node',
      [
        '--input-type=module',
        '-e',
        body(
          "import * as tf from '@tensorflow/tfjs-core'; import { useBackend } from '@seqzoo/backend'; import { LSTM, valueAndGrads } from '@seqzoo/layers'",
        ),
      ],
      consumer,
    );
    const cjs = run(
      'node',
      [
        '-e',
        body(
          "const tf = require('@tensorflow/tfjs-core'); const { useBackend } = require('@seqzoo/backend'); const { LSTM, valueAndGrads } = require('@seqzoo/layers')",
        ),
      ],
      consumer,
    );
    for (const out of [esm, cjs]) {
      const r = JSON.parse(out.trim().split('\n').pop()!);
      expect(Number.isFinite(r.loss)).toBe(true);
      expect(r.grads).toEqual(['l0.weightIh', 'l0.weightHh', 'l0.biasIh', 'l0.biasHh']);
    }
  });

  it('type-check a TypeScript consumer (ESM and CJS)', () => {
    writeFileSync(
      join(consumer, 'consumer.mts'),
      [
        "import { useBackend, BackendUnavailableError, type BackendInfo } from '@seqzoo/backend';",
        "import { expectNoLeaks } from '@seqzoo/backend/testing';",
        "const info: Promise<BackendInfo> = useBackend('wasm');",
        'const ok: boolean = new BackendUnavailableError("cuda", "r", "h") instanceof Error;',
        'export { info, ok, expectNoLeaks };',
      ].join('\n'),
    );
    writeFileSync(
      join(consumer, 'consumer.cts'),
      "import b = require('@seqzoo/backend');\nconst n: string = b.BACKENDS[0];\nexport = n;\n",
    );
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
          lib: ['ES2022', 'DOM'],
        },
        files: ['consumer.mts', 'consumer.cts'],
      }),
    );
    expect(() =>
      run(join(consumer, 'node_modules', '.bin', 'tsc'), ['-p', '.'], consumer),
    ).not.toThrow();
  });

  it('the seqzoo binary runs', () => {
    const out = run(join(consumer, 'node_modules', '.bin', 'seqzoo'), ['backends'], consumer);
    expect(out).toMatch(/^wasm\s+yes/m);
    const models = run(join(consumer, 'node_modules', '.bin', 'seqzoo'), ['models'], consumer);
    expect(models).toMatch(/^seq2seq:attention\s/m);
    expect(models).toMatch(/^zoo:char-lm\s/m);
  });
});
