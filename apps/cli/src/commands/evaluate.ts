import type { Registry, Task } from '@seqzoo/registry';
import { CliError } from '../errors';
import { formatTable } from '../table';
import { type DataArgs, loadSplits } from './examples';
import { loadSaved, taskOf } from './saved';

export interface EvalArgs extends DataArgs {
  backend: string;
  /** Which split of a --dataset (default: test, else validation, else train). */
  split?: string;
  /** Decode with this beam width, where the task decodes (default: greedy). */
  beam?: number;
}

/** What `seqzoo evaluate` reports: the model, the examples and the task's metrics. */
export interface EvalReport {
  modelId: string;
  examples: number;
  /** Where the examples came from: the --data file or `<dataset>/<split>`. */
  source: string;
  /** The task's metrics (the one that picks the best model is `metric`). */
  metrics: Record<string, number>;
  metric: string;
}

/**
 * `seqzoo eval`: the saved model's task metrics on held-out examples — a --data file read as the
 * task's example kind, or a split of one of its datasets (test by default, drawn with another
 * seed than training's for generated ones). CSV columns default to those it was trained with.
 */
export async function evalCommand(
  registry: Registry,
  dir: string,
  args: EvalArgs,
): Promise<EvalReport> {
  const { model, id, trained } = await loadSaved(registry, dir, args.backend);
  const task: Task = taskOf(registry, id, 'eval');
  if (args.beam !== undefined && !(task.predictOptions ?? []).includes('beam')) {
    throw new CliError(`--beam: ${id} does not decode with a beam search; leave --beam out.`);
  }
  const data: EvalArgs = {
    ...args,
    textColumn: args.textColumn ?? trained.textColumn ?? undefined,
    labelColumn: args.labelColumn ?? trained.labelColumn ?? undefined,
    dataSeed: args.dataSeed ?? trained.seed ?? 0,
  };
  const { splits } = await loadSplits(task, id, data);
  let examples: readonly unknown[];
  let source: string;
  if (args.dataset) {
    const split = args.split ?? (splits.test ? 'test' : splits.validation ? 'validation' : 'train');
    const chosen = (splits as unknown as Record<string, readonly unknown[] | undefined>)[split];
    if (!chosen || !['train', 'validation', 'test'].includes(split))
      throw new CliError(`--split ${split}: --dataset ${args.dataset} has no such split.`);
    examples = args.size && split !== 'train' ? chosen.slice(0, args.size) : chosen;
    source = `${args.dataset}/${split}`;
  } else {
    if (args.split) throw new CliError('--split is for --dataset; --data is evaluated whole.');
    examples = splits.train;
    source = args.data ?? '';
  }
  const metrics = await task.evaluate(
    model as never,
    examples,
    args.beam !== undefined ? { beam: args.beam } : undefined,
  );
  return { modelId: id, examples: examples.length, source, metrics, metric: task.metric.name };
}

/** The evaluation report as a metric/value table for the terminal. */
export function formatEval(r: EvalReport): string {
  const n = (x: number) => x.toFixed(4);
  return [
    `${r.modelId} on ${r.examples} examples (${r.source}):`,
    formatTable(
      ['metric', 'value'],
      Object.entries(r.metrics).map(([k, v]) => [k === r.metric ? `${k} *` : k, n(v)]),
    ),
    '* picks the best model in training',
  ].join('\n');
}
