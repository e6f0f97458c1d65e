import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // Resolved by the consumer through package.json "imports": tfjs-core's gradients under a
  // bundler, nothing in plain Node (see no-gradients.js). Never bundle tfjs-core's files.
  external: ['#register-gradients', /^@tensorflow\//],
});
