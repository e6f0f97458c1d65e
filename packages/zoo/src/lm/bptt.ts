/**
 * Cuts one token stream into `batchSize` parallel streams of equal length (the tail that does
 * not divide evenly is dropped), as PyTorch's word_language_model `batchify`: row b is the
 * b-th contiguous slice, so a window's state carries on into the next window of the same row.
 */
export function batchify(stream: readonly number[], batchSize: number): number[][] {
  const length = Math.floor(stream.length / batchSize);
  return Array.from({ length: batchSize }, (_, b) => stream.slice(b * length, (b + 1) * length));
}

/** [start, width] of each BPTT window over streams of `length` tokens (inputs t, targets t+1). */
export function bpttWindows(length: number, bptt: number): [number, number][] {
  const out: [number, number][] = [];
  for (let start = 0; start < length - 1; start += bptt) {
    out.push([start, Math.min(bptt, length - 1 - start)]);
  }
  return out;
}
