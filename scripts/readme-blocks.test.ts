import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allPrograms, programsOf } from './readme-blocks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Inside the repository, so that `@seqzoo/*` and tfjs resolve as they do for an npm user.
const scratch = join(root, 'node_modules', '.cache', 'seqzoo-readme');

function run(file: string, cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=@seqzoo/source', '--import', import.meta.resolve('tsx'), file],
      { cwd, timeout: 180_000, maxBuffer: 16 << 20, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, output: `${stdout}\n${stderr}` });
      },
    );
  });
}

describe('README code blocks', () => {
  it('splits blocks into programs, joining fragments and skipping no-run ones', () => {
    const md = [
      '```ts',
      'const a = 1;',
      '```',
      '```ts fragment',
      'console.log(a);',
      '```',
      '```ts no-run',
      'never();',
      '```',
      '```sh',
      'npm test',
      '```',
      '```js',
      'console.log(2);',
      '```',
    ].join('\n');
    const programs = programsOf(md, 'X.md');
    expect(programs.map((p) => [p.where, p.code])).toEqual([
      ['X.md:1', 'const a = 1;\nconsole.log(a);\n'],
      ['X.md:13', 'console.log(2);\n'],
    ]);
  });

  const programs = allPrograms(root);
  it('finds the blocks of the READMEs', () => {
    expect(programs.length).toBeGreaterThan(10);
  });

  it.each(programs.map((p) => [p.where, p] as const))('%s runs', async (_where, program) => {
    mkdirSync(scratch, { recursive: true });
    const slug = program.where.replace(/[^a-z0-9]+/gi, '-');
    const file = join(scratch, `${slug}.${program.language === 'ts' ? 'mts' : 'mjs'}`);
    writeFileSync(file, program.code);
    const cwd = mkdtempSync(join(tmpdir(), 'seqzoo-readme-'));
    try {
      const { code, output } = await run(file, cwd);
      expect(code, `${program.where} exited ${code}:\n${output.slice(-3000)}`).toBe(0);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
      rmSync(file, { force: true });
    }
  });
});
