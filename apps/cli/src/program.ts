import type { Plugin, Registry, Task } from '@seqzoo/registry';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import cliPackage from '../package.json' with { type: 'json' };
import { backendsCommand, formatBackends } from './commands/backends';
import { type BenchSize, benchCommand, formatBench } from './commands/bench';
import { type EvalArgs, evalCommand, formatEval } from './commands/evaluate';
import { type ExportArgs, exportCommand, type ImportArgs, importCommand } from './commands/interop';
import {
  cliRegistry as cliRegistryOf,
  describeTask,
  formatDescription,
  formatModels,
  modelsJson,
} from './commands/models';
import { registerPlot } from './commands/plot';
import { formatPredictions, type PredictArgs, predictCommand } from './commands/predict';
import { barReporter, jsonReporter, stopLine } from './commands/progress';
import { registerQuantize } from './commands/quantize';
import { type TrainArgs, trainCommand } from './commands/train';
import { Exit, oneLine } from './errors';
import { loadPlugins } from './plugins';

/** Where the CLI writes its output (the console by default; tests capture it). */
export interface Io {
  /** Writes to standard output. */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
}

const consoleIo: Io = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
};

/** Builds the `seqzoo` command tree. Commands print through `io` so tests can read them. */
export function buildProgram(io: Io = consoleIo): Command {
  // The subcommand being parsed, so that a usage error can name its --help.
  let current = '';
  // Third-party plugins (--plugin), loaded before the command runs.
  let plugins: Plugin[] = [];
  const cliRegistry = (): Registry => registryOf(plugins);
  const program = new Command('seqzoo')
    .description('Sequence models on TensorFlow.js: backends, training, evaluation and prediction.')
    .version(cliPackage.version, '-V, --version', 'print the version of seqzoo')
    .option('--debug', 'print stack traces of errors')
    .option(
      '--plugin <module-or-path>',
      'load a third-party model plugin (repeatable): a package name or a module path',
      collect,
      [],
    )
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => io.err(s.trimEnd()),
      outputError: (s) => io.err(usageLine(s, current)),
    })
    .hook('preSubcommand', (_program, sub) => {
      current = sub.name();
    })
    .hook('preAction', async () => {
      const specs = program.opts<{ plugin: string[] }>().plugin;
      plugins = specs.length ? await loadPlugins(specs) : [];
    });

  program
    .command('backends')
    .description('list the tfjs backends, whether each can run here and why not')
    .option('--bench', 'time a 512×512 matMul on each available backend')
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: { bench?: boolean; json?: boolean }) => {
      const rows = await backendsCommand({ bench: opts.bench });
      io.out(opts.json ? JSON.stringify(rows, null, 2) : formatBackends(rows, Boolean(opts.bench)));
    });

  program
    .command('models')
    .description(
      'list the registered model ids (namespace:name) and the installed pretrained packages',
    )
    .option('--json', 'print JSON ({ architectures, pretrained }) instead of tables')
    .action((opts: { json?: boolean }) => {
      const registry = cliRegistry();
      io.out(opts.json ? JSON.stringify(modelsJson(registry), null, 2) : formatModels(registry));
    });

  program
    .command('describe')
    .description("a model's config: every field with its type, default and allowed values")
    .argument('<id>', 'model id, namespace:name (`seqzoo models` lists them)')
    .option('--json', 'print the JSON Schema and defaults')
    .action((id: string, opts: { json?: boolean }) => {
      const registry = cliRegistry();
      io.out(
        opts.json
          ? JSON.stringify(
              {
                ...registry.describe(id),
                task: describeTask(registry.definition(id).task as Task | undefined),
              },
              null,
              2,
            )
          : formatDescription(registry, id),
      );
    });

  program
    .command('train')
    .description('train any registered model on a file or one of its datasets; save it to --out')
    .argument('<id>', 'model id, namespace:name (`seqzoo models` lists them)')
    .option('--config <file>', 'model config as a JSON file')
    .option('--set <key=value>', 'set one config field (repeatable; dotted keys nest)', collect, [])
    .option(
      '--data <path>',
      "training data, read as the model's examples: labelled texts or text pairs from a CSV/TSV, texts one per line",
    )
    .option('--dataset <name>', 'a dataset the model names (see `seqzoo describe <id>`)')
    .option('--text-column <name>', 'CSV column of the texts (text pairs: the sources)')
    .option('--label-column <name>', 'CSV column of the labels (text pairs: the targets)')
    .option('--size <n>', 'examples drawn from a dataset', positiveInt)
    .option(
      '--backend <name>',
      'tfjs backend: auto, cpu, wasm, webgl, webgpu, tensorflow, cuda',
      'auto',
    )
    .option('--epochs <n>', "passes over the data (default: the model's)", positiveInt)
    .option(
      '--max-minutes <m>',
      'train for this long instead of a number of epochs',
      positiveNumber,
    )
    .option('--max-steps <n>', 'stop after this many optimizer steps', positiveInt)
    .option('--batch-size <n>', "examples per step (default: the model's)", positiveInt)
    .option('--lr <x>', "learning rate (default: the model's)", positiveNumber)
    .option(
      '--clip <x>',
      "global gradient-norm clipping (default: the model's; 0: off)",
      nonNegativeNumber,
    )
    .option('--label-smoothing <x>', "label smoothing (default: the model's; 0: off)", fraction0)
    .option(
      '--valid-fraction <f>',
      "hold out this fraction for validation (default: the model's; 0: none)",
      fraction0,
    )
    .option(
      '--workers <n>',
      'data-parallel threads, each computing the gradient of a part of every batch (Node)',
      positiveInt,
    )
    .option(
      '--average-decay <d>',
      "validate and save the parameters' moving average with this decay (default: the model's; 0: none)",
      fraction0,
    )
    .option('--validate-every <n>', 'also validate every n steps', positiveInt)
    .option('--patience <n>', 'stop after n validations without improvement', nonNegativeInt)
    .option('--checkpoint-every <n>', 'also write a checkpoint every n steps', positiveInt)
    .option('--out <dir>', 'folder of the saved model (default ./<name>-model)')
    .option('--resume', 'continue from the newest checkpoint in --out')
    .option('--seed <n>', 'seed of the model and of the data order', integer, 0)
    .option(
      '--json',
      'print one JSON object per training event on stdout instead of a progress bar',
    )
    .action(async (id: string, opts: Omit<TrainArgs, 'out'> & { out?: string; json?: boolean }) => {
      const out = opts.out ?? `${id.split(':').pop()}-model`;
      const reporter = opts.json ? jsonReporter(io.out) : barReporter(io.err);
      const { interrupted, result, stopReason } = await trainCommand(
        cliRegistry(),
        id,
        { ...opts, out },
        reporter,
      );
      if (!opts.json) {
        io.err(
          stopLine(stopReason, result.steps, opts, { out, lastCheckpoint: result.lastCheckpoint }),
        );
      }
      if (interrupted) throw new Exit(130);
    });

  program
    .command('eval')
    .description("a saved model's task metrics on held-out examples")
    .argument('<dir>', 'folder of a saved model (the --out of `seqzoo train`)')
    .option('--data <path>', "held-out examples, read as the model's example kind")
    .option('--dataset <name>', 'a dataset the model names (see `seqzoo describe <id>`)')
    .option('--text-column <name>', 'CSV column of the texts (default: as in training)')
    .option('--label-column <name>', 'CSV column of the labels (default: as in training)')
    .option('--size <n>', 'at most this many examples of the dataset split', positiveInt)
    .option('--data-seed <n>', 'seed of a generated dataset (default: the training seed)', integer)
    .option('--split <name>', 'split of a --dataset: test (default), validation or train')
    .option(
      '--beam <k>',
      'decode with this beam width, where the model decodes (default: greedy)',
      positiveInt,
    )
    .option('--backend <name>', 'tfjs backend', 'auto')
    .option('--json', 'print the metrics as JSON')
    .action(async (dir: string, opts: EvalArgs & { json?: boolean }) => {
      const report = await evalCommand(cliRegistry(), dir, opts);
      io.out(opts.json ? JSON.stringify(report) : formatEval(report));
    });

  program
    .command('predict')
    .description(
      "answer inputs with a saved model's task: classify, translate, or continue prompts",
    )
    .argument(
      '<dir>',
      'folder of a saved model (the --out of `seqzoo train`), or an installed pretrained package (`seqzoo models`)',
    )
    .argument('[inputs...]', 'texts to classify or translate, or prompts to continue')
    .option('--stdin', 'also read inputs from stdin, one per line')
    .option('--beam <k>', 'beam width (1: greedy), where the model decodes', positiveInt)
    .option('--n-best <n>', 'hypotheses per input, with --beam', positiveInt)
    .option('--attention <file.svg>', "write the first input's attention heat map")
    .option('--length <n>', 'most tokens to generate', positiveInt)
    .option('--temperature <t>', 'sampling temperature (0: greedy)', nonNegativeNumber)
    .option('--top-k <k>', 'sample from the k most likely tokens', positiveInt)
    .option('--count <n>', 'predictions per input (sampling: seed, seed + 1, …)', positiveInt)
    .option('--seed <n>', 'sampling seed', integer)
    .option('--backend <name>', 'tfjs backend', 'auto')
    .option('--json', 'print one JSON object per prediction')
    .action(async (dir: string, inputs: string[], opts: PredictArgs & { json?: boolean }) => {
      const predictions = await predictCommand(cliRegistry(), dir, inputs, opts);
      io.out(
        opts.json
          ? predictions.map((p) => JSON.stringify(p)).join('\n')
          : formatPredictions(predictions),
      );
    });

  program
    .command('export')
    .description("write a saved model's weights as safetensors under PyTorch state_dict names")
    .argument('<dir>', 'folder of a saved model')
    .option('--to <format>', 'pytorch (state_dict names and layouts) or seqzoo', 'pytorch')
    .option('--out <file>', 'the .safetensors file (default <dir>/<format>.safetensors)')
    .option('--backend <name>', 'tfjs backend', 'auto')
    .action(async (dir: string, opts: ExportArgs) => {
      const { file, tensors } = await exportCommand(cliRegistry(), dir, opts);
      io.out(`wrote ${tensors} tensors to ${file}`);
    });

  program
    .command('import')
    .description('build a model from a config and a safetensors file of weights; save it to --out')
    .argument('<file>', 'a .safetensors file (e.g. a PyTorch state_dict)')
    .requiredOption('--model <id>', 'model id, namespace:name (`seqzoo models` lists them)')
    .requiredOption('--out <dir>', 'folder of the saved model')
    .option('--from <format>', 'pytorch (state_dict names and layouts) or seqzoo', 'pytorch')
    .option('--config <file>', 'model config as a JSON file')
    .option('--set <key=value>', 'set one config field (repeatable)', collect, [])
    .option(
      '--vocabularies <file>',
      'a model.json (or a JSON of vocabularies) for models that have them',
    )
    .option(
      '--rename <old=new>',
      "rewrite a prefix of the file's tensor names before matching (repeatable, first match applies): 'head.=decoder.'; 'module.=' drops DDP's prefix",
      collect,
      [],
    )
    .option('--backend <name>', 'tfjs backend', 'auto')
    .action(async (file: string, opts: ImportArgs) => {
      const { out, modelId } = await importCommand(cliRegistry(), file, opts);
      io.out(`imported ${modelId} from ${file}; saved to ${out}`);
    });

  program
    .command('bench')
    .description(
      'time seqzoo on each backend: matMul ceiling, LSTM/GRU steps, generation, seq2seq decoding',
    )
    .option('--backend <names>', 'backends, comma-separated (e.g. cpu,wasm)', 'wasm')
    .option(
      '--size <S|M|XS>',
      'shapes: S (B32 T32 F64 H128), M (B64 T64 F128 H256), XS (smoke test)',
      'S',
    )
    .option('--runs <n>', 'timed runs of each case, after one warm-up', positiveInt, 5)
    .option(
      '--threads <list>',
      "wasm: run the suite with each of these thread counts (e.g. 1,2 or 1,auto) and add a 'cores' table comparing them",
      threadList,
    )
    .option('--json', 'print the rows as JSON')
    .action(async (opts: BenchOptions) => {
      const backends = opts.backend
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean);
      const rows = await benchCommand(
        cliRegistry(),
        {
          backend: backends,
          size: opts.size.toUpperCase() as BenchSize,
          runs: opts.runs,
          threads: opts.threads,
        },
        opts.json
          ? undefined
          : (b) =>
              io.err(
                `benchmarking ${b} (size ${opts.size}, ${opts.runs} run${opts.runs === 1 ? '' : 's'})…`,
              ),
      );
      io.out(opts.json ? JSON.stringify(rows, null, 2) : formatBench(rows, opts.runs));
    });

  registerPlot(program, io);
  registerQuantize(program, io);
  return program;
}

/** commander's usage error (one or two lines) as one line that says where the flags are listed. */
function usageLine(message: string, command: string): string {
  const text = message
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ')
    .replace(/\(Did you mean/, '(did you mean')
    .replace(/\.$/, '');
  return command
    ? `${text}; run \`seqzoo ${command} --help\` for its arguments and flags.`
    : `${text}; run \`seqzoo --help\` for the commands.`;
}

function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (!(n >= 0) || !Number.isFinite(n))
    throw new InvalidArgumentError(`expected a number ≥ 0, got '${value}'.`);
  return n;
}

function fraction0(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n < 1))
    throw new InvalidArgumentError(`expected a number ≥ 0 and < 1, got '${value}'.`);
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`expected an integer ≥ 0, got '${value}'.`);
  return n;
}

/** The registry of the built-in plugins and the loaded third-party ones. */
function registryOf(plugins: readonly Plugin[]): Registry {
  return cliRegistryOf(plugins);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

interface BenchOptions {
  backend: string;
  size: string;
  runs: number;
  threads?: Array<number | 'auto'>;
  json?: boolean;
}

/** `--threads 1,2,auto`: wasm thread counts (1–8) or auto. */
function threadList(value: string): Array<number | 'auto'> {
  return value.split(',').map((t) => {
    const v = t.trim();
    if (v === 'auto') return 'auto';
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 8)
      throw new InvalidArgumentError(`expected thread counts from 1 to 8 or auto, got '${v}'.`);
    return n;
  });
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive integer, got '${value}'.`);
  return n;
}

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`expected an integer, got '${value}'.`);
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n))
    throw new InvalidArgumentError(`expected a number > 0, got '${value}'.`);
  return n;
}

/**
 * Runs the CLI; resolves to the exit code. Every error is one line on stderr — usage errors
 * (commander) exit 2, the others 1 — and `--debug` adds the stack trace.
 */
export async function run(argv: string[], io: Io = consoleIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof Exit) return error.exitCode;
    if (error instanceof CommanderError) {
      // commander has printed its own message (usage errors, --help, --version).
      return error.exitCode === 0 ? 0 : 2;
    }
    io.err(oneLine(error));
    if (argv.includes('--debug') && error instanceof Error && error.stack) io.err(error.stack);
    return (error as { exitCode?: number }).exitCode ?? 1;
  }
}
