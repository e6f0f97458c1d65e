// `seqzoo plot …`: the pictures of @seqzoo/plot from the command line — gradient flow through
// RNN/GRU/LSTM, a char-LM's LSTM gates over a text, a training run's loss, a translation's
// attention. Each writes an SVG (temp file, then rename) and, with --json, prints its data.
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BackendName, useBackend } from '@seqzoo/backend';
import { attentionMap, gatesChart, gradientChart, type LossHistory, lossChart } from '@seqzoo/plot';
import {
  type GradientFlowOptions,
  gradientFlow,
  languageModelGates,
  lstmLayersOf,
  saturation,
} from '@seqzoo/plot/inside';
import type { Registry } from '@seqzoo/registry';
import type { Seq2SeqModel } from '@seqzoo/seq2seq';
import type { RecurrentLM } from '@seqzoo/zoo';
import type * as tf from '@tensorflow/tfjs-core';
import { type Command, InvalidArgumentError } from 'commander';
import { CliError, fileSystemError } from '../errors';
import type { Io } from '../program';
import { cliRegistry } from './models';
import { loadSaved } from './saved';

/** Writes `text` to `path` through a temp file in the same folder, renamed into place. */
export async function writeAtomic(path: string, text: string, flag = '--out'): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw fileSystemError(error, path, flag);
  }
}

export interface GradientsArgs extends GradientFlowOptions {
  lengths: number[];
  trainSteps: number;
  backend: string;
}

const GRADIENT_FIELDS = [
  'lengths',
  'hiddenSize',
  'symbols',
  'batchSize',
  'seed',
  'lr',
  'init',
  'unitForgetBias',
  'trainSteps',
];

/** A gradient-flow config file: a JSON object with the fields of `GradientsArgs` (flags win). */
export async function readGradientConfig(file: string): Promise<Partial<GradientsArgs>> {
  let config: unknown;
  try {
    config = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) throw new CliError(`${file}: not JSON (${error.message}).`);
    throw fileSystemError(error, file);
  }
  if (!config || typeof config !== 'object' || Array.isArray(config)) {
    throw new CliError(
      `${file}: expected a JSON object with some of ${GRADIENT_FIELDS.join(', ')}.`,
    );
  }
  for (const key of Object.keys(config)) {
    if (!GRADIENT_FIELDS.includes(key)) {
      throw new CliError(
        `${file}: unknown field '${key}'; the fields are ${GRADIENT_FIELDS.join(', ')}.`,
      );
    }
  }
  return config as Partial<GradientsArgs>;
}

/** ‖∂L/∂h_t‖ of fresh (or briefly trained) RNN, GRU and LSTM on the copy task. */
export async function gradientsCommand(args: GradientsArgs) {
  await useBackend(args.backend as BackendName);
  const curves = gradientFlow(args.lengths, args);
  return { curves, svg: gradientChart(curves) };
}

/** A char-LM's (or word-LM's) LSTM gates over `text`, from a model folder. */
export async function gatesCommand(
  registry: Registry,
  dir: string,
  args: { text: string; layer: number; units: number; backend: string },
) {
  const { model, id } = await loadSaved(registry, dir, args.backend);
  try {
    const lm = model as unknown as RecurrentLM;
    if (typeof lm.encode !== 'function' || !lm.vocab) {
      throw new CliError(
        `plot gates: ${dir} holds '${id}', not a recurrent language model; train one of the language models \`seqzoo models\` lists.`,
      );
    }
    if ((lm.config as { cell?: string }).cell !== 'lstm') {
      throw new CliError(
        `plot gates: ${dir}'s model has cell '${(lm.config as { cell?: string }).cell}'; gates exist only for an LSTM (train with --set cell=lstm).`,
      );
    }
    const layerCount = lstmLayersOf(model.stateDict() as Map<string, tf.Tensor>, 'rnn').length;
    if (args.layer >= layerCount) {
      throw new CliError(
        `--layer ${args.layer}: the model has ${layerCount} layer(s), 0 to ${layerCount - 1}.`,
      );
    }
    if (args.text.trim() === '')
      throw new CliError('plot gates: --text is empty; give some text to read.');
    const { tokens: raw, ...gates } = languageModelGates(lm, args.text, { layer: args.layer });
    // Out-of-vocabulary characters read as <unk>: shown as '?' so that columns stay one character.
    const tokens = raw.map((t) => (lm.kind === 'char' && t.length > 1 ? '?' : t));
    const shown = { input: gates.input, forget: gates.forget, output: gates.output };
    const stats = {
      input: saturation(shown.input),
      forget: saturation(shown.forget),
      output: saturation(shown.output),
    };
    const svg = gatesChart(tokens, shown, {
      units: args.units,
      title: `LSTM gates of ${id}${layerCount > 1 ? `, layer ${args.layer}` : ''} over a text`,
      caption: `share of activations < 0.1 / > 0.9 — input ${pct(stats.input.left)} / ${pct(stats.input.right)}, forget ${pct(stats.forget.left)} / ${pct(stats.forget.right)}, output ${pct(stats.output.left)} / ${pct(stats.output.right)}`,
    });
    return { id, text: args.text, tokens, gates: shown, saturation: stats, svg };
  } finally {
    model.dispose();
  }
}

function pct(x: number): string {
  return `${(100 * x).toFixed(0)}%`;
}

/** Re-draws `<dir>/loss.svg` (or `out`) from the `loss.json` that `seqzoo train` wrote. */
export async function lossCommand(dir: string, args: { logY?: boolean }) {
  const file = join(dir, 'loss.json');
  let history: LossHistory;
  try {
    history = JSON.parse(await readFile(file, 'utf8')) as LossHistory;
  } catch (error) {
    if (error instanceof SyntaxError) throw new CliError(`${file}: not JSON (${error.message}).`);
    if ((error as { code?: string }).code === 'ENOENT') {
      throw new CliError(`${dir} has no loss.json; give the --out folder of \`seqzoo train\`.`);
    }
    throw fileSystemError(error, file);
  }
  return { history, svg: lossChart(history, { logY: args.logY }) };
}

/** The attention heat map of a seq2seq model's best translation of `input`. */
export async function attentionCommand(
  registry: Registry,
  dir: string,
  input: string,
  args: { beam: number; backend: string },
) {
  const { model, id } = await loadSaved(registry, dir, args.backend);
  try {
    const translator = (model as unknown as Seq2SeqModel).translator;
    if (!translator)
      throw new CliError(`plot attention: ${dir} holds '${id}', not a seq2seq model.`);
    const [[best]] = translator.translate(
      [input],
      args.beam > 1 ? { beamWidth: args.beam } : { method: 'greedy' },
    );
    if (!best.attention)
      throw new CliError(`plot attention: this model has no attention (config attention: 'none').`);
    return {
      input,
      sourceTokens: best.sourceTokens,
      outputTokens: best.outputTokens,
      text: best.text,
      attention: best.attention,
      svg: attentionMap(best.attention, best.sourceTokens, best.outputTokens, { input }),
    };
  } finally {
    model.dispose();
  }
}

/** `seqzoo plot …`: registered by program.ts in one line. */
export function registerPlot(program: Command, io: Io): void {
  const plot = program
    .command('plot')
    .description('draw what happens inside: gradient flow, LSTM gates, loss, attention (SVG)');
  const done = async (out: string, svg: string, json: boolean, data: unknown) => {
    await writeAtomic(out, svg);
    io.out(json ? JSON.stringify(data) : `wrote ${out}`);
  };

  plot
    .command('gradients')
    .description('‖∂L/∂h_t‖ against t (log scale) for RNN, GRU and LSTM on the copy task')
    .argument(
      '[config.json]',
      'a JSON object: lengths, hiddenSize, symbols, batchSize, seed, init, unitForgetBias, trainSteps, lr',
    )
    .option(
      '--lengths <list>',
      'sequence lengths, comma-separated (default 10,25,50,100)',
      lengthList,
    )
    .option('--hidden-size <n>', 'hidden units (default 32)', positiveInt)
    .option('--seed <n>', 'seed of the weights and the data (default 0)', nonNegativeInt)
    .option(
      '--train-steps <n>',
      'Adam steps at the longest length before measuring (default 0: fresh)',
      nonNegativeInt,
    )
    .option('--init <name>', "'pytorch' (default) or 'keras' (orthogonal recurrent weights)")
    .option('--backend <name>', 'tfjs backend', 'cpu')
    .option('--out <file.svg>', 'the SVG to write', 'gradients.svg')
    .option('--json', 'print the curves as JSON')
    .action(
      async (
        config: string | undefined,
        opts: Partial<GradientsArgs> & { backend: string; out: string; json?: boolean },
      ) => {
        const fromFile = config ? await readGradientConfig(config) : {};
        const pick = <T>(a: T | undefined, b: T | undefined) => (a !== undefined ? a : b);
        const init = pick(opts.init, fromFile.init);
        if (init !== undefined && init !== 'pytorch' && init !== 'keras') {
          throw new CliError(`--init: expected 'pytorch' or 'keras', got '${init}'.`);
        }
        const { curves, svg } = await gradientsCommand({
          ...fromFile,
          lengths: pick(opts.lengths, fromFile.lengths) ?? [10, 25, 50, 100],
          hiddenSize: pick(opts.hiddenSize, fromFile.hiddenSize),
          seed: pick(opts.seed, fromFile.seed),
          trainSteps: pick(opts.trainSteps, fromFile.trainSteps) ?? 0,
          init,
          backend: opts.backend,
        });
        await done(opts.out, svg, Boolean(opts.json), curves);
      },
    );

  plot
    .command('gates')
    .description("a char-LM's LSTM input/forget/output gates over a text")
    .argument('<dir>', 'folder of a saved recurrent language model with cell lstm')
    .option('--text <text>', 'the text to read', 'the quick brown fox jumps over the lazy dog')
    .option('--layer <k>', 'which LSTM layer (default 0)', nonNegativeInt, 0)
    .option('--units <n>', 'units shown per gate: those that vary most (default 6)', positiveInt, 6)
    .option('--backend <name>', 'tfjs backend', 'cpu')
    .option('--out <file.svg>', 'the SVG to write', 'gates.svg')
    .option('--json', 'print the activations as JSON')
    .action(
      async (
        dir: string,
        opts: {
          text: string;
          layer: number;
          units: number;
          backend: string;
          out: string;
          json?: boolean;
        },
      ) => {
        const { svg, ...data } = await gatesCommand(cliRegistry(), dir, opts);
        await done(opts.out, svg, Boolean(opts.json), data);
      },
    );

  plot
    .command('loss')
    .description('re-draw the loss chart of a training run from its loss.json')
    .argument('<dir>', 'the --out folder of `seqzoo train`')
    .option('--log-y', 'log-scale loss axis')
    .option('--out <file.svg>', 'the SVG to write (default <dir>/loss.svg)')
    .option('--json', 'print the loss history as JSON')
    .action(async (dir: string, opts: { logY?: boolean; out?: string; json?: boolean }) => {
      const { history, svg } = await lossCommand(dir, opts);
      await done(opts.out ?? join(dir, 'loss.svg'), svg, Boolean(opts.json), history);
    });

  plot
    .command('attention')
    .description("a seq2seq model's attention over an input, with the predicted tokens")
    .argument('<dir>', 'folder of a saved seq2seq model')
    .argument('<input>', 'the text to translate')
    .option('--beam <k>', 'beam width (default 1: greedy)', positiveInt, 1)
    .option('--backend <name>', 'tfjs backend', 'cpu')
    .option('--out <file.svg>', 'the SVG to write', 'attention.svg')
    .option('--json', 'print the attention matrix and tokens as JSON')
    .action(
      async (
        dir: string,
        input: string,
        opts: { beam: number; backend: string; out: string; json?: boolean },
      ) => {
        const { svg, ...data } = await attentionCommand(cliRegistry(), dir, input, opts);
        await done(opts.out, svg, Boolean(opts.json), data);
      },
    );
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive integer, got '${value}'.`);
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`expected an integer ≥ 0, got '${value}'.`);
  return n;
}

function lengthList(value: string): number[] {
  const parts = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const lengths = parts.map(Number);
  if (lengths.length === 0 || lengths.some((n) => !Number.isInteger(n) || n < 1 || n > 10_000)) {
    throw new InvalidArgumentError(
      `expected lengths 1 to 10000, comma-separated, e.g. 10,25,50; got '${value}'.`,
    );
  }
  return lengths;
}
