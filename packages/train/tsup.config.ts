import { defineConfig } from 'tsup';

export default defineConfig({
  // replica: the worker thread of data-parallel training, started from the index bundle.
  entry: { index: 'src/index.ts', replica: 'src/parallel/replica.ts' },
  // import.meta.url in the CommonJS build too (it locates dist/replica.js).
  shims: true,
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
