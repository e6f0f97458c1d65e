import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import type { Plugin } from 'vite';

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.safetensors': 'application/octet-stream',
};

/**
 * A Connect middleware that serves the files under `dir` at `/models/…` (404 for a missing file,
 * 403 for a path that leaves `dir`) and passes every other URL on.
 */
export function modelsMiddleware(dir: string) {
  const root = resolve(dir);
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/models/')) {
      next();
      return;
    }
    const file = resolve(root, `.${decodeURIComponent(url.pathname.slice('/models'.length))}`);
    if (file !== root && !file.startsWith(root + sep)) {
      res.statusCode = 403;
      res.end('outside the models folder');
      return;
    }
    let size: number;
    try {
      const stat = statSync(file);
      if (!stat.isFile()) throw new Error('not a file');
      size = stat.size;
    } catch {
      res.statusCode = 404;
      res.end(`no ${url.pathname} under ${root}`);
      return;
    }
    res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
    res.setHeader('Content-Length', size);
    res.setHeader('Cache-Control', 'no-store');
    createReadStream(file).pipe(res);
  };
}

/** Serves `dir` at `/models/` (dev server and `vite preview`): saved models as static files. */
export function serveModels(dir: string): Plugin {
  const middleware = modelsMiddleware(dir);
  return {
    name: 'seqzoo-playground-models',
    configureServer: (server) => {
      server.middlewares.use(middleware);
    },
    configurePreviewServer: (server) => {
      server.middlewares.use(middleware);
    },
  };
}
