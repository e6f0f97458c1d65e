import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // tfjs-core stays a peer (external); its gradient files are bundled through
  // '#register-gradients' → tfjs-gradients.js, because plain Node cannot import them.
  external: [/^@tensorflow\/tfjs-core$/, /^@tensorflow\/tfjs-backend-/, '@tensorflow/tfjs-layers'],
  noExternal: ['#register-gradients', /^@tensorflow\/tfjs-core\/dist\//],
});
