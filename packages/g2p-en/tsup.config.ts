import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // tfjs-core is a peer; the dictionary stays a dependency (its own chunk in apps).
  external: [/^@tensorflow\//, 'cmu-pronouncing-dictionary'],
  // import.meta.url in the CJS build (the model files are found next to dist/).
  shims: true,
});
