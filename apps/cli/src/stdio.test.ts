import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV, NODE_ARGS, seqzoo, tinyCsv } from './testing';

/** The CLI in a real shell pipeline: `bash -c "<node cli> args <redirections> | <reader>"`. */
function pipeline(
  args: string[],
  tail: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const cli = [process.execPath, ...NODE_ARGS, ...args].map(q).join(' ');
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', `${cli} ${tail}`], { env: ENV });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('piped output is never cut off (issue 20 item 1)', () => {
  const { dir, csv } = tinyCsv(24);
  const model = join(dir, 'bow');
  const inputs = join(dir, 'inputs.txt');

  beforeAll(async () => {
    const trained = await seqzoo(
      'train',
      'zoo:bow-classifier',
      '--data',
      csv,
      '--text-column',
      'message',
      '--backend',
      'cpu',
      '--epochs',
      '1',
      '--out',
      model,
    );
    expect(trained.code, trained.stderr).toBe(0);
    writeFileSync(inputs, Array.from({ length: 20_000 }, (_, i) => `great film ${i}`).join('\n'));
  });

  it('20,000 predictions through a slow reader: every line arrives whole, exit 0', async () => {
    const r = await pipeline(
      ['predict', model, '--stdin', '--json', '--backend', 'cpu'],
      `< ${inputs} | (sleep 3; cat); echo "rc=\${PIPESTATUS[0]}" >&2`,
    );
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(20_000);
    for (const l of [lines[0], lines[9_999], lines.at(-1)!])
      expect(() => JSON.parse(l)).not.toThrow();
    expect(JSON.parse(lines.at(-1)!).input).toBe('great film 19999');
    expect(r.stderr).toMatch(/rc=0/);
  });

  it('training events through a slow reader keep the done event', async () => {
    const r = await pipeline(
      [
        'train',
        'zoo:bow-classifier',
        '--data',
        csv,
        '--text-column',
        'message',
        '--backend',
        'cpu',
        '--epochs',
        '2',
        '--json',
        '--out',
        join(dir, 'again'),
      ],
      `| (sleep 3; cat); echo "rc=\${PIPESTATUS[0]}" >&2`,
    );
    const last = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(last).toMatchObject({ event: 'done', stopReason: 'completed' });
    expect(r.stderr).toMatch(/rc=0/);
  });

  it('| head -1 ends the CLI quietly with exit code 0 (EPIPE)', async () => {
    const r = await pipeline(
      ['predict', model, '--stdin', '--json', '--backend', 'cpu'],
      `< ${inputs} | head -1; echo "rc=\${PIPESTATUS[0]}" >&2`,
    );
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.stdout).input).toBe('great film 0');
    expect(r.stderr.trim()).toBe('rc=0');
  });

  it('an error line through a slow reader arrives, with its exit code', async () => {
    const r = await pipeline(
      ['predict', model, 'x', '--beam', '2', '--backend', 'cpu'],
      `2>&1 | (sleep 2; cat); echo "rc=\${PIPESTATUS[0]}"`,
    );
    expect(r.stdout).toMatch(/^CliError: --beam: zoo:bow-classifier does not take it/m);
    expect(r.stdout).toMatch(/rc=1/);
  });
});
