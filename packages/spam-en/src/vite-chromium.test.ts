// The package as a browser app meets it: a Vite production build of e2e/ (the model files become
// assets through `new URL('…', import.meta.url)`), served by `vite preview`, opened in Debian's
// Chromium, which loads the model and classifies two messages.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright';
import { build, defaultClientConditions, type PreviewServer, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, chromiumPath } from '../../../scripts/chromium.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../e2e');

describe('@seqzoo/spam-en bundled by Vite, in Chromium', () => {
  let outDir: string;
  let server: PreviewServer;
  let browser: Browser;

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'seqzoo-spam-vite-'));
    const config = {
      root,
      configFile: false as const,
      logLevel: 'warn' as const,
      resolve: { conditions: ['@seqzoo/source', ...defaultClientConditions] },
      build: { outDir, emptyOutDir: true, target: 'es2022' },
      preview: { host: '127.0.0.1', port: 0, strictPort: false },
    };
    await build(config);
    server = await preview(config);
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => server?.httpServer.close(() => resolve()) ?? resolve());
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('emits the weights and model.json as assets', async () => {
    const assets = await readdir(join(outDir, 'assets'));
    expect(assets.filter((f) => /^weights-.+\.safetensors$/.test(f))).toHaveLength(1);
    expect(assets.filter((f) => /^model-.+\.json$/.test(f))).toHaveLength(1);
  });

  it('loads the package and classifies, on the backend the app set', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('favicon.ico'))
        errors.push(`HTTP ${r.status()} ${r.url()}`);
    });
    const address = server.httpServer.address();
    if (!address || typeof address === 'string') throw new Error('vite preview did not listen');
    await page.goto(`http://127.0.0.1:${address.port}/`);
    await page.waitForSelector('body[data-state="ready"], body[data-state="error"]', {
      timeout: 120_000,
    });
    const text = (await page.locator('#out').textContent()) ?? '';
    expect(await page.locator('body').getAttribute('data-state'), text).toBe('ready');
    const result = JSON.parse(text);
    expect(result.spam.label).toBe('spam');
    expect(result.ham.label).toBe('ham');
    expect(result.spam.spamProbability).toBeGreaterThan(result.ham.spamProbability);
    expect(result.backend).toBe('cpu');
    expect(result.features).toBeGreaterThan(1000);
    expect(errors).toEqual([]);
    await page.close();
  });
});
