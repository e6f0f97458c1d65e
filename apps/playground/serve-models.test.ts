import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelsMiddleware } from './serve-models';

describe('modelsMiddleware', () => {
  let dir: string;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const parent = mkdtempSync(join(tmpdir(), 'seqzoo-models-'));
    dir = join(parent, 'models');
    mkdirSync(join(dir, 'dates'), { recursive: true });
    writeFileSync(join(dir, 'dates', 'model.json'), '{"modelId":"seq2seq:attention"}');
    writeFileSync(join(dir, 'dates', 'weights.safetensors'), new Uint8Array([1, 2, 3]));
    writeFileSync(join(parent, 'secret.txt'), 'not served');
    const middleware = modelsMiddleware(dir);
    server = createServer((req, res) =>
      middleware(req, res, () => {
        res.statusCode = 418;
        res.end('next');
      }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address() as { port: number };
    base = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  it('serves the files of a model folder at /models/<name>/', async () => {
    const json = await fetch(`${base}/models/dates/model.json`);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toBe('application/json');
    expect(await json.json()).toEqual({ modelId: 'seq2seq:attention' });
    const weights = await fetch(`${base}/models/dates/weights.safetensors`);
    expect(new Uint8Array(await weights.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('answers 404 for a missing file or a folder (loadModel reads 404 as "no such file")', async () => {
    expect((await fetch(`${base}/models/dates/optimizer.safetensors`)).status).toBe(404);
    expect((await fetch(`${base}/models/dates/`)).status).toBe(404);
  });

  it('refuses paths that leave the folder, and passes other URLs on', async () => {
    expect((await fetch(`${base}/models/..%2fsecret.txt`)).status).toBe(403);
    expect((await fetch(`${base}/models/dates/..%2f..%2fsecret.txt`)).status).toBe(403);
    expect((await fetch(`${base}/index.html`)).status).toBe(418);
  });
});
