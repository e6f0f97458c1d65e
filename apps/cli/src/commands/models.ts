import { createRegistry, type Plugin, type Registry, type Task } from '@seqzoo/registry';
import { seq2seqPlugin } from '@seqzoo/seq2seq';
import { zooPlugin } from '@seqzoo/zoo';
import { formatTable } from '../table';
import { findPretrained, type PretrainedPackage } from './pretrained';

/** The registry of every model the CLI knows: the zoo and seq2seq plugins, and `--plugin` ones. */
export function cliRegistry(extra: readonly Plugin[] = []): Registry {
  return createRegistry({ plugins: [zooPlugin, seq2seqPlugin, ...extra] });
}

/**
 * The architectures (registry ids), then the installed pretrained packages (see
 * `findPretrained`): a trained model each, that `seqzoo predict <id>` runs.
 */
export function formatModels(
  registry: Registry,
  pretrained: readonly PretrainedPackage[] = findPretrained(),
): string {
  const architectures = formatTable(
    ['id', 'description'],
    registry.list().map((m) => [m.id, m.description]),
  );
  const installed = pretrained.length
    ? formatTable(
        ['pretrained', 'package', 'task', 'load'],
        pretrained.map((p) => [
          p.id,
          `${p.name}@${p.version}`,
          p.task,
          p.load ? `import { ${p.load} } from '${p.name}'` : '',
        ]),
      )
    : 'pretrained: none installed here (npm i @seqzoo/g2p-en, say; any package with a "seqzoo" field in its package.json)';
  return `${architectures}

${installed}`;
}

/**
 * `seqzoo models --json`: the architectures (id, description) and the installed pretrained
 * packages (id, package name, version, task, loader, model folder), as `formatModels` lists them.
 */
export function modelsJson(
  registry: Registry,
  pretrained: readonly PretrainedPackage[] = findPretrained(),
): {
  architectures: ReturnType<Registry['list']>;
  pretrained: Omit<PretrainedPackage, 'packageDir' | 'foundIn'>[];
} {
  return {
    architectures: registry.list(),
    pretrained: pretrained.map(({ packageDir: _, foundIn: __, ...listed }) => listed),
  };
}

interface JsonSchemaField {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  description?: string;
  items?: JsonSchemaField;
  anyOf?: JsonSchemaField[];
}

/** One line per config field: its type, default, and what values it allows. */
export function formatDescription(registry: Registry, id: string): string {
  const d = registry.describe(id);
  const schema = d.configSchema as {
    properties?: Record<string, JsonSchemaField>;
    required?: string[];
  };
  const required = new Set(schema.required ?? []);
  const rows = Object.entries(schema.properties ?? {}).map(([name, f]) => [
    name,
    typeOf(f),
    f.default === undefined ? (required.has(name) ? '(required)' : '') : JSON.stringify(f.default),
    allowed(f),
  ]);
  return [
    `${d.id}: ${d.description}`,
    '',
    formatTable(['field', 'type', 'default', 'allowed'], rows),
    ...formatTask(registry.definition(id).task as Task | undefined),
  ].join('\n');
}

/** What `train`, `eval` and `predict` do with a model: its task, datasets and defaults. */
export function describeTask(task: Task | undefined): Record<string, unknown> | null {
  if (!task) return null;
  return {
    examples: task.examples,
    datasets: Object.fromEntries(
      Object.entries(task.datasets ?? {}).map(([k, v]) => [k, v.description]),
    ),
    metric: task.metric,
    predictOptions: task.predictOptions ?? [],
    training: task.training,
  };
}

function formatTask(task: Task | undefined): string[] {
  const t = describeTask(task);
  if (!t) return ['', 'task: none (it can be created and saved, not trained by seqzoo)'];
  const datasets = Object.entries(t.datasets as Record<string, string>);
  return [
    '',
    `task: learns from ${t.examples}; best model by ${(t.metric as { name: string }).name} (${(t.metric as { mode: string }).mode})`,
    `training defaults: ${Object.entries(t.training as object)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `predict options: ${(t.predictOptions as string[]).join(', ') || 'none'}`,
    ...(datasets.length
      ? [
          '',
          formatTable(
            ['dataset', 'description'],
            datasets.map(([k, v]) => [k, v]),
          ),
        ]
      : []),
  ];
}

function typeOf(f: JsonSchemaField): string {
  if (f.anyOf) return f.anyOf.map(typeOf).join(' | ');
  if (f.type === 'array') return `${f.items ? typeOf(f.items) : 'any'}[]`;
  return Array.isArray(f.type) ? f.type.join(' | ') : (f.type ?? 'any');
}

function allowed(f: JsonSchemaField): string {
  if (f.enum) return f.enum.map((v) => JSON.stringify(v)).join(', ');
  const bounds: string[] = [];
  // zod writes ±MAX_SAFE_INTEGER for .int(): not a bound a user chose.
  const real = (v: number | undefined) => v !== undefined && Math.abs(v) < Number.MAX_SAFE_INTEGER;
  if (real(f.minimum)) bounds.push(`≥ ${f.minimum}`);
  if (real(f.exclusiveMinimum)) bounds.push(`> ${f.exclusiveMinimum}`);
  if (real(f.maximum)) bounds.push(`≤ ${f.maximum}`);
  if (real(f.exclusiveMaximum)) bounds.push(`< ${f.exclusiveMaximum}`);
  return [bounds.join(', '), f.description ?? ''].filter(Boolean).join('  ');
}
