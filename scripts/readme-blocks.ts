// The fenced code blocks of the READMEs, as programs: every ```ts / ```js block is a complete
// program, except a block whose info string says `fragment`, which continues the block above it
// (the two run as one program). Blocks marked `no-run` are shown, not run (say why next to them).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface ReadmeProgram {
  /** `packages/zoo/README.md:42` — where the (first) block starts. */
  readonly where: string;
  readonly readme: string;
  readonly code: string;
  readonly language: 'ts' | 'js';
}

const FENCE = /^```(\S*)(.*)$/;
const RUNNABLE: Record<string, 'ts' | 'js'> = {
  ts: 'ts',
  typescript: 'ts',
  js: 'js',
  javascript: 'js',
  mjs: 'js',
};

/** The READMEs the tests run: the root's and each workspace's. */
export function readmes(root: string): string[] {
  const found = [join(root, 'README.md')];
  for (const dir of ['packages', 'apps', 'bench']) {
    const base = join(root, dir);
    const entries = dir === 'bench' ? [''] : readdirSync(base);
    for (const entry of entries) {
      const file = join(base, entry, 'README.md');
      try {
        readFileSync(file);
        found.push(file);
      } catch {}
    }
  }
  return found;
}

/** The programs in one README's text. */
export function programsOf(text: string, readme: string): ReadmeProgram[] {
  const programs: ReadmeProgram[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const language = RUNNABLE[open[1]];
    const flags = open[2].trim().split(/\s+/);
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j].startsWith('```')) body.push(lines[j++]);
    const start = i + 1;
    i = j;
    if (!language || flags.includes('no-run')) continue;
    const code = `${body.join('\n')}\n`;
    if (flags.includes('fragment')) {
      const previous = programs.at(-1);
      if (!previous) throw new Error(`${readme}:${start}: a fragment needs a block above it`);
      programs[programs.length - 1] = { ...previous, code: previous.code + code };
      continue;
    }
    programs.push({ where: `${readme}:${start}`, readme, code, language });
  }
  return programs;
}

export function allPrograms(root: string): ReadmeProgram[] {
  return readmes(root).flatMap((file) =>
    programsOf(readFileSync(file, 'utf8'), relative(root, file)),
  );
}
