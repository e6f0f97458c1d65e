#!/usr/bin/env node
// `npm start`: the seqzoo demo on a fresh clone. Installs the dependencies if they are missing,
// builds the CLI and the packages it uses, then runs the CLI itself on the wasm backend: trains
// the attention encoder–decoder (seq2seq:attention) on date normalization for about a minute
// with its progress bar, translates a few made-up dates with beam search (the 3 best of each),
// writes the attention heat map, and says where the files are. Each command is printed before
// it runs, so that the demo also teaches the CLI.
//
//   npm start                         # a one-minute training budget, files in ./seqzoo-demo
//   npm start -- --minutes 0.25       # or SEQZOO_DEMO_MINUTES=0.25 npm start
//   npm start -- --out /tmp/demo      # or SEQZOO_DEMO_OUT=/tmp/demo npm start
//
// Plain Node, no dependencies: it runs before anything is installed.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDependencies, root } from './ensure-setup.mjs';

/** Made-up dates in some of the task's formats; none is special to the model. */
const DEMO_DATES = ['the 14th of July, 2021', 'Sat, 1 Jan 2000', '12/25/99', 'Nov. 5, 1987'];

/**
 * The model and data sizes: hidden 64, embedding 32, batch 64 on 20 000 dates reach exact match
 * ≥ 0.99 on new dates within a minute on 2 cores (apps/cli README, "Measured").
 */
const TRAIN = [
  '--dataset',
  'dates',
  '--size',
  '20000',
  '--set',
  'hiddenSize=64',
  '--set',
  'embeddingSize=32',
  '--batch-size',
  '64',
  '--backend',
  'wasm',
];

function options() {
  let values;
  try {
    ({ values } = parseArgs({
      options: { minutes: { type: 'string' }, out: { type: 'string' } },
      allowPositionals: false,
    }));
  } catch (error) {
    const why = error.message.split('\n')[0].replace(/\.?$/, '.');
    console.error(`seqzoo demo: ${why} Use: npm start -- [--minutes m] [--out dir]`);
    process.exit(2);
  }
  const minutes = Number(values.minutes ?? process.env.SEQZOO_DEMO_MINUTES ?? 1);
  if (!(minutes > 0) || !Number.isFinite(minutes)) {
    console.error(
      `seqzoo demo: --minutes (or SEQZOO_DEMO_MINUTES) must be a number > 0, got '${values.minutes ?? process.env.SEQZOO_DEMO_MINUTES}'.`,
    );
    process.exit(2);
  }
  const out = resolve(values.out ?? process.env.SEQZOO_DEMO_OUT ?? join(root, 'seqzoo-demo'));
  return { minutes, out };
}

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[22m` : s);
const quote = (a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`);
/** A path as the user would type it from where they ran npm start. */
const shown = (p) => {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') && !isAbsolute(r) ? r : p;
};

const phases = [];
function phase(name, run) {
  const t0 = performance.now();
  const result = run();
  phases.push([name, (performance.now() - t0) / 1000]);
  return result;
}

/** Prints `$ seqzoo …` and runs the built CLI with the terminal attached (progress bar). */
function seqzoo(args) {
  console.log(`\n${bold(`$ seqzoo ${args.map(quote).join(' ')}`)}`);
  const r = spawnSync(process.execPath, [join(root, 'apps/cli/dist/cli.js'), ...args], {
    stdio: 'inherit',
    env: { ...process.env, VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? '' },
  });
  if (r.status !== 0) {
    console.error(`seqzoo demo: \`seqzoo ${args[0]}\` failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status || 1);
  }
}

function main() {
  const { minutes, out } = options();
  const started = performance.now();
  phase('install', () => ensureDependencies());
  phase('build', () => {
    console.log(
      'seqzoo: building the CLI and the packages it uses (turbo; cached after the first run)…',
    );
    execSync('npx turbo run build --filter=seqzoo... --output-logs=errors-only', {
      cwd: root,
      stdio: 'inherit',
    });
  });
  const model = join(out, 'dates-model');
  const heatMap = join(out, 'attention.svg');
  // A fresh run each time: an earlier demo's checkpoints would otherwise mix with this run's.
  rmSync(model, { recursive: true, force: true });
  rmSync(heatMap, { force: true });

  console.log(
    `\nseqzoo demo: an attention encoder–decoder learns to write dates as YYYY-MM-DD, on the wasm backend, for ${minutes} minute${minutes === 1 ? '' : 's'}.` +
      '\nEach step is a `seqzoo` command (here `npx seqzoo …` runs it; `npm install -g seqzoo` puts it on your PATH).',
  );
  phase('train', () =>
    seqzoo([
      'train',
      'seq2seq:attention',
      ...TRAIN,
      '--max-minutes',
      String(minutes),
      '--out',
      shown(model),
    ]),
  );
  phase('eval', () =>
    seqzoo(['eval', shown(model), '--dataset', 'dates', '--size', '500', '--backend', 'wasm']),
  );
  phase('predict', () =>
    seqzoo([
      'predict',
      shown(model),
      ...DEMO_DATES,
      '--beam',
      '5',
      '--n-best',
      '3',
      '--attention',
      shown(heatMap),
      '--backend',
      'wasm',
    ]),
  );

  const total = (performance.now() - started) / 1000;
  const files = [
    [model, 'the trained model (model.json, weights.safetensors, checkpoints/)'],
    [join(model, 'loss.svg'), 'the training loss curve'],
    [heatMap, `where the model looks in '${DEMO_DATES[0]}' while writing each output character`],
  ].filter(([f]) => existsSync(f));
  console.log(`\n${bold('seqzoo demo: the files')}`);
  for (const [file, what] of files) console.log(`  ${file}\n      ${what}`);
  console.log(
    `\ntimes: ${phases.map(([n, s]) => `${n} ${s.toFixed(1)} s`).join(', ')}; total ${total.toFixed(1)} s`,
  );
  console.log(
    `try:   npx seqzoo predict ${quote(model)} 'March 3rd, 2019' --n-best 3   (npx seqzoo --help for the rest)`,
  );
}

main();
