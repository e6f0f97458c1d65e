import { readFile, stat } from 'node:fs/promises';
import { readCsv } from '@seqzoo/data';
import { fromFile } from '@seqzoo/data/node';
import type { Splits, Task } from '@seqzoo/registry';
import { CliError, fileSystemError } from '../errors';

/** Where a command's examples come from: a file (`--data`) or a dataset the task names. */
export interface DataArgs {
  data?: string;
  dataset?: string;
  /** CSV column of the texts (labelled text) or of the sources (text pairs). */
  textColumn?: string;
  /** CSV column of the labels (labelled text) or of the targets (text pairs). */
  labelColumn?: string;
  /** Examples drawn from a dataset. */
  size?: number;
  /** Seed of a dataset. */
  dataSeed?: number;
}

async function mustBeFile(path: string): Promise<void> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new CliError(`--data ${path}: no such file; give the path of a readable file.`);
    throw fileSystemError(error, path, '--data');
  }
  if (info.isDirectory())
    throw fileSystemError(
      Object.assign(new Error('is a directory'), { code: 'EISDIR', path }),
      path,
      '--data',
    );
}

/**
 * Runs a reader of --data, naming the file and the flags in the data package's errors: a bad
 * row (ReaderError, with its line) or a column that is not in the header (DataArgumentError).
 */
async function reading<T>(path: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const e = error as Error & { code?: string };
    if (e?.name === 'ReaderError') {
      e.message = `--data ${path}: ${e.message}`;
    } else if (e?.name === 'DataArgumentError' && /is not in the header/.test(e.message)) {
      e.message = `--data ${path}: ${e.message} Name the columns with --text-column and --label-column.`;
    } else if (typeof e?.code === 'string' && e.code.startsWith('E')) {
      throw fileSystemError(error, path, '--data');
    }
    throw e;
  }
}

const delimiterOf = (path: string) => (path.toLowerCase().endsWith('.tsv') ? '\t' : ',');

async function csvColumns(
  path: string,
  first: string,
  second: string,
): Promise<[string, string][]> {
  const rows = await reading(path, () =>
    readCsv(fromFile(path), { columns: [first, second], delimiter: delimiterOf(path) }).toArray(),
  );
  return rows.map((r) => [r[first], r[second]]);
}

/**
 * The examples in a --data file, read as the task's example kind: `labelled-text` and
 * `text-pairs` from a CSV (a `.tsv` is tab-separated) with a header row, `text` one text per
 * line (blank lines and a byte-order mark dropped), `custom` by the task's own `readExamples`.
 */
export async function readExamples(task: Task, path: string, args: DataArgs): Promise<unknown[]> {
  await mustBeFile(path);
  let examples: unknown[];
  switch (task.examples) {
    case 'labelled-text': {
      const text = args.textColumn ?? 'text';
      const label = args.labelColumn ?? 'label';
      const rows = await csvColumns(path, text, label);
      rows.forEach(([, l], i) => {
        if (l.trim() === '')
          throw new CliError(
            `--data ${path}: row ${i + 1} has an empty label (column '${label}'); give every row a label, or remove the row.`,
          );
      });
      examples = rows.map(([t, l]) => ({ text: t, label: l }));
      break;
    }
    case 'text-pairs': {
      const source = args.textColumn ?? 'source';
      const target = args.labelColumn ?? 'target';
      examples = (await csvColumns(path, source, target)).map(([s, t]) => ({
        source: s,
        target: t,
      }));
      break;
    }
    case 'text': {
      const content = await reading(path, () => readFile(path, 'utf8'));
      examples = content
        .replace(/^\uFEFF/, '')
        .split(/\r?\n/)
        .filter((l) => l.trim() !== '')
        .map((text) => ({ text }));
      break;
    }
    case 'custom': {
      if (typeof task.readExamples !== 'function')
        throw new CliError(
          `--data: this model's task reads its own files but defines no readExamples; use --dataset, or ask its author.`,
        );
      const content = await reading(path, () => readFile(path, 'utf8'));
      try {
        examples = task.readExamples(content.replace(/^\uFEFF/, ''), path) as unknown[];
      } catch (error) {
        throw new CliError(`--data ${path}: ${(error as Error).message}`);
      }
      break;
    }
    default:
      throw new CliError(
        `the model's task has an unknown example kind '${String(task.examples)}'.`,
      );
  }
  if (examples.length === 0) {
    const what =
      task.examples === 'labelled-text' || task.examples === 'text-pairs'
        ? 'a CSV with a header row and at least one row under it'
        : 'a file with at least one non-blank line';
    throw new CliError(`--data ${path}: holds no examples; give ${what}.`);
  }
  return examples;
}

/** What kind of file --data takes for a task, for help and errors. */
export function dataHint(task: Task): string {
  switch (task.examples) {
    case 'labelled-text':
      return '--data file.csv with --text-column and --label-column (defaults: text, label)';
    case 'text-pairs':
      return '--data pairs.csv with --text-column (sources) and --label-column (targets) (defaults: source, target)';
    case 'text':
      return '--data file.txt (one text per line)';
    default:
      return '--data <file> (the format its plugin documents)';
  }
}

/**
 * The splits a command works on: the named dataset's (`--dataset`, from the task's datasets), or
 * the --data file's examples as the training split.
 */
export async function loadSplits(
  task: Task,
  id: string,
  args: DataArgs & { seed?: number },
): Promise<{ splits: Splits<unknown>; config: Record<string, unknown> }> {
  if (args.data && args.dataset) throw new CliError('give --data or --dataset, not both.');
  if (args.dataset) {
    const names = Object.keys(task.datasets ?? {});
    const source = task.datasets?.[args.dataset];
    if (!source) {
      throw new CliError(
        names.length
          ? `--dataset ${args.dataset}: unknown for ${id}; use one of ${names.join(', ')}, or ${dataHint(task)}.`
          : `--dataset: ${id} names no datasets; give ${dataHint(task)}.`,
      );
    }
    const splits = await source.load({ size: args.size, seed: args.dataSeed ?? args.seed ?? 0 });
    if (splits.train.length === 0)
      throw new CliError(`--dataset ${args.dataset}: it holds no training examples.`);
    return { splits, config: { ...(source.config ?? {}) } };
  }
  if (!args.data) {
    const names = Object.keys(task.datasets ?? {});
    throw new CliError(
      `${id} needs ${dataHint(task)}${names.length ? `, or --dataset ${names.join(' | ')}` : ''}.`,
    );
  }
  return { splits: { train: await readExamples(task, args.data, args) }, config: {} };
}
