import { z } from 'zod';
import { ConfigError, type ConfigIssue } from './errors';

function allowedFor(schema: z.ZodType, issue: z.core.$ZodIssue): unknown[] | undefined {
  if (issue.code === 'invalid_value') return [...issue.values];
  if (issue.code === 'unrecognized_keys' && schema instanceof z.ZodObject) {
    return Object.keys(schema.shape);
  }
  return undefined;
}

function toIssue(schema: z.ZodType, issue: z.core.$ZodIssue): ConfigIssue {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const at = path ? `${path}.` : '';
    return {
      path: issue.keys.map((k) => at + k).join(', '),
      message: `unknown field${issue.keys.length > 1 ? 's' : ''}; is it misspelt?`,
      allowed: allowedFor(schema, issue),
    };
  }
  const received =
    'input' in issue && issue.input !== undefined ? `, got ${JSON.stringify(issue.input)}` : '';
  return { path, message: `${issue.message}${received}`, allowed: allowedFor(schema, issue) };
}

/**
 * Parses `config` with the model's schema (defaults filled in). Object schemas are made strict so
 * that a misspelt field is an error that lists the fields there are, not a silent default.
 */
export function validateConfig<S extends z.ZodType>(
  modelId: string,
  schema: S,
  config: unknown,
): z.output<S> {
  const strict = schema instanceof z.ZodObject ? schema.strict() : schema;
  const result = strict.safeParse(config ?? {}, { reportInput: true });
  if (result.success) return result.data as z.output<S>;
  throw new ConfigError(
    modelId,
    result.error.issues.map((i) => toIssue(schema, i)),
  );
}
