#!/usr/bin/env node
// `npm test`: installs dependencies if missing, builds every package (the release test installs
// the packed tarballs), then runs every Vitest project — Node suites, the Chromium suites and the
// release test — and ends with one summary line.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDependencies, root } from './ensure-setup.mjs';

ensureDependencies();

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(
    `seqzoo: the browser suite needs Chromium at ${chromium}. Install it (Debian: apt-get install chromium libvulkan1) or set CHROMIUM_PATH.`,
  );
  process.exit(1);
}

execSync('npx biome check .', { cwd: root, stdio: 'inherit' });
// The dependency layers of the README: imports go down, package.json declares what is imported.
execSync('node scripts/check-layers.mjs', { cwd: root, stdio: 'inherit' });
execSync('npx turbo run build typecheck --output-logs=errors-only', {
  cwd: root,
  stdio: 'inherit',
});
// The public API of each package, one line per export: a change shows as a diff in api/.
execSync('node scripts/api-report.mjs --check', { cwd: root, stdio: 'inherit' });
// The API reference: TypeDoc fails on an undocumented export or a broken {@link} (no HTML written).
execSync('node scripts/docs.mjs --check', { cwd: root, stdio: 'inherit' });

const out = mkdtempSync(join(tmpdir(), 'seqzoo-test-'));
const report = join(out, 'vitest.json');
const args = [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
];
const result = spawnSync('npx', args, { cwd: root, stdio: 'inherit' });

let summary = 'tests: no report';
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  summary = `tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed`;
  if (r.numPendingTests + r.numTodoTests > 0)
    summary += `, ${r.numPendingTests + r.numTodoTests} skipped`;
}
rmSync(out, { recursive: true, force: true });
console.log(`\n${summary}`);
process.exit(result.status ?? 1);
