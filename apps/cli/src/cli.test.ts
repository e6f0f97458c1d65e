import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const cli = join(dirname(fileURLToPath(import.meta.url)), 'cli.ts');

/** Runs the CLI from source in a child process, as a user runs the binary. */
async function seqzoo(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(
      process.execPath,
      ['--conditions=@seqzoo/source', '--import', 'tsx', cli, ...args],
      { env: { ...process.env, VK_ICD_FILENAMES: '' } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('seqzoo backends', () => {
  it('prints the table: cpu and wasm available, the others unavailable with reasons', async () => {
    const { code, stdout } = await seqzoo('backends');
    expect(code).toBe(0);
    const line = (name: string) => stdout.split('\n').find((l) => l.startsWith(`${name} `)) ?? '';
    expect(line('cpu')).toMatch(/^cpu\s+yes\s+cpu/);
    expect(line('wasm')).toMatch(/^wasm\s+yes\s+cpu/);
    expect(line('webgl')).toMatch(/no\s+it runs in browser only/);
    expect(line('cuda')).toMatch(/no\s+the package @tensorflow\/tfjs-node-gpu is not installed/);
    expect(line('tensorflow')).toMatch(/npm install @tensorflow\/tfjs-node$/);
  });

  it('--bench --json times a matMul on each available backend', async () => {
    const { code, stdout } = await seqzoo('backends', '--bench', '--json');
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as { backend: string; available: boolean; matmulMs?: number }[];
    for (const row of rows) {
      if (row.available) expect(row.matmulMs).toBeGreaterThan(0);
      else expect(row.matmulMs).toBeUndefined();
    }
    expect(rows.filter((r) => r.available).map((r) => r.backend)).toEqual(['wasm', 'cpu']);
  });

  it('an unknown command exits non-zero with commander’s message', async () => {
    const { code, stderr } = await seqzoo('fly');
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/unknown command 'fly'/);
  });
});
