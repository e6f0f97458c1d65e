import { access, readFile } from 'node:fs/promises';
import {
  additionTask,
  copyTask,
  dateTask,
  names,
  numberWordsTask,
  readCsv,
  reverseTask,
  type Seq2SeqPair,
  sortTask,
} from '@seqzoo/data';
import { fromFile } from '@seqzoo/data/node';
import { readLabeledCsv } from '@seqzoo/zoo';
import { CliError } from '../errors';

/** What a model id trains on: labelled texts, (source, target) pairs or plain texts. */
export type TaskKind = 'classifier' | 'seq2seq' | 'lm';

const KINDS: Record<string, TaskKind> = {
  'zoo:rnn-classifier': 'classifier',
  'zoo:bow-classifier': 'classifier',
  'seq2seq:attention': 'seq2seq',
  'zoo:char-lm': 'lm',
  'zoo:word-lm': 'lm',
};

export function taskKind(id: string): TaskKind {
  const kind = KINDS[id];
  if (!kind) {
    throw new CliError(
      `train/eval/predict do not handle '${id}' yet; they handle ${Object.keys(KINDS).join(', ')}.`,
    );
  }
  return kind;
}

export interface DataArgs {
  data?: string;
  dataset?: string;
  textColumn?: string;
  labelColumn?: string;
  /** Examples drawn from a synthetic dataset. */
  size?: number;
  /** Seed of a synthetic dataset. */
  dataSeed?: number;
}

const SEQ2SEQ_DATASETS = {
  dates: dateTask,
  addition: additionTask,
  copy: copyTask,
  reverse: reverseTask,
  sort: sortTask,
  'number-words': numberWordsTask,
} as const;

async function mustExist(path: string): Promise<void> {
  try {
    await access(path);
  } catch {
    throw new CliError(`--data ${path}: no such file; give the path of a readable file.`);
  }
}

/**
 * Reads --data, naming the file and the flags in the errors of the data package: a bad row
 * (ReaderError, with its line) or a column that is not in the header (DataArgumentError).
 */
async function reading<T>(path: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const e = error as Error;
    if (e?.name === 'ReaderError') {
      e.message = `--data ${path}: ${e.message}`;
    } else if (e?.name === 'DataArgumentError' && /is not in the header/.test(e.message)) {
      e.message = `--data ${path}: ${e.message} Name the columns with --text-column and --label-column.`;
    }
    throw e;
  }
}

export async function classifierData(
  args: DataArgs,
): Promise<{ texts: string[]; labels: string[] }> {
  if (!args.data) {
    throw new CliError(
      'a classifier needs --data file.csv with --text-column and --label-column (defaults: text, label).',
    );
  }
  await mustExist(args.data);
  const data = args.data;
  return reading(data, () =>
    readLabeledCsv(fromFile(data), {
      textColumn: args.textColumn ?? 'text',
      labelColumn: args.labelColumn ?? 'label',
      delimiter: data.endsWith('.tsv') ? '\t' : ',',
    }),
  );
}

export async function seq2seqData(args: DataArgs): Promise<Seq2SeqPair[]> {
  if (args.dataset) {
    const make = SEQ2SEQ_DATASETS[args.dataset as keyof typeof SEQ2SEQ_DATASETS];
    if (!make) {
      throw new CliError(
        `--dataset ${args.dataset}: unknown for seq2seq; use one of ${Object.keys(SEQ2SEQ_DATASETS).join(', ')}, or --data pairs.csv.`,
      );
    }
    return make({ size: args.size ?? 10_000, seed: args.dataSeed ?? 1 }).toArray();
  }
  if (!args.data) {
    throw new CliError(
      'seq2seq needs --dataset dates (or another synthetic task) or --data pairs.csv with --text-column (source) and --label-column (target).',
    );
  }
  await mustExist(args.data);
  const source = args.textColumn ?? 'source';
  const target = args.labelColumn ?? 'target';
  const data = args.data;
  const rows = await reading(data, () =>
    readCsv(fromFile(data), {
      columns: [source, target],
      delimiter: data.endsWith('.tsv') ? '\t' : ',',
    }).toArray(),
  );
  return rows.map((r) => ({ source: r[source], target: r[target] }));
}

export async function lmData(args: DataArgs): Promise<string[]> {
  if (args.dataset) {
    if (args.dataset !== 'names') {
      throw new CliError(
        `--dataset ${args.dataset}: unknown for a language model; use names, or --data text.txt.`,
      );
    }
    const all = (await (await names()).toArray()).map((e) => e.name.toLowerCase());
    return args.size ? all.slice(0, args.size) : all;
  }
  if (!args.data) {
    throw new CliError(
      'a language model needs --data text.txt (one text per line) or --dataset names.',
    );
  }
  await mustExist(args.data);
  return (await readFile(args.data, 'utf8')).split(/\r?\n/).filter((l) => l.trim() !== '');
}
