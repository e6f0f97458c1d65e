// `npm run bench -- <suite> [flags]`: runs one benchmark suite (bench/src/suites/<suite>.ts),
// which prints its table and writes bench/results/<suite>-*.json. With no suite, runs them all.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Suite {
  /** One line for `npm run bench -- --list`. */
  describe: string;
  run(argv: string[]): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
const suites = readdirSync(join(here, 'suites'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

async function load(name: string): Promise<Suite> {
  return (await import(`./suites/${name}.ts`)).default as Suite;
}

const [first, ...rest] = process.argv.slice(2);
if (first === '--list' || first === '--help') {
  for (const name of suites) console.log(`${name.padEnd(12)} ${(await load(name)).describe}`);
} else if (first && !first.startsWith('-')) {
  if (!suites.includes(first)) {
    console.error(`Unknown benchmark suite '${first}'. Suites: ${suites.join(', ')}.`);
    process.exit(2);
  }
  await (await load(first)).run(rest);
} else {
  for (const name of suites) {
    console.log(`\n## ${name}\n`);
    await (await load(name)).run(process.argv.slice(2));
  }
}
