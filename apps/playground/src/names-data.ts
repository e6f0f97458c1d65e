import { names } from '@seqzoo/data';

let cached: Promise<string[]> | undefined;

/**
 * The ~8,000 English first names of @seqzoo/data's `names()` (the stdlib datasets, bundled by
 * Vite: no network), lowercased as `seqzoo train zoo:char-lm --dataset names` does.
 */
export function nameTexts(): Promise<string[]> {
  cached ??= names().then(async (d) => (await d.toArray()).map((e) => e.name.toLowerCase()));
  return cached;
}
