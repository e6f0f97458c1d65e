import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `--key value` / `--key=value` flags over defaults; unknown flags are an error that lists the known ones. */
export function parseFlags<T extends Record<string, string>>(argv: string[], defaults: T): T {
  const out: Record<string, string> = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--'))
      throw new Error(
        `Unexpected argument '${arg}'. Flags: ${Object.keys(defaults)
          .map((k) => `--${k}`)
          .join(' ')}`,
      );
    const [key, inline] = arg.slice(2).split('=', 2);
    if (!(key in defaults))
      throw new Error(
        `Unknown flag --${key}. Flags: ${Object.keys(defaults)
          .map((k) => `--${k}`)
          .join(' ')}`,
      );
    out[key] = inline ?? argv[++i];
  }
  return out as T;
}

/** Runs `fn` once to warm up, then `runs` times; median and min wall time in ms. */
export async function timeMedian(
  runs: number,
  fn: () => Promise<void> | void,
): Promise<{ medianMs: number; minMs: number; samples: number[] }> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { medianMs: sorted[Math.floor(sorted.length / 2)], minMs: sorted[0], samples };
}

export const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

/** Writes bench/results/<name>.json (an array of rows) and returns its path. */
export function writeResults(name: string, rows: unknown[]): string {
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(rows, null, 2)}\n`);
  return file;
}
