/**
 * Matching a weights file's tensor names with a model's: prefix renames (`head.` → `decoder.`)
 * and the one error that lists every name that did not match, on both sides.
 */

/** A prefix rewrite of the file's tensor names: `['head.', 'decoder.']`, `['module.', '']`. */
export type WeightRename = readonly [from: string, to: string];

/**
 * `name` after the first rule whose `from` it starts with (one rule per name, in the order
 * given); unchanged when none does.
 */
export function renameWeight(name: string, rules: readonly WeightRename[]): string {
  for (const [from, to] of rules) if (name.startsWith(from)) return to + name.slice(from.length);
  return name;
}

/**
 * A rename that would turn some `unused` file names into `missing` model names: the prefixes
 * before a common dotted tail (`head.weight`, `decoder.weight` → `head.` → `decoder.`;
 * `module.rnn.bias`, `rnn.bias` → `module.` → ``), the one that explains the most missing
 * names; undefined when none does.
 */
export function suggestRename(
  missing: readonly string[],
  unused: readonly string[],
): WeightRename | undefined {
  const boundary = (name: string, k: number) =>
    k === name.length || name[name.length - k - 1] === '.';
  const counts = new Map<string, { rule: WeightRename; n: number }>();
  for (const m of missing) {
    const seen = new Set<string>();
    for (const u of unused) {
      let i = 0;
      while (i < Math.min(m.length, u.length) && m[m.length - 1 - i] === u[u.length - 1 - i]) i++;
      // the longest common tail that starts a name or follows a '.' in both
      let k = i;
      while (k > 0 && !(boundary(m, k) && boundary(u, k))) k--;
      if (k === 0) continue;
      const rule: WeightRename = [u.slice(0, u.length - k), m.slice(0, m.length - k)];
      const key = JSON.stringify(rule);
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = counts.get(key) ?? { rule, n: 0 };
      entry.n += 1;
      counts.set(key, entry);
    }
  }
  let best: { rule: WeightRename; n: number } | undefined;
  for (const c of counts.values()) if (!best || c.n > best.n) best = c;
  return best?.rule;
}

/**
 * Compares the model's expected names with the file's (after renaming): `undefined` when every
 * name matches once, else a message listing every missing name once, every tensor of the file
 * that the model did not take, and what to do. Two file names renamed onto one name are also
 * reported.
 */
export function nameMismatch(
  expected: ReadonlyMap<string, readonly number[]>,
  file: ReadonlyMap<string, readonly number[]>,
  rules: readonly WeightRename[] = [],
): string | undefined {
  /** model-side name → the file's name */
  const renamed = new Map<string, string>();
  const collisions: string[] = [];
  for (const name of file.keys()) {
    const to = renameWeight(name, rules);
    const other = renamed.get(to);
    if (other !== undefined) collisions.push(`'${other}' and '${name}' both become '${to}'`);
    else renamed.set(to, name);
  }
  const missing = [...expected.keys()].filter((n) => !renamed.has(n));
  const unused = [...renamed].filter(([to]) => !expected.has(to)).map(([, from]) => from);
  if (!missing.length && !unused.length && !collisions.length) return undefined;
  const parts: string[] = [];
  if (collisions.length)
    parts.push(`the renames map two tensors onto one name: ${collisions.join('; ')}`);
  if (missing.length)
    parts.push(
      `missing from the file: ${missing.map((n) => `'${n}' [${expected.get(n)}]`).join(', ')}`,
    );
  if (unused.length)
    parts.push(
      `in the file but not taken by the model: ${unused
        .map((n) => {
          const to = renameWeight(n, rules);
          return `'${n}' [${file.get(n)}]${to === n ? '' : ` (renamed '${to}')`}`;
        })
        .join(', ')}`,
    );
  const rule = suggestRename(missing, unused);
  const advice = rule
    ? `If these are the same weights under other names, map them with --rename '${rule[0]}=${rule[1]}' (importWeights' rename: [['${rule[0]}', '${rule[1]}']]).`
    : missing.length && unused.length
      ? "If these are the same weights under other names, map them with --rename 'old.=new.' (importWeights' rename option); otherwise the file is for another model or config."
      : 'The file is for another model or config.';
  return `the file's tensor names do not match the model's: ${parts.join('; ')}. ${advice}`;
}
