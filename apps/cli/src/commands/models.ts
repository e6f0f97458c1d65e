import { createRegistry, type Registry } from '@seqzoo/registry';
import { seq2seqPlugin } from '@seqzoo/seq2seq';
import { zooPlugin } from '@seqzoo/zoo';
import { formatTable } from '../table';

/** The registry of every model the CLI knows: the zoo and seq2seq plugins. */
export function cliRegistry(): Registry {
  return createRegistry({ plugins: [zooPlugin, seq2seqPlugin] });
}

export function formatModels(registry: Registry): string {
  return formatTable(
    ['id', 'description'],
    registry.list().map((m) => [m.id, m.description]),
  );
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
  ].join('\n');
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
