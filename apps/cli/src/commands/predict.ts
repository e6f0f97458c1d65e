import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Prediction, PredictOptionName, PredictOptions, Registry } from '@seqzoo/registry';
import { CliError, fileSystemError } from '../errors';
import { attentionSvg } from './attention-plot';
import { loadSaved, taskOf } from './saved';

export type { Prediction } from '@seqzoo/registry';

/** The flags of `seqzoo predict`. */
export interface PredictArgs {
  backend: string;
  stdin?: boolean;
  beam?: number;
  nBest?: number;
  length?: number;
  temperature?: number;
  topK?: number;
  seed?: number;
  /** Predictions per input (sampling: seeds seed, seed + 1, …). */
  count?: number;
  /** Write the first input's attention heat map (SVG) here. */
  attention?: string;
}

/** Each predict flag and the task option it sets. */
const FLAGS: [keyof PredictArgs, string, PredictOptionName][] = [
  ['beam', '--beam', 'beam'],
  ['nBest', '--n-best', 'nBest'],
  ['length', '--length', 'maxLength'],
  ['temperature', '--temperature', 'temperature'],
  ['topK', '--top-k', 'topK'],
  ['seed', '--seed', 'seed'],
  ['attention', '--attention', 'attention'],
];

const flagOf = (name: PredictOptionName) => FLAGS.find((f) => f[2] === name)?.[1] ?? name;

async function readStdin(): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() !== '') lines.push(line);
  }
  return lines;
}

/**
 * `seqzoo predict`: the saved model's task answers each input (a text to classify or translate, a
 * prompt to continue). Only the options the task lists in `predictOptions` are accepted.
 */
export async function predictCommand(
  registry: Registry,
  dir: string,
  inputs: string[],
  args: PredictArgs,
): Promise<Prediction[]> {
  const { model, id } = await loadSaved(registry, dir, args.backend);
  const task = taskOf(registry, id, 'predict');
  const allowed = task.predictOptions ?? [];
  const options: { -readonly [K in keyof PredictOptions]: PredictOptions[K] } = {};
  for (const [key, flag, name] of FLAGS) {
    if (args[key] === undefined) continue;
    if (!allowed.includes(name)) {
      throw new CliError(
        `${flag}: ${id} does not take it; ${allowed.length ? `it takes ${allowed.map(flagOf).join(', ')}` : 'it takes no prediction options'}.`,
      );
    }
    (options as Record<string, unknown>)[name] = key === 'attention' ? true : args[key];
  }
  if (options.nBest !== undefined && options.beam !== undefined && options.nBest > options.beam)
    throw new CliError(
      `--n-best ${options.nBest} is more than --beam ${options.beam}; raise --beam.`,
    );
  let texts = args.stdin ? [...inputs, ...(await readStdin())] : inputs;
  if (texts.length === 0) {
    if (task.examples !== 'text')
      throw new CliError(
        'nothing to predict: give inputs as arguments or lines on stdin with --stdin.',
      );
    texts = ['']; // a generator with no prompt: generate from scratch
  }
  const count = args.count ?? 1;
  const out: Prediction[] = [];
  for (let i = 0; i < count; i++) {
    const seeded =
      options.seed !== undefined ? { ...options, seed: options.seed + i * texts.length } : options;
    out.push(...(await task.predict(model as never, texts, seeded)));
  }
  if (args.attention) {
    const a = (
      out[0]?.output as {
        attention?: { weights: number[][]; sourceTokens: string[]; outputTokens: string[] };
      }
    )?.attention;
    if (!a)
      throw new CliError(
        `--attention: this model gave no attention weights (config attention: 'none'?).`,
      );
    try {
      await writeFile(args.attention, attentionSvg(a.weights, a.sourceTokens, a.outputTokens));
    } catch (error) {
      throw fileSystemError(error, args.attention, '--attention');
    }
  }
  return out;
}

/**
 * One line per prediction: `input → answer` (with its score where the model gives one), then the
 * rest of an n-best list indented under it; the answer alone when there is no input (generation).
 */
export function formatPredictions(predictions: Prediction[]): string {
  const scored = (text: string, score?: number) =>
    score === undefined ? text : `${text}  (score ${score.toFixed(4)})`;
  return predictions
    .map((p) => {
      if (!p.input) return p.text;
      const head = `${p.input} → ${scored(p.text, p.score)}`;
      const pad = ' '.repeat(p.input.length + 3);
      return [head, ...(p.alternatives ?? []).map((a) => `${pad}${scored(a.text, a.score)}`)].join(
        '\n',
      );
    })
    .join('\n');
}
