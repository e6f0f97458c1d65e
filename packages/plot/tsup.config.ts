import { defineConfig } from 'tsup';

export default defineConfig({
  // '.' is plain SVG (no imports at all); './inside' needs @seqzoo/layers and tfjs-core.
  entry: { index: 'src/index.ts', inside: 'src/inside/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  external: [/^@tensorflow\//, /^@seqzoo\//],
});
