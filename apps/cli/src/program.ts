import { Command, CommanderError } from 'commander';
import { backendsCommand, formatBackends } from './commands/backends';
import { cliRegistry, formatDescription, formatModels } from './commands/models';
import { oneLine } from './errors';

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

const consoleIo: Io = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
};

/** Builds the `seqzoo` command tree. Commands print through `io` so tests can read them. */
export function buildProgram(io: Io = consoleIo): Command {
  const program = new Command('seqzoo')
    .description('Sequence models on TensorFlow.js: backends, training, evaluation and prediction.')
    .option('--debug', 'print stack traces of errors')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => io.err(s.trimEnd()),
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
    .description('list the registered model ids (namespace:name) with what each is')
    .option('--json', 'print JSON instead of a table')
    .action((opts: { json?: boolean }) => {
      const registry = cliRegistry();
      io.out(opts.json ? JSON.stringify(registry.list(), null, 2) : formatModels(registry));
    });

  program
    .command('describe')
    .description("a model's config: every field with its type, default and allowed values")
    .argument('<id>', "model id, e.g. 'zoo:char-lm' (see `seqzoo models`)")
    .option('--json', 'print the JSON Schema and defaults')
    .action((id: string, opts: { json?: boolean }) => {
      const registry = cliRegistry();
      io.out(
        opts.json
          ? JSON.stringify(registry.describe(id), null, 2)
          : formatDescription(registry, id),
      );
    });

  return program;
}

/** Runs the CLI; resolves to the exit code. Errors become one line (a stack with --debug). */
export async function run(argv: string[], io: Io = consoleIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has printed its own message (usage errors, --help, --version).
      return error.exitCode === 0 ? 0 : 2;
    }
    io.err(oneLine(error));
    if (argv.includes('--debug') && error instanceof Error && error.stack) io.err(error.stack);
    else io.err('(run with --debug for the stack trace)');
    return (error as { exitCode?: number }).exitCode ?? 1;
  }
}
