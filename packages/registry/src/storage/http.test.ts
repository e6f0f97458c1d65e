import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { useBackend } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFileError } from '../errors';
import type { ExampleMlp } from '../example/mlp';
import { examplePlugin } from '../example/plugin';
import { createRegistry } from '../registry';
import { type LoadOptions, loadModel } from '../save-load';

// Issue 20 item 4: http(s) loading has size limits, time limits, typed errors and a redirect
// policy. Every case runs against a server on 127.0.0.1 that this test starts; each is bounded.
const registry = createRegistry({ plugins: [examplePlugin] });
const golden = join(dirname(fileURLToPath(import.meta.url)), '../../goldens/saved-mlp-v1');
const files: Record<string, Buffer> = {};
let server: Server;
let base: string; // http://127.0.0.1:port
let other: string; // http://localhost:port: the same server under another origin
/** Bytes the server managed to send on the slow/large routes (to show the client stopped). */
const sent: Record<string, number> = {};
const open = new Set<ServerResponse>();

function route(req: IncomingMessage, res: ServerResponse): unknown {
  open.add(res);
  res.on('close', () => open.delete(res));
  const url = new URL(req.url ?? '/', base);
  const [, dir, file] = url.pathname.split('/');
  const serve = (name = file) => {
    const body = files[name];
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-length': body.byteLength }).end(body);
  };
  const pump = (key: string, chunk: Buffer, everyMs: number) => {
    sent[key] = 0;
    const timer = setInterval(() => {
      if (res.destroyed || res.writableEnded) return void clearInterval(timer);
      sent[key] += chunk.byteLength;
      res.write(chunk);
    }, everyMs);
    res.on('close', () => clearInterval(timer));
  };
  switch (dir) {
    case 'm':
      return serve();
    case 'lying-length': // weights announced as 300 MB
      if (file === 'model.json') return serve();
      res.writeHead(200, { 'content-length': 300_000_000 });
      return pump('lying-length', Buffer.alloc(65_536), 1);
    case 'endless': // weights streamed without a length, forever
      if (file === 'model.json') return serve();
      res.writeHead(200);
      return pump('endless', Buffer.alloc(65_536), 1);
    case 'gzip-bomb': {
      // ~80 KB on the wire, 80 MB inflated: over the 64 MiB limit of model.json.
      const bomb = gzipSync(Buffer.alloc(80_000_000, 0x20));
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': bomb.byteLength });
      return void res.end(bomb);
    }
    case 'stall': // a few bytes, then nothing
      if (file === 'model.json') return serve();
      res.writeHead(200, { 'content-length': files['weights.safetensors'].byteLength });
      return void res.write(files['weights.safetensors'].subarray(0, 10));
    case 'drip': // one byte every 20 ms: never stalls, never finishes in time
      if (file === 'model.json') return serve();
      res.writeHead(200, { 'content-length': files['weights.safetensors'].byteLength });
      return pump('drip', Buffer.from([0]), 20);
    case 'redirect-other-origin':
      res.writeHead(302, { location: `${other}/m/${file}` });
      return void res.end();
    case 'redirect-same-origin':
      res.writeHead(307, { location: `/m/${file}` });
      return void res.end();
    case 'redirect-loop':
      res.writeHead(302, { location: `/redirect-loop/${file}` });
      return void res.end();
    case 'error':
      return void res.writeHead(500, 'Internal Server Error').end('boom');
    case 'absolute': {
      const json = JSON.parse(files['model.json'].toString());
      json.weights.file = `${other}/m/weights.safetensors`;
      const body = Buffer.from(JSON.stringify(json));
      return void res.writeHead(200, { 'content-length': body.byteLength }).end(body);
    }
    default:
      res.writeHead(404).end();
  }
}

async function failure(url: string, options: LoadOptions = {}): Promise<ModelFileError> {
  const before = tf.memory().numTensors;
  try {
    const loaded = await loadModel(registry, url, { backend: 'cpu', ...options });
    loaded.model.dispose();
  } catch (e) {
    expect(tf.memory().numTensors).toBe(before);
    expect(e, (e as Error).stack).toBeInstanceOf(ModelFileError);
    return e as ModelFileError;
  }
  throw new Error(`${url} loaded`);
}

describe('loadModel over http(s)', () => {
  beforeAll(async () => {
    await useBackend('cpu');
    for (const f of ['model.json', 'weights.safetensors', 'optimizer.safetensors'])
      files[f] = await readFile(join(golden, f));
    server = createServer(route);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    base = `http://127.0.0.1:${port}`;
    other = `http://localhost:${port}`;
  });
  afterAll(async () => {
    for (const res of open) res.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('loads a served model', async () => {
    const loaded = await loadModel<ExampleMlp>(registry, `${base}/m`, { backend: 'cpu' });
    expect(loaded.model.labels).toEqual(['ham', 'spam']);
    loaded.model.dispose();
    for (const t of loaded.optimizer?.tensors.values() ?? []) t.dispose();
  });

  it('refuses a Content-Length over what the model can hold, before the body is read', async () => {
    const e = await failure(`${base}/lying-length`);
    expect(e.code).toBe('TOO_LARGE');
    expect(e.message).toContain(`${base}/lying-length/weights.safetensors`);
    expect(e.message).toMatch(/300000000/);
    expect(sent['lying-length']).toBeLessThan(50_000_000);
  }, 20_000);

  it('stops a body streamed without a length once it is over the limit', async () => {
    const e = await failure(`${base}/endless`);
    expect(e.code).toBe('TOO_LARGE');
    expect(e.file).toBe(`${base}/endless/weights.safetensors`);
  }, 20_000);

  it('stops a gzip bomb while inflating (model.json limit, 64 MiB)', async () => {
    const e = await failure(`${base}/gzip-bomb`);
    expect(e.code).toBe('TOO_LARGE');
    expect(e.file).toBe(`${base}/gzip-bomb/model.json`);
  }, 20_000);

  it('a stalled server times out (stallTimeoutMs)', async () => {
    const e = await failure(`${base}/stall`, { http: { stallTimeoutMs: 1_000 } });
    expect(e.code).toBe('TIMEOUT');
    expect(e.message).toContain(`${base}/stall/weights.safetensors`);
  }, 10_000);

  it('a one-byte-at-a-time server times out (timeoutMs)', async () => {
    const e = await failure(`${base}/drip`, { http: { timeoutMs: 2_000 } });
    expect(e.code).toBe('TIMEOUT');
    expect(sent.drip).toBeLessThan(400); // ~100 bytes in 2 s: the client gave up, not the server
  }, 10_000);

  it('a redirect to another origin is refused unless asked for', async () => {
    const e = await failure(`${base}/redirect-other-origin`);
    expect(e.code).toBe('REDIRECT_REFUSED');
    expect(e.message).toContain(`${other}/m/model.json`);
    const loaded = await loadModel(registry, `${base}/redirect-other-origin`, {
      backend: 'cpu',
      http: { redirect: 'follow' },
    });
    loaded.model.dispose();
    for (const t of loaded.optimizer?.tensors.values() ?? []) t.dispose();
  }, 10_000);

  it('a same-origin redirect is followed; a loop is not followed forever', async () => {
    const loaded = await loadModel(registry, `${base}/redirect-same-origin`, { backend: 'cpu' });
    loaded.model.dispose();
    for (const t of loaded.optimizer?.tensors.values() ?? []) t.dispose();
    expect((await failure(`${base}/redirect-loop`)).code).toBe('REDIRECT_REFUSED');
    expect((await failure(`${base}/redirect-loop`, { http: { redirect: 'error' } })).code).toBe(
      'REDIRECT_REFUSED',
    );
  }, 10_000);

  it('HTTP errors and network errors are typed and carry the URL', async () => {
    const e = await failure(`${base}/error`);
    expect(e.code).toBe('HTTP_ERROR');
    expect(e.message).toMatch(/500/);
    expect(e.file).toBe(`${base}/error/model.json`);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const n = await failure(`http://127.0.0.1:${port}/m`);
    expect(n.code).toBe('HTTP_ERROR');
    expect(n.file).toBe(`http://127.0.0.1:${port}/m/model.json`);
  }, 10_000);

  it('httpStorage reads only plain names under its URL', async () => {
    const { httpStorage } = await import('./http');
    const storage = httpStorage(`${base}/m`);
    expect(await storage.read('model.json')).toBeInstanceOf(Uint8Array);
    for (const bad of [
      '../m/model.json',
      '/m/model.json',
      `${other}/m/model.json`,
      '%2e%2e',
      'a?b',
      '.',
    ]) {
      const e = await storage.read(bad).catch((error: Error) => error);
      expect((e as ModelFileError).code, bad).toBe('UNSAFE_PATH');
    }
  });

  it('an absolute URL as weights.file is refused without fetching it', async () => {
    expect((await failure(`${base}/absolute`)).code).toBe('UNSAFE_PATH');
  });
});
