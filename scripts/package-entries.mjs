// The published packages (packages/*, apps/*, not private) and their public entry points: the
// `exports` subpaths with an `@seqzoo/source` condition. Shared by docs.mjs and api-report.mjs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** [{ name, subpath, source }] with `source` relative to `root`. */
export function publishedEntries(root) {
  const found = [];
  for (const dir of ['packages', 'apps']) {
    for (const folder of readdirSync(join(root, dir)).sort()) {
      let pkg;
      try {
        pkg = JSON.parse(readFileSync(join(root, dir, folder, 'package.json'), 'utf8'));
      } catch {
        continue;
      }
      if (pkg.private) continue;
      for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
        // A string, or per platform ({ node, default }: the default is the browser-clean entry).
        const condition = target?.['@seqzoo/source'];
        const source = typeof condition === 'string' ? condition : condition?.default;
        if (source) found.push({ name: pkg.name, subpath, source: join(dir, folder, source) });
      }
    }
  }
  return found;
}
