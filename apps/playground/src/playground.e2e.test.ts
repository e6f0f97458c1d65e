// The playground end to end, as a user meets it: a seq2seq model made with the CLI (a child
// process, from sources) and served at /models/dates/, the page served by Vite and driven in
// Debian's Chromium (SwiftShader for WebGL). Leaves a screenshot in test-results/playground.png.
// Also: the plots of @seqzoo/plot in the page (loss, LSTM gates, attention, gradient flow).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, chromiumPath } from '../../../scripts/chromium.ts';
import { playgroundConfig } from '../config';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const cliDir = dirname(createRequire(import.meta.url).resolve('seqzoo/package.json'));

/** `seqzoo …` from the CLI's sources in a child process; rejects with its stderr on failure. */
function seqzoo(args: string[]): Promise<string> {
  const argv = ['--conditions=@seqzoo/source', '--import', 'tsx', join(cliDir, 'src/cli.ts')];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...argv, ...args],
      { env: { ...process.env, VK_ICD_FILENAMES: '' } },
      (error, stdout, stderr) =>
        error ? reject(new Error(`seqzoo ${args.join(' ')} failed:\n${stderr}`)) : resolve(stdout),
    );
  });
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('playground in Chromium', () => {
  let modelsDir: string;
  let server: ViteDevServer;
  let browser: Browser;
  let page: Page;
  let url: string;
  const errors: string[] = [];
  /** The CLI's training run (it goes on while the page trains): its error, or null. */
  let trained: Promise<Error | null>;

  beforeAll(async () => {
    modelsDir = mkdtempSync(join(tmpdir(), 'seqzoo-playground-'));
    // A small date-normalization model, trained on wasm for ~10 s, as the README tells users to.
    trained = seqzoo([
      ...['train', 'seq2seq:attention', '--dataset', 'dates', '--size', '2000'],
      ...['--set', 'embeddingSize=16', '--set', 'hiddenSize=32', '--epochs', '3'],
      ...['--batch-size', '32', '--backend', 'wasm', '--out', join(modelsDir, 'dates'), '--json'],
    ]).then(
      () => null,
      (error: Error) => error,
    );
    server = await createServer({
      ...playgroundConfig({ modelsDir, cacheDir: join(appDir, 'node_modules', '.vite-e2e') }),
      configFile: false,
      logLevel: 'warn',
      server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
    });
    await server.listen();
    const address = server.httpServer?.address();
    if (!address || typeof address === 'string') throw new Error('Vite did not start a server');
    url = `http://127.0.0.1:${address.port}/`;
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.stack ?? e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('favicon.ico'))
        errors.push(`HTTP ${r.status()} ${r.url()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (modelsDir) rmSync(modelsDir, { recursive: true, force: true });
  });

  it('loads and shows the webgl backend in use', async () => {
    await page.goto(url);
    const info = page.locator('#backend-info');
    await page.waitForSelector('#backend-info[data-state="ready"]', { timeout: 60_000 });
    expect(await info.getAttribute('data-backend')).toBe('webgl');
    expect(await info.getAttribute('data-device')).toBe('gpu');
    expect(await info.getAttribute('data-adapter')).toMatch(/\S/);
    expect(await info.textContent()).toMatch(/^webgl \(gpu\)/);
    expect(await page.locator('#backend').inputValue()).toBe('webgl');
    expect(errors).toEqual([]);
  });

  it('trains zoo:char-lm on the names for 50 steps on webgl: the loss falls, tensors stay flat, samples come out', async () => {
    await page.fill('#steps', '50');
    await page.click('#train');
    await page.waitForSelector('#train-status[data-state="done"]', { timeout: 120_000 });
    const losses = JSON.parse(
      (await page.locator('#loss-chart').getAttribute('data-losses')) ?? '[]',
    ) as number[];
    expect(losses).toHaveLength(50);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(mean(losses.slice(-10))).toBeLessThan(mean(losses.slice(0, 10)));
    expect(await page.locator('#step').getAttribute('data-step')).toBe('50');
    expect(await page.locator('#loss-chart polyline.trend').count()).toBe(1);
    // The chart of @seqzoo/plot: nice y ticks covering the losses, axis titles, a legend.
    const yTicks = (await page.locator('#loss-chart text.tick.y').allTextContents()).map(Number);
    expect(yTicks[0]).toBeLessThanOrEqual(Math.min(...losses));
    expect(yTicks.at(-1)).toBeGreaterThanOrEqual(Math.max(...losses));
    expect(await page.locator('#loss-chart text.axis-title').allTextContents()).toEqual([
      'step',
      'loss',
    ]);
    await page.check('#loss-log');
    expect(await page.locator('#loss-chart text.axis-title.y').textContent()).toBe(
      'loss (log scale)',
    );
    await page.uncheck('#loss-log');
    // tf.memory().numTensors after each step: the same from the second step on.
    const tensors = JSON.parse(
      (await page.locator('#step').getAttribute('data-tensors')) ?? '[]',
    ) as number[];
    expect(tensors).toHaveLength(50);
    expect(new Set(tensors.slice(1)).size).toBe(1);

    const samples = await page.locator('#samples li').allTextContents();
    expect(samples).toHaveLength(5);
    expect(samples.every((s) => /^[a-z' -]*$/.test(s))).toBe(true);
    expect(samples.some((s) => /[a-z]{2}/.test(s))).toBe(true);
    const before = Number(await page.locator('#tensors').getAttribute('data-count'));
    await page.click('#generate');
    await expect.poll(() => page.locator('#samples li').count()).toBe(10);
    expect(Number(await page.locator('#tensors').getAttribute('data-count'))).toBe(before);

    // The LSTM's gates over 'christopher': drawn after training, redrawn without leaking.
    const gates = page.locator('#gates svg');
    await gates.waitFor();
    expect(await gates.locator('text.col-label').allTextContents()).toEqual(
      'christopher'.split(''),
    );
    const gateRows = await gates.locator('text.row-label').allTextContents();
    expect(gateRows.filter((r) => r.endsWith('(mean)'))).toEqual([
      'input (mean)',
      'forget (mean)',
      'output (mean)',
    ]);
    expect(gateRows).toHaveLength(15);
    const activations = (await gates
      .locator('rect.cell')
      .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-value'))))) as number[];
    expect(activations).toHaveLength(15 * 11);
    expect(activations.every((v) => v > 0 && v < 1)).toBe(true);
    const beforeGates = Number(await page.locator('#tensors').getAttribute('data-count'));
    await page.fill('#gates-text', 'anna');
    await page.click('#show-gates');
    await expect.poll(() => gates.locator('text.col-label').count()).toBe(4);
    expect(Number(await page.locator('#tensors').getAttribute('data-count'))).toBe(beforeGates);
    console.log(
      `char-lm on webgl: ${await page.locator('#speed').getAttribute('data-steps-per-second')} steps/s; ${await page.locator('#train-status').textContent()}`,
    );
    expect(errors).toEqual([]);
  });

  it('loads the CLI-made seq2seq model from /models/dates/ and draws the attention heat map', async () => {
    const failure = await trained;
    if (failure) throw failure;
    expect(await page.locator('#model-url').inputValue()).toBe('/models/dates/');
    const input = 'March 3rd, 2019';
    await page.fill('#source', input);
    await page.click('#load');
    await page.waitForSelector('#model-status[data-state="loaded"]', { timeout: 60_000 });
    expect(await page.locator('#model-status').textContent()).toContain('seq2seq:attention');
    await page.waitForSelector('#attention svg.attention-map', { timeout: 60_000 });

    const hypotheses = await page.locator('#translations li.translation').count();
    expect(hypotheses).toBeGreaterThanOrEqual(1);
    expect(hypotheses).toBeLessThanOrEqual(4);
    const best =
      (await page.locator('#translations li.translation button').first().textContent()) ?? '';
    const map = page.locator('#attention svg.attention-map');
    const rows = Number(await map.getAttribute('data-rows'));
    const cols = Number(await map.getAttribute('data-cols'));
    // Character tokens: a column per input character, a row per output character (+ </s>).
    expect(cols).toBe(input.length);
    expect([best.length, best.length + 1]).toContain(rows);
    expect(await map.locator('text.col-label').count()).toBe(cols);
    expect(await map.locator('text.row-label').count()).toBe(rows);
    expect(await map.locator('text.axis-title').allTextContents()).toEqual([
      'source tokens (input)',
      'output tokens (predicted)',
      'attention weight',
    ]);
    // The prediction under the map (this small model sometimes ends at once: an empty output).
    expect(await map.locator('text.caption').textContent()).toBe(
      `${input}  →  ${best || '(nothing: </s> first)'}`,
    );
    expect(await map.locator('rect.cell').count()).toBe(rows * cols);
    // Each row is a distribution over the source tokens.
    const weights = (await map
      .locator('rect.cell')
      .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-value'))))) as number[];
    for (let i = 0; i < rows; i++) {
      expect(mean(weights.slice(i * cols, (i + 1) * cols)) * cols).toBeCloseTo(1, 2);
    }

    // Decoding again leaves no tensors behind.
    const before = Number(await page.locator('#tensors').getAttribute('data-count'));
    await page.click('#translate');
    await page.waitForSelector('#attention svg.attention-map');
    expect(Number(await page.locator('#tensors').getAttribute('data-count'))).toBe(before);

    expect(await page.locator('#error').isHidden()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('gradient flow: RNN, GRU and LSTM side by side, redrawn as they train, no tensor left behind', async () => {
    await page.fill('#gradient-lengths', '8');
    await page.fill('#gradient-train-length', '4');
    await page.fill('#gradient-steps', '4');
    await page.fill('#gradient-every', '2');
    await page.click('#gradient-start');
    await page.waitForSelector('#gradient-status[data-state="done"]', { timeout: 120_000 });
    const chart = page.locator('#gradient-chart svg');
    expect(
      await chart
        .locator('g.panel')
        .evaluateAll((gs) => gs.map((g) => g.getAttribute('data-cell'))),
    ).toEqual(['rnn', 'gru', 'lstm']);
    expect(await chart.locator('polyline.series').count()).toBe(3);
    const curves = JSON.parse(
      (await page.locator('#gradient-chart').getAttribute('data-curves')) ?? '[]',
    ) as {
      cell: string;
      steps: number;
      norms: number[];
    }[];
    expect(curves.map((c) => c.cell)).toEqual(['rnn', 'gru', 'lstm']);
    for (const c of curves) {
      expect(c.steps).toBe(4);
      expect(c.norms).toHaveLength(8);
      expect(c.norms.every((v) => v > 0 && Number.isFinite(v))).toBe(true);
    }
    // The loss reads h at the last step: the gradient there exceeds the one 7 steps back.
    for (const c of curves) expect(c.norms[7]).toBeGreaterThan(c.norms[0]);
    const tensors = JSON.parse(
      (await page.locator('#gradient-status').getAttribute('data-tensors')) ?? '[]',
    );
    expect(tensors).toHaveLength(3);
    // After the first training step Adam holds its moments; from then on the count is flat.
    expect(tensors[1]).toBe(tensors[2]);
    expect(await page.locator('#error').isHidden()).toBe(true);

    // The whole page, to look at: loss, samples, gates, attention and gradient flow.
    mkdirSync(join(appDir, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(appDir, 'test-results', 'playground.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('switches to wasm (binaries served by Vite) and trains on pasted text', async () => {
    await page.selectOption('#backend', 'wasm');
    await page.waitForSelector('#backend-info[data-state="ready"][data-backend="wasm"]', {
      timeout: 60_000,
    });
    expect(await page.locator('#backend-info').getAttribute('data-device')).toBe('cpu');
    // The models made on webgl were dropped with the switch.
    expect(await page.locator('#model-status').getAttribute('data-state')).toBe('none');
    expect(await page.locator('#generate').isDisabled()).toBe(true);
    await page.check('input[name="source"][value="text"]');
    await page.fill('#text', 'abcabcabc\nbcabcabca\ncabcabcab\n'.repeat(8));
    await page.fill('#steps', '8');
    await page.click('#train');
    await page.waitForSelector('#train-status[data-state="done"]', { timeout: 60_000 });
    expect(await page.locator('#step').getAttribute('data-step')).toBe('8');
    const samples = await page.locator('#samples li').allTextContents();
    expect(samples).toHaveLength(5);
    expect(samples.every((s) => /^[abc]*$/.test(s))).toBe(true);
    expect(await page.locator('#error').isHidden()).toBe(true);
    expect(errors).toEqual([]);
  });
});
