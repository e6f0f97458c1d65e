/** Counts of the tokens that follow one context. */
export interface ContextCounts {
  counts: Map<number, number>;
  /** Sum of the counts. */
  total: number;
}

/** n-gram tables: `tables[m]` maps a context of m-1 token ids ('1,4') to what follows it. */
export type NgramTables = Map<string, ContextCounts>[];

export function contextKey(ids: readonly number[]): string {
  return ids.join(',');
}

export function addCount(table: Map<string, ContextCounts>, ctx: string, id: number, n = 1): void {
  let entry = table.get(ctx);
  if (!entry) {
    entry = { counts: new Map(), total: 0 };
    table.set(ctx, entry);
  }
  entry.counts.set(id, (entry.counts.get(id) ?? 0) + n);
  entry.total += n;
}

/**
 * Builds the tables of orders 1..n from the raw n-gram counts. With `continuation` (Kneser–Ney)
 * the lower orders hold continuation counts: N1+(•g), the number of distinct tokens seen before
 * the m-gram g; without it they hold raw counts (sums over the dropped first token).
 */
export function buildTables(
  top: Map<string, ContextCounts>,
  n: number,
  continuation: boolean,
): NgramTables {
  const tables: NgramTables = [];
  tables[n] = top;
  for (let m = n - 1; m >= 1; m--) {
    const table = new Map<string, ContextCounts>();
    for (const [ctx, entry] of tables[m + 1]) {
      const shorter = ctx === '' ? '' : ctx.split(',').slice(1).join(',');
      for (const [id, c] of entry.counts) addCount(table, shorter, id, continuation ? 1 : c);
    }
    tables[m] = table;
  }
  return tables;
}
