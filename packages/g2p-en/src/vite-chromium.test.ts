// The package as a browser app meets it: a Vite production build of e2e/ (the model files become
// hashed assets through `new URL('…', import.meta.url)`), served by `vite preview`, opened in
// Debian's Chromium, which loads the model and CMUdict and phonemizes words.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright';
import { build, defaultClientConditions, type PreviewServer, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, chromiumPath } from '../../../scripts/chromium.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../e2e');

describe('@seqzoo/g2p-en bundled by Vite, in Chromium', () => {
  let outDir: string;
  let server: PreviewServer;
  let browser: Browser;

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'seqzoo-g2p-vite-'));
    const config = {
      root,
      configFile: false as const,
      logLevel: 'warn' as const,
      resolve: { conditions: ['@seqzoo/source', ...defaultClientConditions] },
      // CMUdict's chunk is 4.7 MB by design (loaded on demand).
      build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 6000 },
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

  it('emits the weights as an asset (model.json too, or inlined when small), CMUdict in a chunk of its own', async () => {
    const assets = await readdir(join(outDir, 'assets'));
    expect(assets.filter((f) => /^weights-.+\.safetensors$/.test(f))).toHaveLength(1);
    const html = await readFile(join(outDir, 'index.html'), 'utf8');
    const entry = /assets\/(index-[^"]+\.js)/.exec(html)?.[1];
    expect(entry).toBeDefined();
    const code = await readFile(join(outDir, 'assets', entry!), 'utf8');
    // Vite inlines assets under 4 KiB as data: URLs (the placeholder model.json is 3 KiB).
    expect(
      assets.some((f) => /^model-.+\.json$/.test(f)) || code.includes('data:application/json'),
    ).toBe(true);
    expect(code).not.toContain('Z IH0 W IH1 K IY0');
    const chunks = assets.filter((f) => f.endsWith('.js') && f !== entry);
    const withDictionary = [];
    for (const f of chunks) {
      if ((await readFile(join(outDir, 'assets', f), 'utf8')).includes('Z IH0 W IH1 K IY0'))
        withDictionary.push(f);
    }
    expect(withDictionary).toHaveLength(1);
  });

  it('loads the package and phonemizes a word, on the backend the app set', async () => {
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
    expect(result.hello).toEqual(['HH', 'AH0', 'L', 'OW1']);
    expect(result.seqzoo.length).toBeGreaterThan(2);
    for (const p of result.seqzoo) expect(p).toMatch(/^[A-Z]{1,2}[012]?$/);
    expect(result.text).toEqual(['R EH1 D', 'T W EH1 L V', 'W ER1 D Z', '.']);
    expect(result.backend).toBe('cpu');
    expect(result.entries).toBeGreaterThan(130_000);
    expect(errors).toEqual([]);
    await page.close();
  });
});
