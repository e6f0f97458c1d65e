// scripts/check-layers.mjs on small fixture workspaces: a clean tree passes; an upward import,
// an undeclared workspace import, a devDependency used at run time and a dependency nobody
// imports each fail with a line naming the file (or package.json) and what is wrong.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLayers } from './check-layers.mjs';

const script = join(dirname(fileURLToPath(import.meta.url)), 'check-layers.mjs');
const trees: string[] = [];

type Manifest = Record<string, unknown>;

/** A workspace with @seqzoo/backend, @seqzoo/layers and @seqzoo/train; `edit` changes it. */
function tree(edit: (files: Record<string, string | Manifest>) => void = () => {}): string {
  const files: Record<string, string | Manifest> = {
    'package.json': { name: 'fixture', private: true, workspaces: ['packages/*'] },
    'packages/backend/package.json': {
      name: '@seqzoo/backend',
      exports: { '.': { '@seqzoo/source': './src/index.ts' } },
    },
    'packages/backend/src/index.ts': 'export const backend = 1;\n',
    'packages/layers/package.json': {
      name: '@seqzoo/layers',
      exports: { '.': { '@seqzoo/source': './src/index.ts' } },
      devDependencies: { '@seqzoo/backend': '*' },
    },
    'packages/layers/src/index.ts': "export { dense } from './dense';\n",
    'packages/layers/src/dense.ts': 'export const dense = 2;\n',
    // A test may use a devDependency of a lower layer.
    'packages/layers/src/dense.test.ts':
      "import { backend } from '@seqzoo/backend';\nimport { dense } from './dense';\nconsole.log(backend, dense);\n",
    'packages/train/package.json': {
      name: '@seqzoo/train',
      exports: { '.': { '@seqzoo/source': './src/index.ts' } },
      dependencies: { '@seqzoo/layers': '^0.1.0' },
    },
    'packages/train/src/index.ts':
      "import type { dense } from '@seqzoo/layers';\nexport const fit = (d: typeof dense) => d;\n",
  };
  edit(files);
  const root = mkdtempSync(join(tmpdir(), 'check-layers-'));
  trees.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(
      join(root, path),
      typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`,
    );
  }
  return root;
}

afterEach(() => {
  for (const root of trees.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('check-layers', () => {
  it('passes a tree whose imports go down the layers and match package.json', () => {
    expect(checkLayers(tree())).toEqual([]);
  });

  it('fails on an import of a higher layer, naming the file, the import and the allowed layers', () => {
    const root = tree((f) => {
      f['packages/layers/src/dense.ts'] =
        "import { fit } from '@seqzoo/train';\nexport const dense = fit;\n";
    });
    const run = spawnSync(process.execPath, [script, '--root', root], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      "packages/layers/src/dense.ts: imports '@seqzoo/train' (layer 3 training loop); @seqzoo/layers is in layer 1 primitives and may import only lower layers: layer 0 backend: @seqzoo/backend",
    );
  });

  it('checks tests, dynamic imports and import types too', () => {
    const problems = checkLayers(
      tree((f) => {
        f['packages/layers/src/dense.test.ts'] +=
          "type T = import('@seqzoo/train').Fit;\nconst m = await import('@seqzoo/train');\n";
      }),
    );
    expect(problems).toHaveLength(2);
    for (const p of problems)
      expect(p).toMatch(/^packages\/layers\/src\/dense\.test\.ts: imports '@seqzoo\/train'/);
  });

  it('fails on an undeclared workspace import and on a devDependency used by a published file', () => {
    const problems = checkLayers(
      tree((f) => {
        f['packages/train/src/index.ts'] +=
          "import { backend } from '@seqzoo/backend';\nexport { backend };\n";
        f['packages/layers/src/dense.ts'] =
          "import { backend } from '@seqzoo/backend';\nexport const dense = backend;\n";
      }),
    );
    expect(problems).toEqual([
      "packages/layers/src/dense.ts: imports '@seqzoo/backend' but packages/layers/package.json does not declare @seqzoo/backend in dependencies or peerDependencies (the file is part of the published package)",
      "packages/train/src/index.ts: imports '@seqzoo/backend' but packages/train/package.json does not declare @seqzoo/backend in dependencies or peerDependencies (the file is part of the published package)",
    ]);
  });

  it('fails on a declared dependency that no file imports, and on one only tests import', () => {
    const problems = checkLayers(
      tree((f) => {
        (f['packages/train/package.json'] as Manifest).dependencies = {
          '@seqzoo/layers': '^0.1.0',
          '@seqzoo/backend': '^0.1.0',
        };
        (f['packages/layers/package.json'] as Manifest).dependencies = { '@seqzoo/backend': '*' };
        delete (f['packages/layers/package.json'] as Manifest).devDependencies;
      }),
    );
    expect(problems).toEqual([
      'packages/layers/package.json: dependencies declares @seqzoo/backend, which only tests, scripts or examples import; move it to devDependencies',
      'packages/train/package.json: dependencies declares @seqzoo/backend, which no file of @seqzoo/train imports; remove it',
    ]);
  });

  it("counts the README's code blocks as uses of a devDependency", () => {
    const unused = (readme?: string) =>
      checkLayers(
        tree((f) => {
          (f['packages/train/package.json'] as Manifest).devDependencies = {
            '@seqzoo/backend': '*',
          };
          if (readme) f['packages/train/README.md'] = readme;
        }),
      );
    expect(unused()).toEqual([
      'packages/train/package.json: devDependencies declares @seqzoo/backend, which no file of @seqzoo/train imports; remove it',
    ]);
    expect(
      unused(
        "# train\n\n```ts\nimport { backend } from '@seqzoo/backend';\nconsole.log(backend);\n```\n",
      ),
    ).toEqual([]);
  });

  it('fails on a workspace package that is in no layer', () => {
    const problems = checkLayers(
      tree((f) => {
        f['packages/extra/package.json'] = { name: '@seqzoo/extra' };
      }),
    );
    expect(problems).toEqual([
      'packages/extra/package.json: @seqzoo/extra is in no layer of scripts/check-layers.mjs; add it to LAYERS where the root README puts it',
    ]);
  });
});
