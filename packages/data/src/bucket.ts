import { DataArgumentError } from './errors';
import { type Padded, type PaddedBatchOptions, padItems } from './padding';

function bucketIndex(boundaries: number[], length: number): number {
  let k = 0;
  while (k < boundaries.length && length >= boundaries[k]) k++;
  return k;
}

/** The generator behind `Dataset.bucketByLength`. */
export async function* bucketItems<T>(
  chunks: AsyncIterable<T[]>,
  boundaries: number[],
  batchSizes: number[],
  options: PaddedBatchOptions<T> & { lengthOf?: (item: T) => number; dropRemainder?: boolean },
): AsyncGenerator<Padded<T>[]> {
  const lengthOf =
    options.lengthOf ??
    ((x: T) => {
      const n = (x as { length?: unknown }).length;
      if (typeof n !== 'number')
        throw new DataArgumentError(
          'bucketByLength: items are not sequences; pass { lengthOf: (item) => item.source.length }.',
        );
      return n;
    });
  const buckets: T[][] = batchSizes.map(() => []);
  for await (const chunk of chunks) {
    const out: Padded<T>[] = [];
    for (const x of chunk) {
      const k = bucketIndex(boundaries, lengthOf(x));
      const b = buckets[k];
      b.push(x);
      if (b.length === batchSizes[k]) {
        buckets[k] = [];
        out.push(padItems(b, options));
      }
    }
    if (out.length) yield out;
  }
  if (!options.dropRemainder) {
    const rest = buckets.filter((b) => b.length > 0).map((b) => padItems(b, options));
    if (rest.length) yield rest;
  }
}
