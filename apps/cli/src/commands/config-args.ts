import { readFile } from 'node:fs/promises';
import { CliError } from '../errors';

/**
 * The model config of `--config file.json` overlaid with each `--set key=value`: the value is
 * read as JSON when it parses (`3`, `true`, `[1,2]`, `"x"`), else as a string (`cell=gru`);
 * dotted keys set nested fields (`text.unit=word`). The registry validates the result.
 */
export async function configFromArgs(
  file: string | undefined,
  sets: readonly string[],
): Promise<Record<string, unknown>> {
  let config: Record<string, unknown> = {};
  if (file) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new CliError(`--config ${file}: cannot read it (${(error as Error).message}).`);
    }
    try {
      config = JSON.parse(text);
    } catch (error) {
      throw new CliError(`--config ${file}: not valid JSON (${(error as Error).message}).`);
    }
    if (!config || typeof config !== 'object' || Array.isArray(config)) {
      throw new CliError(`--config ${file}: must hold a JSON object of config fields.`);
    }
  }
  for (const set of sets) applySet(config, set);
  return config;
}

/**
 * Applies one `--set key=value` to `config`: a dotted key sets a nested field, the value is
 * parsed as JSON when it can be and kept as a string otherwise.
 */
export function applySet(config: Record<string, unknown>, set: string): void {
  const eq = set.indexOf('=');
  if (eq <= 0) {
    throw new CliError(`--set ${set}: expected key=value, e.g. --set hiddenSize=64.`);
  }
  const path = set.slice(0, eq).split('.');
  const raw = set.slice(eq + 1);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  let node = config;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (!next || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}
