import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // tfjs-core is a peer.
  external: [/^@tensorflow\//],
  // import.meta.url in the CJS build (the model files are found next to dist/).
  shims: true,
});
