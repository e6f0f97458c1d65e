import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** `npm start` as a user runs it (node scripts/start.mjs), with a 3-second training budget. */
function demo(out: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'scripts/start.mjs')],
      {
        cwd: root,
        env: { ...process.env, SEQZOO_DEMO_MINUTES: '0.05', SEQZOO_DEMO_OUT: out },
        maxBuffer: 16 << 20,
      },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const texts = (svg: string, cls: string) =>
  [...svg.matchAll(new RegExp(`<text class="${cls}"[^>]*>([^<]*)</text>`, 'g'))].map((m) => m[1]);

it('npm start trains, translates with beams, writes the heat map and names the files', async ({
  onTestFinished,
}) => {
  const out = mkdtempSync(join(tmpdir(), 'seqzoo-demo-'));
  onTestFinished(() => rmSync(out, { recursive: true, force: true }));
  const r = await demo(out);
  expect(r.code, r.stderr).toBe(0);

  // Each CLI command is shown before it runs.
  expect(r.stdout).toMatch(
    /\$ seqzoo train seq2seq:attention --dataset dates .*--backend wasm --max-minutes 0\.05 --out /,
  );
  expect(r.stdout).toMatch(/\$ seqzoo eval .*dates-model --dataset dates/);
  expect(r.stdout).toMatch(/\$ seqzoo predict .* --beam 5 --n-best 3 --attention .*attention\.svg/);
  // Trained on wasm, within the budget (the CLI's own lines, on stderr where it is not a TTY).
  expect(r.stderr).toMatch(/training seq2seq:attention on wasm: 20000 examples/);
  expect(r.stderr).toMatch(/stopped: time budget \(--max-minutes [\d.]+\) used up after \d+ steps/);
  expect(r.stdout).toMatch(/on 500 examples \(dates\/test\):[\s\S]*exactMatch\s+\d\.\d{4}/);

  // Four made-up dates, each with its 3 best translations and their scores.
  const first = r.stdout.match(/^the 14th of July, 2021 → (\S*) {2}\(score (-?\d+\.\d+)\)$/m);
  expect(first).not.toBeNull();
  for (const date of ['Sat, 1 Jan 2000', '12/25/99', 'Nov. 5, 1987']) {
    expect(r.stdout).toContain(`${date} → `);
  }
  const scores = [...r.stdout.matchAll(/\(score (-?\d+\.\d+)\)/g)].map((m) => Number(m[1]));
  expect(scores).toHaveLength(12);
  for (const s of scores) expect(s).toBeLessThanOrEqual(0);

  // The files, by absolute path.
  const model = join(out, 'dates-model');
  const heatMap = join(out, 'attention.svg');
  for (const file of [
    join(model, 'model.json'),
    join(model, 'weights.safetensors'),
    join(model, 'loss.svg'),
    heatMap,
  ]) {
    expect(existsSync(file), file).toBe(true);
  }
  for (const shown of [model, join(model, 'loss.svg'), heatMap]) {
    expect(r.stdout).toMatch(
      new RegExp(`^ {2}${shown.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'm'),
    );
  }

  // The heat map has the first date's characters on one axis and its best translation on the other.
  const svg = readFileSync(heatMap, 'utf8');
  expect(texts(svg, 'col-label').join('')).toBe('the 14th of July, 2021'.replaceAll(' ', '␣'));
  expect(texts(svg, 'row-label').join('')).toBe(first?.[1]);
  expect(readFileSync(join(model, 'loss.svg'), 'utf8')).toMatch(/^<svg /);
});
