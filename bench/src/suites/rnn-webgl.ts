// `npm run bench -- rnn-webgl`: the webgl part of the RNN benchmark (issue 3, item 9). Vite serves
// a small page (bench/src/rnn-webgl/) to Debian's headless Chromium, whose WebGL is SwiftShader
// (the GPU emulated on the CPU); the page builds the same cases as the Node suite and times them
// there; this side prints the table and writes bench/results/rnn-webgl.json.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';
import { createServer, defaultClientConditions } from 'vite';
import { chromiumArgs, chromiumPath } from '../../../scripts/chromium.ts';
import type { Suite } from '../main';
import {
  type Cell,
  GATES,
  gflops,
  type Phase,
  phaseFlops,
  type ResultRow,
  SIZES,
  type SizeName,
} from '../rnn/config';
import { formatTable, summarize } from '../rnn/table';
import type { GroupSpec, StepProfile } from '../rnn-webgl/page';
import { parseFlags, resultsDir, writeResults } from '../util';

const here = dirname(fileURLToPath(import.meta.url));
const pageDir = join(here, '..', 'rnn-webgl');

type WebglRow = ResultRow & { kernels?: number; programs?: number };

/** Keeps the rows of an earlier run that this run did not redo (another cell or size). */
function mergeRows<R extends ResultRow>(file: string, rows: R[]): R[] {
  if (!existsSync(file)) return rows;
  const key = (r: ResultRow) => [r.impl, r.cell, r.size, r.phase].join('/');
  const fresh = new Set(rows.map(key));
  const old = JSON.parse(readFileSync(file, 'utf8')) as R[];
  return [...old.filter((r) => !fresh.has(key(r))), ...rows];
}

/**
 * Where a step goes, as a two-term model checked against the measured time: the products'
 * FLOPs at the matMul rate sampled in the same group, plus every other shader program at the cost
 * of one tiny elementwise dispatch. The first term is what no implementation of the same maths
 * can go below on this backend, so tf.layers' time over it bounds any speed-up.
 */
function formatProfiles(
  label: string,
  stepMs: Record<string, number>,
  profiles: StepProfile[],
  cost: { addMs: number; stepMatMulMs: number },
  flops: number,
  matmulGflops: number | undefined,
): string {
  const computeMs = matmulGflops ? flops / (matmulGflops * 1e6) : Number.NaN;
  const lines = [
    `${label}: one [B,H] add ${cost.addMs.toFixed(2)} ms a dispatch; one per-step [B,H]·[H,G·H] product ${cost.stepMatMulMs.toFixed(2)} ms; products' FLOPs at the sampled matMul rate (${matmulGflops?.toFixed(2)} GFLOP/s): ${computeMs.toFixed(0)} ms`,
    '| impl | step ms (median) | tfjs kernels | shader programs | of which matMul | uploads | FLOPs ÷ matMul rate + other programs × add | step ms per program | top programs (runs) |',
    '| ---- | ---------------: | -----------: | --------------: | --------------: | ------: | ------------------------------------------ | ------------------: | ------------------- |',
  ];
  for (const p of profiles) {
    const ms = stepMs[p.impl];
    const matmuls = p.byProgram
      .filter(([n]) => /MatMul/.test(n))
      .reduce((sum, [, k]) => sum + k, 0);
    const otherMs = (p.programs - matmuls) * cost.addMs;
    lines.push(
      `| ${p.impl} | ${ms.toFixed(0)} | ${p.kernels} | ${p.programs} | ${matmuls} | ${p.uploads} | ${computeMs.toFixed(0)} + ${otherMs.toFixed(0)} = ${(computeMs + otherMs).toFixed(0)} | ${(ms / Math.max(1, p.programs)).toFixed(2)} | ${p.byProgram
        .slice(0, 6)
        .map(([n, k]) => `${n.replace(/Program$/, '')} ${k}`)
        .join(', ')} |`,
    );
  }
  const stock = stepMs['tfjs-layers'];
  if (stock && computeMs > 0)
    lines.push(
      '',
      `Bound: with zero cost outside the products, a step would take ${computeMs.toFixed(0)} ms, i.e. at most ${(stock / computeMs).toFixed(1)}× faster than tf.layers' ${stock.toFixed(0)} ms here.`,
    );
  return lines.join('\n');
}

const suite: Suite = {
  describe:
    'LSTM/GRU train and inference on webgl in headless Chromium (SwiftShader), seqzoo vs tf.layers (--cell lstm,gru --size S --runs 5 --phase train,infer --profile train --matmul 1024)',
  async run(argv) {
    const flags = parseFlags(argv, {
      cell: 'lstm,gru',
      size: 'S',
      runs: '5',
      phase: 'train,infer',
      profile: 'train',
      matmul: '1024',
    });
    const runs = Number(flags.runs);
    const cells = flags.cell.split(',') as Cell[];
    const sizes = flags.size.split(',') as SizeName[];
    const phases = flags.phase.split(',') as Phase[];
    const profilePhases = flags.profile === 'off' ? [] : (flags.profile.split(',') as Phase[]);
    const matmulN = Number(flags.matmul);
    for (const c of cells)
      if (c !== 'lstm' && c !== 'gru') throw new Error(`--cell: lstm or gru, got '${c}'`);
    for (const s of sizes) if (!(s in SIZES)) throw new Error(`--size: S or M, got '${s}'`);
    if (!(runs >= 1)) throw new Error(`--runs: a positive number, got '${flags.runs}'`);
    const log = (line: string) => console.log(line);

    const server = await createServer({
      configFile: false,
      root: pageDir,
      logLevel: 'warn',
      cacheDir: join(here, '..', '..', 'node_modules', '.vite-rnn-webgl'),
      server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
      resolve: { conditions: ['@seqzoo/source', ...defaultClientConditions] },
      // Pre-bundle every dependency up front, so that none is discovered mid-run (a reload).
      optimizeDeps: {
        entries: [join(pageDir, 'index.html')],
        include: [
          '@tensorflow/tfjs-core',
          '@tensorflow/tfjs-core/dist/register_all_gradients',
          '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops',
          '@tensorflow/tfjs-backend-cpu',
          '@tensorflow/tfjs-backend-webgl',
          '@tensorflow/tfjs-layers',
        ],
      },
    });
    await server.listen();
    const address = server.httpServer?.address();
    if (!address || typeof address === 'string') throw new Error('Vite did not start a server');
    const url = `http://127.0.0.1:${address.port}/index.html`;
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: chromiumArgs,
      headless: true,
    });
    const rows: WebglRow[] = [];
    const profileRows: unknown[] = [];
    const report: string[] = [];
    const ceilingMs: number[] = [];
    try {
      const page = await browser.newPage();
      page.on('pageerror', (e) => log(`  [page error] ${e.stack ?? e.message}`));
      page.on('response', (r) => {
        if (r.status() >= 400 && !r.url().endsWith('favicon.ico'))
          log(`  [page] ${r.status()} ${r.url()}`);
      });
      page.on('console', (m) => {
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
          log(`  [page] ${m.text()}`);
      });
      await page.goto(url);
      await page.waitForFunction(() => 'bench' in window, null, { timeout: 60_000 });
      const info = await page.evaluate(() => window.bench.ready);
      log(
        `Chromium ${String(info.userAgent).match(/Chrome\/[\d.]+/)?.[0] ?? ''}, tfjs ${info.backend}, renderer: ${info.renderer}, timer queries: ${info.timerQueries}`,
      );
      for (const cell of cells) {
        for (const size of sizes) {
          const stepMs: Record<Phase, Record<string, number>> = { train: {}, infer: {} };
          const groupCeiling: Partial<Record<Phase, number>> = {};
          for (const phase of phases) {
            log(`${cell} ${size} ${phase}: ${runs} interleaved runs…`);
            const spec: GroupSpec = { cell, size, phase, runs, matmulN };
            const t0 = performance.now();
            const result = await page.evaluate((s) => window.bench.runGroup(s), spec);
            ceilingMs.push(...result.matmulMs);
            const ceiling = result.matmulMs.length
              ? gflops(2 * matmulN ** 3, summarize(result.matmulMs).medianMs)
              : undefined;
            groupCeiling[phase] = ceiling;
            const flops = phaseFlops(cell, SIZES[size], phase);
            for (const [impl, times] of Object.entries(result.samples)) {
              const { medianMs, minMs } = summarize(times);
              stepMs[phase][impl] = medianMs;
              rows.push({
                cell,
                size,
                backend: 'webgl',
                impl: impl as ResultRow['impl'],
                phase,
                medianMs,
                minMs,
                gflops: gflops(flops, medianMs),
                matmulGflops: ceiling,
                note: 'Chromium headless, SwiftShader',
              });
            }
            log(
              `  ${Object.entries(stepMs[phase])
                .map(([k, v]) => `${k} ${v.toFixed(0)} ms`)
                .join(', ')} (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
            );
          }
          for (const phase of profilePhases.filter((p) => phases.includes(p))) {
            log(`${cell} ${size} ${phase}: counting dispatches…`);
            const profiles = await page.evaluate((s) => window.bench.profileGroup(s), {
              cell,
              size,
              phase,
              runs: 1,
              matmulN: 0,
            } as GroupSpec);
            const { B, H } = SIZES[size];
            const cost = await page.evaluate(([b, h, g]) => window.bench.dispatchCost(b, h, g), [
              B,
              H,
              GATES[cell],
            ] as [number, number, number]);
            for (const p of profiles) {
              const row = rows.find(
                (r) => r.cell === cell && r.size === size && r.phase === phase && r.impl === p.impl,
              );
              if (row) Object.assign(row, { kernels: p.kernels, programs: p.programs });
            }
            profileRows.push({ cell, size, phase, dispatchCost: cost, profiles });
            report.push(
              formatProfiles(
                `${cell} ${size} ${phase}`,
                stepMs[phase],
                profiles,
                cost,
                phaseFlops(cell, SIZES[size], phase),
                groupCeiling[phase],
              ),
            );
          }
        }
      }
      const leftover = await page.evaluate(() => window.bench.numTensors());
      if (leftover > 0) log(`(tensors left in the page after the runs: ${leftover})`);
    } finally {
      await browser.close();
      await server.close();
    }

    const overall = ceilingMs.length
      ? gflops(2 * matmulN ** 3, summarize(ceilingMs).medianMs)
      : Number.NaN;
    rows.unshift({ backend: 'webgl', impl: 'matmul', gflops: overall });
    console.log(`\n${formatTable(rows, overall)}`);
    if (report.length) console.log(`\nWhere a step goes (one step each, after warm-up):\n`);
    for (const r of report) console.log(`${r}\n`);
    const file = join(resultsDir, 'rnn-webgl.json');
    writeResults('rnn-webgl', mergeRows(file, rows));
    console.log(`wrote ${file}`);
    if (profileRows.length) {
      const pfile = join(resultsDir, 'rnn-webgl-profile.json');
      type Group = { cell: string; size: string; phase: string };
      const old = existsSync(pfile) ? (JSON.parse(readFileSync(pfile, 'utf8')) as Group[]) : [];
      const key = (r: Group) => [r.cell, r.size, r.phase].join('/');
      const fresh = new Set((profileRows as Group[]).map(key));
      writeResults('rnn-webgl-profile', [...old.filter((r) => !fresh.has(key(r))), ...profileRows]);
      console.log(`wrote ${pfile}`);
    }
  },
};
export default suite;
