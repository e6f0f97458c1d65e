// The "See inside" pictures of the root README, drawn from committed data:
//
//   docs/see-inside/data/gradients.json  gradientFlow([10, 25, 50], { seed: 0 }) on cpu (fresh
//                                        RNN, GRU, LSTM); recomputed here with --recompute
//   docs/see-inside/data/gates.json      `seqzoo plot gates … --json` of a trained zoo:char-lm
//   docs/see-inside/data/attention.json  `seqzoo plot attention … --json` of a trained seq2seq model
//   docs/see-inside/data/loss.json       the char-lm's loss.json from `seqzoo train`
//
// (docs/see-inside/make-data.sh makes the last three with the CLI.)
//   npm run figures -w @seqzoo/plot                 redraw the SVGs from the data
//   npm run figures -w @seqzoo/plot -- --recompute  also recompute gradients.json first
//   npm run figures -w @seqzoo/plot -- --check      exit 1 when an SVG is not what the data draws
// figures.test.ts runs the check (and recomputes the gradients to compare them with the data).
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  attentionMap,
  type GateValues,
  type GradientCurve,
  gatesChart,
  gradientChart,
  type LossHistory,
  lossChart,
} from '../src/index';

export const FIGURES_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../docs/see-inside',
);
const DATA = join(FIGURES_DIR, 'data');

/** The gradient-flow data: how it is made (also what the test recomputes). */
export const GRADIENT_SETUP = { lengths: [10, 25, 50], seed: 0, backend: 'cpu' } as const;

interface GatesData {
  id: string;
  text: string;
  tokens: string[];
  gates: GateValues;
  saturation: Record<'input' | 'forget' | 'output', { left: number; right: number }>;
}

interface AttentionData {
  input: string;
  sourceTokens: string[];
  outputTokens: string[];
  attention: number[][];
}

const read = <T>(name: string): T => JSON.parse(readFileSync(join(DATA, name), 'utf8')) as T;
const pct = (x: number) => `${(100 * x).toFixed(0)}%`;

/** Each figure's file name and its SVG, drawn from the data files. */
export function drawFigures(): Map<string, string> {
  const figures = new Map<string, string>();
  figures.set('gradients.svg', gradientChart(read<GradientCurve[]>('gradients.json')));
  const g = read<GatesData>('gates.json');
  const s = g.saturation;
  figures.set(
    'gates.svg',
    gatesChart(g.tokens, g.gates, {
      units: 5,
      title: `LSTM gates of a ${g.id} trained on first names, reading '${g.text}'`,
      caption: `activations < 0.1 / > 0.9: input ${pct(s.input.left)} / ${pct(s.input.right)}, forget ${pct(s.forget.left)} / ${pct(s.forget.right)}, output ${pct(s.output.left)} / ${pct(s.output.right)}`,
    }),
  );
  const a = read<AttentionData>('attention.json');
  figures.set(
    'attention.svg',
    attentionMap(a.attention, a.sourceTokens, a.outputTokens, {
      input: a.input,
      title: 'attention of a seq2seq:attention model normalizing a date',
    }),
  );
  figures.set(
    'loss.svg',
    lossChart(read<LossHistory>('loss.json'), {
      title: 'training loss of the zoo:char-lm on first names',
    }),
  );
  return figures;
}

/** Figures whose committed SVG differs from what the data draws (missing ones included). */
export function staleFigures(): string[] {
  return [...drawFigures()]
    .filter(([name, svg]) => {
      const file = join(FIGURES_DIR, name);
      return !existsSync(file) || readFileSync(file, 'utf8') !== svg;
    })
    .map(([name]) => name);
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--recompute')) {
    const { useBackend } = await import('@seqzoo/backend');
    const { gradientFlow } = await import('../src/inside/index');
    await useBackend(GRADIENT_SETUP.backend);
    const curves = gradientFlow(GRADIENT_SETUP.lengths, { seed: GRADIENT_SETUP.seed });
    writeAtomic(join(DATA, 'gradients.json'), `${JSON.stringify(curves, null, 1)}\n`);
    console.log('recomputed data/gradients.json');
  }
  if (argv.includes('--check')) {
    const stale = staleFigures();
    if (stale.length) {
      console.error(`stale: ${stale.join(', ')}; run \`npm run figures -w @seqzoo/plot\``);
      process.exit(1);
    }
    console.log('the figures are current');
    return;
  }
  for (const [name, svg] of drawFigures()) {
    writeAtomic(join(FIGURES_DIR, name), svg);
    console.log(`wrote docs/see-inside/${name}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
