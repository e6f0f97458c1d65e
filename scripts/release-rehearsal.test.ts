// The release rehearsal: `npm run release` for real, against a throwaway Verdaccio registry on
// 127.0.0.1 (no uplinks), from a temp clone of HEAD so that the version bumps stay there. Then
// consumers install what was published by name and version from that registry (the CLI globally
// too) and train and predict with it; a second release of one package and its dependents, a run
// with nothing pending, and a prerelease under the `next` dist-tag follow. Third-party packages
// come from npm's cache into the registry first (scripts/rehearsal/mirror.ts). No build of the
// working tree is needed: the release builds the clone.
import { type ChildProcess, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cloneRepository, type Workspace, workspaces } from './rehearsal/clone';
import { type Lockfile, seedRegistry, thirdPartyClosure } from './rehearsal/mirror';
import { checkedModelFiles, verifyModelFiles } from './rehearsal/model-files';
import { type Registry, startRegistry } from './rehearsal/registry';
import { readTarball } from './rehearsal/tar';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The repository whose HEAD is released: this one, or another checkout (a branch, a fix) to
// rehearse before it lands; node_modules come from this one either way.
const source = process.env.SEQZOO_REHEARSAL_REPO ?? root;

// Steps and how long each took, printed at the end: wall-clock seconds, and the CPU seconds of the
// commands it ran (their children's included; Linux only), which do not depend on the load.
const timings: [string, number, number][] = [];
function childCpuSeconds(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // cutime + cstime, in clock ticks
  } catch {
    return Number.NaN;
  }
}
async function timed<T>(step: string, f: () => T | Promise<T>): Promise<T> {
  const t = performance.now();
  const cpu = childCpuSeconds();
  try {
    return await f();
  } finally {
    timings.push([step, (performance.now() - t) / 1000, childCpuSeconds() - cpu]);
  }
}

/** A turbo cache folder shared by rehearsals; entries older than three days are removed. */
function turboCache(): string {
  const dir = join(tmpdir(), 'seqzoo-rehearsal-turbo-cache');
  mkdirSync(dir, { recursive: true });
  const old = Date.now() - 3 * 24 * 3600 * 1000;
  for (const f of readdirSync(dir)) {
    const path = join(dir, f);
    if (statSync(path).mtimeMs < old) rmSync(path, { recursive: true, force: true });
  }
  return dir;
}

let work: string;
let repo: string;
let registry: Registry;
let env: NodeJS.ProcessEnv;

const running = new Set<ChildProcess>();

/**
 * Runs a command with the rehearsal's npm config and resolves to its stdout and stderr; rejects
 * with their tail when it fails. Async, so that the registry's sockets stay serviced, and in its
 * own process group, so that a timeout ends the whole tree (turbo, tsup, npm's children).
 */
function run(
  cmd: string,
  args: string[],
  cwd: string,
  timeoutS = 300,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => {
      stdout += d;
    });
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeoutS * 1000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      if (code === 0) return resolve({ stdout, stderr });
      const why = timedOut ? `ran past ${timeoutS} s` : `exited ${code ?? signal}`;
      const tail = `${stdout}\n${stderr}`.slice(-8000);
      reject(new Error(`${cmd} ${args.join(' ')} (in ${cwd}) ${why}:\n${tail}`));
    });
  });
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGTERM');
    setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {}
    }, 5000).unref();
  } catch {}
}

/** A command's stdout. */
async function sh(cmd: string, args: string[], cwd: string, timeoutS = 300): Promise<string> {
  return (await run(cmd, args, cwd, timeoutS)).stdout;
}

function publishable(): Workspace[] {
  return workspaces(repo).filter((w) => !w.private);
}

function versions(): Map<string, string> {
  return new Map(publishable().map((w) => [w.name, w.version]));
}

async function published(): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const w of publishable()) {
    const p = await registry.packument(w.name);
    out.set(w.name, p ? Object.keys(p.versions).sort() : []);
  }
  return out;
}

/** The publishable packages that depend on `name`, directly or through others. */
function dependents(name: string): Set<string> {
  const all = publishable();
  const found = new Set<string>();
  const queue = [name];
  while (queue.length) {
    const n = queue.shift()!;
    for (const w of all)
      if (w.dependencies[n] && !found.has(w.name)) {
        found.add(w.name);
        queue.push(w.name);
      }
  }
  return found;
}

/** `npm run release` in the clone: its stdout and stderr (changesets logs on stderr). */
async function release(): Promise<string> {
  const { stdout, stderr } = await run('npm', ['run', 'release'], repo, 900);
  return `${stdout}\n${stderr}`;
}

/** The paths in a published tarball, without its top folder. */
async function tarballFiles(url: string): Promise<Set<string>> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${registry.token}` } });
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  const tgz = Buffer.from(await res.arrayBuffer());
  return new Set([...readTarball(tgz).keys()].map((p) => p.slice(p.indexOf('/') + 1)));
}

/**
 * The files a manifest points at: main, module, types, bin and every exports target, except the
 * `@seqzoo/source` condition (the TypeScript sources, for the monorepo's own tests only).
 */
function entryPoints(manifest: Record<string, unknown>): string[] {
  const out: string[] = [];
  // Everything under the `@seqzoo/source` condition (a path, or nested conditions) is the
  // monorepo's own and not published.
  const walk = (value: unknown, key: string) => {
    if (key === '@seqzoo/source') return;
    if (typeof value === 'string') out.push(value);
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, k);
    }
  };
  for (const field of ['main', 'module', 'types', 'bin', 'exports']) walk(manifest[field], field);
  return [...new Set(out.filter((f) => !f.includes('*')).map((f) => f.replace(/^\.\//, '')))];
}

function writeChangeset(file: string, name: string, bump: string, text: string): void {
  writeFileSync(join(repo, '.changeset', file), `---\n"${name}": ${bump}\n---\n\n${text}\n`);
}

// The program a consumer runs: a bag-of-words classifier trained on ten sentences, then asked.
const program = `import { useBackend } from '@seqzoo/backend';
import { BowClassifier } from '@seqzoo/zoo';
await useBackend('cpu');
const pos = ['good fun film', 'a great good story', 'great acting and fun', 'fun and good', 'great great film'];
const neg = ['bad dull film', 'an awful bad story', 'dull acting and awful', 'bad and dull', 'awful awful film'];
const model = new BowClassifier({ seed: 1 });
await model.fit([...pos, ...neg], [...pos.map(() => 'pos'), ...neg.map(() => 'neg')], { epochs: 30 });
console.log(JSON.stringify(model.predict(['good great fun', 'awful dull bad'])));
`;

// What a consumer asks each pretrained package (`m` is the package's module) and the answer it
// must give. A pretrained package at HEAD that is missing here fails the rehearsal: add it.
const PRETRAINED_USE: Record<string, { call: string; answer: unknown }> = {
  '@seqzoo/g2p-en': {
    call: "(await m.loadG2P()).word('hello')",
    answer: ['HH', 'AH0', 'L', 'OW1'],
  },
  '@seqzoo/spam-en': {
    call: "(await m.loadSpamFilter()).classify('Congratulations! You have won a FREE prize. Click here to claim your cash now, limited time offer!').label",
    answer: 'spam',
  },
};

/** A consumer file that loads each pretrained package (ESM `import` or CJS `require`) and asks it. */
function pretrainedProgram(names: readonly string[], kind: 'esm' | 'cjs'): string {
  const asks = names.map(
    (n, i) =>
      `  out[${JSON.stringify(n)}] = await (async (m) => ${PRETRAINED_USE[n].call})(${kind === 'esm' ? `p${i}` : `require(${JSON.stringify(n)})`});`,
  );
  if (kind === 'esm') {
    return [
      "import { useBackend } from '@seqzoo/backend';",
      ...names.map((n, i) => `import * as p${i} from ${JSON.stringify(n)};`),
      "await useBackend('cpu');",
      'const out = {};',
      ...asks,
      'console.log(JSON.stringify(out));',
      '',
    ].join('\n');
  }
  return [
    "const { useBackend } = require('@seqzoo/backend');",
    '(async () => {',
    "  await useBackend('cpu');",
    '  const out = {};',
    ...asks,
    '  console.log(JSON.stringify(out));',
    '})().catch((e) => { console.error(e); process.exit(1); });',
    '',
  ].join('\n');
}

const trainCsv = [
  'text,label',
  ...['good fun film', 'a great good story', 'great acting and fun', 'fun and good'].map(
    (t) => `${t},pos`,
  ),
  ...['bad dull film', 'an awful bad story', 'dull acting and awful', 'bad and dull'].map(
    (t) => `${t},neg`,
  ),
].join('\n');

// The versions of the working tree's packages: the rehearsal must leave them as they were.
const treeVersions = () =>
  workspaces(root)
    .map((w) => `${w.name}@${w.version}`)
    .sort();
const before = treeVersions();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'seqzoo-rehearsal-'));
  registry = await timed('start Verdaccio', () => startRegistry(join(work, 'registry')));
  // Everything npm does from here on talks to the rehearsal's registry only, with its token, and
  // caches in the temp folder.
  env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^npm_(config|package|lifecycle)_/i.test(k)),
  );
  Object.assign(env, {
    NPM_CONFIG_USERCONFIG: registry.npmrc,
    npm_config_registry: registry.url,
    npm_config_cache: join(work, 'npm-cache'),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'warn',
    // Turbo's cache outlives the clone: a rehearsal of the same commit again (CI after a local
    // run) restores the builds instead of repeating them; the first run of a commit builds all.
    TURBO_CACHE_DIR: turboCache(),
    TURBO_TELEMETRY_DISABLED: '1',
    DO_NOT_TRACK: '1',
  });
  repo = join(work, 'repo');
  await timed('clone HEAD, link node_modules', () => cloneRepository(root, repo, source));
  const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as Lockfile;
  const pins = thirdPartyClosure(
    lock,
    publishable().map((w) => w.path),
    ['@tensorflow/tfjs-backend-cpu'],
  );
  const seeded = await timed('seed third-party packages', () =>
    seedRegistry(registry.url, registry.token, pins, join(work, 'mirror')),
  );
  expect(seeded).toBe(pins.length);
});

afterAll(async () => {
  for (const child of running) killGroup(child);
  await registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
  const total = timings.reduce((sum, [, t]) => sum + t, 0);
  const cpu = timings.reduce((sum, [, , c]) => sum + c, 0);
  console.log(
    `release rehearsal: ${total.toFixed(0)} s wall, ${cpu.toFixed(0)} s CPU of its commands\n${timings
      .map(
        ([step, t, c]) =>
          `  ${t.toFixed(1).padStart(6)} s ${c.toFixed(1).padStart(6)} s CPU  ${step}`,
      )
      .join('\n')}`,
  );
});

// A release builds every package (release 1) or the bumped ones: minutes on a busy 2-core machine.
const RELEASE_TIMEOUT = 900_000;

describe('the release rehearsal against a local registry', () => {
  // Each step builds on the ones before: after a failure, the rest would only repeat it.
  let broken = false;
  beforeEach(({ skip, onTestFailed }) => {
    if (broken) skip('an earlier step failed');
    onTestFailed(() => {
      broken = true;
    });
  });

  let first: Map<string, string>;
  const pretrained = new Map<string, ReturnType<typeof checkedModelFiles>>();

  it(
    'npm run release versions, builds and publishes every package under latest',
    async () => {
      const pending = readdirSync(join(repo, '.changeset')).filter(
        (f) => f.endsWith('.md') && f !== 'README.md',
      );
      const was = versions();
      await timed('release 1 (all pending changesets)', release);
      first = versions();
      expect(readdirSync(join(repo, '.changeset')).filter((f) => pending.includes(f))).toEqual([]);
      for (const w of publishable()) {
        const p = await registry.packument(w.name);
        expect(p, `${w.name} is on the registry`).not.toBeNull();
        expect(Object.keys(p!.versions), w.name).toEqual([w.version]);
        expect(p!['dist-tags'], w.name).toEqual({ latest: w.version });
        // Internal dependencies are registry ranges that the published versions satisfy.
        for (const [dep, range] of Object.entries(p!.versions[w.version].dependencies ?? {})) {
          if (!first.has(dep)) continue;
          expect(range, `${w.name} → ${dep}`).toBe(`^${first.get(dep)}`);
        }
        // A bumped package has a changelog entry for its version, with text under it.
        if (was.get(w.name) !== w.version) {
          const log = readFileSync(join(w.dir, 'CHANGELOG.md'), 'utf8');
          expect(log, w.name).toMatch(
            new RegExp(
              `^# ${w.name}\\n\\n## ${w.version.replace(/\./g, '\\.')}\\n\\n### \\w+ Changes\\n\\n- \\S`,
            ),
          );
        }
        // The tarball holds what package.json points at, the README and the changelog, and
        // neither sources nor tests.
        const manifest = p!.versions[w.version];
        const files = await tarballFiles(manifest.dist.tarball);
        const wanted = ['package.json', 'README.md', ...entryPoints(manifest)];
        if (was.get(w.name) !== w.version) wanted.push('CHANGELOG.md');
        expect(
          wanted.filter((f) => !files.has(f)),
          `${w.name}: missing from the tarball`,
        ).toEqual([]);
        expect(
          [...files].filter((f) => f.startsWith('src/') || /\.test\.[cm]?[jt]s$/.test(f)),
          w.name,
        ).toEqual([]);
        const models = checkedModelFiles(w.dir);
        if (models.length) pretrained.set(w.name, models);
      }
    },
    RELEASE_TIMEOUT,
  );

  it(
    'a second run with nothing pending publishes nothing and exits 0',
    async () => {
      const was = await published();
      const out = await timed('release 2 (nothing pending)', release);
      expect(out).toMatch(/No unpublished projects to publish/);
      expect(await published()).toEqual(was);
      expect(versions()).toEqual(first);
    },
    RELEASE_TIMEOUT,
  );

  const consumer = () => join(work, 'consumer');
  const prefix = () => join(work, 'global');

  it('a consumer installs the packages by name and version, trains and predicts', async () => {
    mkdirSync(consumer());
    writeFileSync(join(consumer(), 'package.json'), '{ "name": "consumer", "private": true }\n');
    writeFileSync(join(consumer(), 'train.mjs'), program);
    const specs = [
      `@seqzoo/zoo@${first.get('@seqzoo/zoo')}`,
      `@seqzoo/backend@${first.get('@seqzoo/backend')}`,
      '@tensorflow/tfjs-backend-cpu@4',
      ...[...pretrained.keys()].map((n) => `${n}@${first.get(n)}`),
    ];
    await timed('consumer: npm install (library)', () =>
      sh('npm', ['install', '--save-exact', ...specs], consumer()),
    );
    const out = await timed('consumer: train and predict', () =>
      sh('node', ['train.mjs'], consumer()),
    );
    expect(JSON.parse(out.trim().split('\n')[0])).toEqual(['pos', 'neg']);
    // The installed copies are the published versions, with their changelog.
    for (const name of ['@seqzoo/zoo', '@seqzoo/registry', '@seqzoo/train']) {
      const dir = join(consumer(), 'node_modules', name);
      expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version).toBe(
        first.get(name),
      );
      expect(existsSync(join(dir, 'CHANGELOG.md')), `${name} ships CHANGELOG.md`).toBe(true);
    }
  });

  it('pretrained weights arrive intact (checksums in model.json)', (ctx) => {
    if (pretrained.size === 0) ctx.skip('no package at HEAD has a model.json with checksums');
    for (const [name, files] of pretrained) {
      expect(verifyModelFiles(join(consumer(), 'node_modules', name), files), name).toEqual([]);
    }
  });

  it('each pretrained package loads and answers from ESM (import) and from CJS (require)', async (ctx) => {
    if (pretrained.size === 0) ctx.skip('no pretrained package at HEAD');
    const names = [...pretrained.keys()].sort();
    expect(
      names.filter((n) => !PRETRAINED_USE[n]),
      'pretrained packages without a PRETRAINED_USE entry',
    ).toEqual([]);
    const answers = Object.fromEntries(names.map((n) => [n, PRETRAINED_USE[n].answer]));
    writeFileSync(join(consumer(), 'pretrained.mjs'), pretrainedProgram(names, 'esm'));
    writeFileSync(join(consumer(), 'pretrained.cjs'), pretrainedProgram(names, 'cjs'));
    const esm = await timed('consumer: pretrained from ESM', () =>
      sh('node', ['pretrained.mjs'], consumer()),
    );
    expect(JSON.parse(esm.trim().split('\n').at(-1)!)).toEqual(answers);
    const cjs = await timed('consumer: pretrained from CJS', () =>
      sh('node', ['pretrained.cjs'], consumer()),
    );
    expect(JSON.parse(cjs.trim().split('\n').at(-1)!)).toEqual(answers);
  });

  it('the CLI installs globally from the registry, trains, predicts and says its version', async () => {
    const cli = first.get('seqzoo')!;
    await timed('global: npm install -g seqzoo', () =>
      sh('npm', ['install', '-g', '--prefix', prefix(), `seqzoo@${cli}`], work),
    );
    const seqzoo = join(prefix(), 'bin', 'seqzoo');
    expect((await sh(seqzoo, ['--version'], work)).trim()).toBe(cli);
    writeFileSync(join(work, 'reviews.csv'), `${trainCsv}\n`);
    await timed('global: seqzoo train + predict', async () => {
      await sh(
        seqzoo,
        [
          'train',
          'zoo:bow-classifier',
          '--data',
          'reviews.csv',
          '--epochs',
          '30',
          '--backend',
          'cpu',
          '--out',
          'reviews-model',
          '--json',
        ],
        work,
      );
      const out = await sh(seqzoo, ['predict', 'reviews-model', 'good great fun', '--json'], work);
      expect(out.split('\n')[0]).toMatch(/"label":"pos"/);
    });
    // From the consumer's folder the global CLI finds the pretrained packages installed there.
    if (pretrained.has('@seqzoo/spam-en')) {
      await timed('global: seqzoo models + predict spam-en', async () => {
        const models = await sh(seqzoo, ['models'], consumer());
        for (const name of pretrained.keys())
          expect(models).toContain(`${name}@${first.get(name)}`);
        const out = await sh(
          seqzoo,
          [
            'predict',
            'spam-en',
            'You have won a FREE prize, click here to claim your cash now',
            '--backend',
            'cpu',
            '--json',
          ],
          consumer(),
        );
        expect(out.split('\n')[0]).toMatch(/"label":"spam"/);
      });
    }
  });

  let second: Map<string, string>;
  let target: string;

  it(
    'a changeset on one package releases it, and its dependents only where their range leaves it',
    async () => {
      // The package with the fewest dependents (but some): the others must not move.
      const candidates = [...first.keys()]
        .map((n) => [n, dependents(n).size] as const)
        .filter(([, d]) => d > 0)
        .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
      target = candidates[0][0];
      const mayMove = new Set([target, ...dependents(target)]);
      writeChangeset('rehearsal-fix.md', target, 'patch', 'A fix released by the rehearsal.');
      await timed(`release 3 (a patch of ${target})`, release);
      second = versions();
      const moved = new Set([...second].filter(([n, v]) => v !== first.get(n)).map(([n]) => n));
      // The target moves; a dependent moves only when its range no longer takes the new version
      // (changesets' rule; a patch stays in `^x.y.z`, so consumers of the dependents get the fix
      // by their ranges); nothing else moves.
      expect(moved.has(target)).toBe(true);
      for (const name of moved) expect(mayMove.has(name), `${name} moved`).toBe(true);
      for (const w of publishable())
        if (w.dependencies[target] && !moved.has(w.name)) {
          const p = await registry.packument(w.name);
          expect(p!.versions[first.get(w.name)!].dependencies![target], w.name).toBe(
            `^${first.get(target)}`,
          );
        }
      const all = await published();
      for (const [name, v] of second) {
        expect(all.get(name), name).toEqual(moved.has(name) ? [first.get(name), v].sort() : [v]);
      }
      const view = JSON.parse(
        await sh('npm', ['view', target, 'versions', 'dist-tags', '--json'], work),
      );
      expect(view.versions).toEqual([first.get(target), second.get(target)]);
      expect(view['dist-tags'].latest).toBe(second.get(target));
      expect(readFileSync(join(repo, ...targetDir(target), 'CHANGELOG.md'), 'utf8')).toContain(
        'A fix released by the rehearsal.',
      );
    },
    RELEASE_TIMEOUT,
  );

  it('a consumer of the older versions keeps working (npm ci from its lockfile)', async () => {
    rmSync(join(consumer(), 'node_modules'), { recursive: true, force: true });
    await timed('consumer: npm ci (older versions)', () => sh('npm', ['ci'], consumer()));
    const out = await sh('node', ['train.mjs'], consumer());
    expect(JSON.parse(out.trim().split('\n')[0])).toEqual(['pos', 'neg']);
    for (const [name, v] of first) {
      const pkg = join(consumer(), 'node_modules', name, 'package.json');
      if (existsSync(pkg)) expect(JSON.parse(readFileSync(pkg, 'utf8')).version, name).toBe(v);
    }
  });

  it(
    'a prerelease goes out under the next dist-tag and leaves latest alone',
    async () => {
      // A package nothing depends on, so that the prerelease rebuilds one package.
      const leaf = [...second.keys()].filter((n) => dependents(n).size === 0).sort()[0];
      await sh('npx', ['changeset', 'pre', 'enter', 'next'], repo);
      writeChangeset('rehearsal-next.md', leaf, 'minor', 'A feature tried out as a prerelease.');
      await timed(`release 4 (prerelease of ${leaf}, next)`, release);
      const now = versions();
      const v = now.get(leaf)!;
      expect(v).toMatch(/-next\.0$/);
      for (const [name, was] of second) if (name !== leaf) expect(now.get(name), name).toBe(was);
      const tags = JSON.parse(await sh('npm', ['view', leaf, 'dist-tags', '--json'], work));
      expect(tags).toEqual({ latest: second.get(leaf), next: v });
      // A plain install still gets latest.
      expect((await sh('npm', ['view', leaf, 'version'], work)).trim()).toBe(second.get(leaf));
    },
    RELEASE_TIMEOUT,
  );
});

it('leaves the working tree as it was (versions bumped only in the clone)', () => {
  expect(treeVersions()).toEqual(before);
  expect(existsSync(join(root, '.changeset', 'pre.json'))).toBe(false);
  expect(existsSync(join(root, '.changeset', 'rehearsal-fix.md'))).toBe(false);
});

function targetDir(name: string): string[] {
  const w = publishable().find((p) => p.name === name)!;
  return w.path.split('/');
}
