import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

/** Test helpers: the CLI from source in a child process, as a user runs the binary. */
export const CLI = join(dirname(fileURLToPath(import.meta.url)), 'cli.ts');
export const NODE_ARGS = ['--conditions=@seqzoo/source', '--import', 'tsx', CLI];
export const ENV = { ...process.env, VK_ICD_FILENAMES: '' };

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function seqzoo(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...NODE_ARGS, ...args], { env: ENV }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: number }).code ?? 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Starts the CLI, sends SIGINT once `when(stdoutSoFar)` holds, and resolves with its output
 * and exit code.
 */
export function seqzooInterrupted(
  args: string[],
  when: (stdout: string) => boolean,
): Promise<CliResult & { signalled: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...NODE_ARGS, ...args], { env: ENV });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.on('data', (d) => {
      stdout += d;
      if (!signalled && when(stdout)) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, signalled }));
  });
}

/** The JSON lines of `--json` output. */
export function events(stdout: string): { event: string; [k: string]: unknown }[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}

/** The temp folders `tinyCsv` made in this test file: removed after its last test. */
const folders: string[] = [];
afterAll(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A temp folder holding a tiny labelled CSV: two separable classes (spam and ham words). The
 * folder is removed once the test file is done.
 */
export function tinyCsv(rows = 48): {
  dir: string;
  csv: string;
  texts: string[];
  labels: string[];
} {
  const dir = mkdtempSync(join(tmpdir(), 'seqzoo-cli-'));
  folders.push(dir);
  const spam = ['win money now', 'free prize', 'cheap pills offer', 'claim cash reward'];
  const ham = ['see you at lunch', 'meeting on monday', 'call me later', 'the report is ready'];
  const texts: string[] = [];
  const labels: string[] = [];
  for (let i = 0; i < rows; i++) {
    const words = i % 2 ? spam : ham;
    texts.push(`${words[i % 4]} ${words[(i * 3 + 1) % 4]}`);
    labels.push(i % 2 ? 'spam' : 'ham');
  }
  const csv = join(dir, 'tiny.csv');
  writeFileSync(csv, `message,label\n${texts.map((t, i) => `"${t}",${labels[i]}`).join('\n')}\n`);
  return { dir, csv, texts, labels };
}
