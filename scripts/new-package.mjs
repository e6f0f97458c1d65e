#!/usr/bin/env node
// Scaffolds packages/<name> the way every seqzoo package is laid out:
//   node scripts/new-package.mjs <name> "<description>"
// It writes package.json (exports map with import/require/types, files, sideEffects: false,
// tfjs-core as a peer), tsup.config.ts, tsconfig.json and vitest.config.ts, then stops: the
// package's src/ and README are yours to write.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [name, description = ''] = process.argv.slice(2);
if (!name || !/^[a-z][a-z0-9-]*$/.test(name)) {
  console.error('usage: node scripts/new-package.mjs <kebab-name> "<description>"');
  process.exit(2);
}
const dir = join('packages', name);
if (existsSync(join(dir, 'package.json'))) {
  console.error(`${dir}/package.json exists already`);
  process.exit(2);
}
mkdirSync(join(dir, 'src'), { recursive: true });
const entry = (file) => ({
  '@seqzoo/source': `./src/${file}.ts`,
  import: { types: `./dist/${file}.d.ts`, default: `./dist/${file}.js` },
  require: { types: `./dist/${file}.d.cts`, default: `./dist/${file}.cjs` },
});
const pkg = {
  name: `@seqzoo/${name}`,
  version: '0.1.0',
  description,
  license: 'MIT',
  type: 'module',
  sideEffects: false,
  main: './dist/index.cjs',
  module: './dist/index.js',
  types: './dist/index.d.ts',
  exports: { '.': entry('index'), './package.json': './package.json' },
  files: ['dist', 'README.md'],
  scripts: { build: 'tsup', typecheck: 'tsc -p tsconfig.json' },
  peerDependencies: { '@tensorflow/tfjs-core': '^4.22.0' },
  publishConfig: { access: 'public' },
};
const write = (file, text) => writeFileSync(join(dir, file), text);
write('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
write(
  'tsup.config.ts',
  `import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
`,
);
write(
  'tsconfig.json',
  `{\n  "extends": "../../tsconfig.base.json",\n  "include": ["src", "*.ts"]\n}\n`,
);
write(
  'vitest.config.ts',
  `import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@seqzoo/source'] },
  ssr: { resolve: { conditions: ['@seqzoo/source'] } },
  test: {
    name: '${name}',
    environment: 'node',
    include: ['src/**/*.test.ts'],
    exclude: ['src/**/*.browser.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
`,
);
console.log(
  `created ${dir}: write src/index.ts and README.md, then npm install (links the workspace)`,
);
