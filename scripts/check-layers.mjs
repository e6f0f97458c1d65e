#!/usr/bin/env node
// `node scripts/check-layers.mjs [--root DIR]`: the dependency layers of the root README and
// shared/DESIGN.md, enforced. Reads every import of every workspace package (all its .ts/.js
// files but node_modules and dist: tests, scripts and examples too) with TypeScript's parser and
// fails, naming the file and the import, when
//   - a package imports a workspace package that is not in a lower layer (or not in the table);
//   - an import is not declared: runtime files (those reachable from the package's entry points)
//     need `dependencies`, `peerDependencies` or `optionalDependencies`; tests, scripts and
//     configs may also use `devDependencies` (and, for non-workspace packages, the root's);
//   - a declared dependency is never imported (`dependencies`, `optionalDependencies`,
//     `devDependencies`; an `@types/x` counts as used when `x` is, a tool when the package's
//     scripts name it, a package when the README's code blocks import it, a peer of a workspace
//     dependency when an app installs it). Peer dependencies are a contract (tfjs-core, backends
//     loaded on demand) and are not checked for use.
// `npm test` runs it; exit status 1 with one line per problem.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Lowest first. A package may import packages of lower layers only (README: "Dependencies go one way"). */
export const LAYERS = [
  { name: 'backend', packages: ['@seqzoo/backend'] },
  { name: 'primitives', packages: ['@seqzoo/layers', '@seqzoo/optimizers', '@seqzoo/data'] },
  { name: 'contract and drawing', packages: ['@seqzoo/registry', '@seqzoo/plot'] },
  { name: 'training loop', packages: ['@seqzoo/train'] },
  { name: 'models', packages: ['@seqzoo/seq2seq', '@seqzoo/zoo'] },
  {
    name: 'pretrained packages and the CLI',
    packages: ['@seqzoo/g2p-en', '@seqzoo/spam-en', 'seqzoo'],
  },
  // Private: never installed by users; the playground's test drives the CLI.
  { name: 'private apps', packages: ['@seqzoo/playground', '@seqzoo/bench'] },
];

const SOURCE = /\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', '.turbo', 'test-results', 'coverage']);
const RUNTIME_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies'];
const USED_FIELDS = ['dependencies', 'optionalDependencies', 'devDependencies'];
const builtins = new Set(builtinModules);

function workspaceDirs(root) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const dirs = [];
  for (const pattern of pkg.workspaces ?? []) {
    if (pattern.endsWith('/*')) {
      const base = join(root, pattern.slice(0, -2));
      let names = [];
      try {
        names = readdirSync(base).sort();
      } catch {}
      for (const name of names) {
        if (statSync(join(base, name)).isDirectory() && hasFile(join(base, name, 'package.json')))
          dirs.push(join(base, name));
      }
    } else if (hasFile(join(root, pattern, 'package.json'))) dirs.push(join(root, pattern));
  }
  return { dirs, rootDevDependencies: Object.keys(pkg.devDependencies ?? {}) };
}

function hasFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function sourceFiles(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.'))
        sourceFiles(join(dir, entry.name), out);
    } else if (entry.isFile() && SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts'))
      out.push(join(dir, entry.name));
  }
  return out;
}

/**
 * What a file names: `imports`, every module specifier (static imports and exports, import(),
 * import types, require(), createRequire(…)(), require.resolve(), import.meta.resolve()), and
 * `strings`, its other string literals (a tool run by name: `['--import', 'tsx']`).
 */
export function scanFile(ts, text, fileName = 'file.ts') {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  const imports = [];
  const strings = new Set();
  const add = (node) => {
    if (node && ts.isStringLiteralLike(node)) imports.push(node.text);
  };
  const isRequire = (e) =>
    (ts.isIdentifier(e) && e.text === 'require') ||
    (ts.isCallExpression(e) &&
      ts.isIdentifier(e.expression) &&
      e.expression.text === 'createRequire');
  const isMeta = (e) => ts.isMetaProperty(e) && e.keywordToken === ts.SyntaxKind.ImportKeyword;
  const visit = (node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier);
      return;
    }
    if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      add(node.moduleReference.expression);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument))
      add(node.argument.literal);
    else if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const callee = node.expression;
      if (
        callee.kind === ts.SyntaxKind.ImportKeyword ||
        isRequire(callee) ||
        (ts.isPropertyAccessExpression(callee) &&
          callee.name.text === 'resolve' &&
          (isRequire(callee.expression) || isMeta(callee.expression)))
      )
        add(node.arguments[0]);
    } else if (ts.isStringLiteralLike(node)) strings.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { imports, strings };
}

/** The ```ts and ```js blocks of a package's README.md. */
function readmeBlocks(dir) {
  let text;
  try {
    text = readFileSync(join(dir, 'README.md'), 'utf8');
  } catch {
    return [];
  }
  const blocks = [];
  const fence = /^```(ts|typescript|js|javascript|mjs)\b[^\n]*\n([\s\S]*?)^```/gm;
  for (const m of text.matchAll(fence)) blocks.push(m[2]);
  return blocks;
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; null for relative, builtin, `#`, URLs. */
export function packageOf(specifier) {
  if (/^[./#]/.test(specifier) || specifier.includes(':')) return null;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return builtins.has(name) ? null : name;
}

function layerOf(name) {
  const index = LAYERS.findIndex((layer) => layer.packages.includes(name));
  return index < 0 ? null : index;
}

function describeBelow(index) {
  if (index === 0) return 'no workspace package (the lowest layer)';
  return LAYERS.slice(0, index)
    .map((layer, i) => `layer ${i} ${layer.name}: ${layer.packages.join(', ')}`)
    .join('; ');
}

/** The string leaves of an `exports`/`imports` map, under the `@seqzoo/source` condition where it has one. */
function targets(map, out = []) {
  if (typeof map === 'string') out.push(map);
  else if (map && typeof map === 'object') {
    if ('@seqzoo/source' in map) targets(map['@seqzoo/source'], out);
    else for (const value of Object.values(map)) targets(value, out);
  }
  return out;
}

const EXTENSIONS = ['', '.ts', '.tsx', '.mts', '.js', '.mjs', '/index.ts', '/index.js'];

function resolveRelative(fromDir, specifier) {
  const base = resolve(fromDir, specifier);
  for (const candidate of [
    ...EXTENSIONS.map((e) => base + e),
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.mjs$/, '.mts'),
  ])
    if (hasFile(candidate)) return candidate;
  return null;
}

/**
 * The files a published package runs: reachable by relative imports (and `#` imports) from its
 * entry points (the `@seqzoo/source` targets of `exports`, its bins' sources). Everything else
 * (tests, fixtures, test helpers, scripts, examples, configs) may use devDependencies. A private
 * package is never installed by users: all its files may.
 */
function runtimeFiles(dir, pkg, scans) {
  const reached = new Set();
  if (pkg.private) return reached;
  const entries = targets(pkg.exports).filter((t) => /\.[cm]?[tj]sx?$/.test(t));
  if (entries.length === 0 && hasFile(join(dir, 'src/index.ts'))) entries.push('./src/index.ts');
  const bins = typeof pkg.bin === 'string' ? [pkg.bin] : Object.values(pkg.bin ?? {});
  for (const bin of bins)
    entries.push(bin.replace(/^(\.\/)?dist\//, './src/').replace(/\.c?js$/, '.ts'));
  const queue = entries.map((e) => resolve(dir, e)).filter(hasFile);
  while (queue.length > 0) {
    const file = queue.pop();
    if (reached.has(file)) continue;
    reached.add(file);
    for (const specifier of scans.get(file)?.imports ?? []) {
      const next = specifier.startsWith('.')
        ? [resolveRelative(join(file, '..'), specifier)]
        : specifier.startsWith('#')
          ? targets(pkg.imports?.[specifier])
              .filter((t) => t.startsWith('.'))
              .map((t) => resolve(dir, t))
          : [];
      for (const n of next) if (n && !reached.has(n)) queue.push(n);
    }
  }
  return reached;
}

/** The problems of the tree at `root`, one sentence each (empty: all is well). */
export function checkLayers(root) {
  const require = createRequire(join(root, 'package.json'));
  let ts;
  try {
    ts = require('typescript');
  } catch {
    ts = createRequire(import.meta.url)('typescript');
  }
  const { dirs, rootDevDependencies } = workspaceDirs(root);
  const manifests = dirs.map((dir) => ({
    dir,
    pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')),
  }));
  const workspace = new Map(manifests.map((m) => [m.pkg.name, m.pkg]));
  const problems = [];
  const where = (path) => relative(root, path).split(sep).join('/');

  for (const { dir, pkg } of manifests) {
    const self = pkg.name;
    const manifest = where(join(dir, 'package.json'));
    const own = layerOf(self);
    if (own === null) {
      problems.push(
        `${manifest}: ${self} is in no layer of scripts/check-layers.mjs; add it to LAYERS where the root README puts it`,
      );
      continue;
    }
    const runtimeDeclared = new Set(RUNTIME_FIELDS.flatMap((f) => Object.keys(pkg[f] ?? {})));
    const devDeclared = new Set([...runtimeDeclared, ...Object.keys(pkg.devDependencies ?? {})]);

    const scans = new Map();
    for (const path of sourceFiles(dir)) {
      try {
        scans.set(path, scanFile(ts, readFileSync(path, 'utf8'), path));
      } catch (error) {
        problems.push(`${where(path)}: could not be parsed (${error.message})`);
      }
    }
    const runtime = runtimeFiles(dir, pkg, scans);
    const usedAtRuntime = new Set();
    const used = new Set();
    const strings = new Set();
    for (const specifier of targets(pkg.imports)) {
      const name = packageOf(specifier);
      if (name) used.add(name);
    }
    // The README's code blocks run as programs (scripts/readme-blocks.ts): what they import is
    // used (a devDependency, say), though not layer-checked: users may import anything.
    for (const block of readmeBlocks(dir)) {
      try {
        for (const specifier of scanFile(ts, block, join(dir, 'README.ts')).imports) {
          const name = packageOf(specifier);
          if (name) used.add(name);
        }
      } catch {}
    }

    for (const [path, scan] of scans) {
      const isRuntime = runtime.has(path);
      for (const s of scan.strings) strings.add(s);
      for (const specifier of scan.imports) {
        const name = packageOf(specifier);
        if (name === null || name === self) continue;
        used.add(name);
        if (isRuntime) usedAtRuntime.add(name);
        const target = layerOf(name);
        if (workspace.has(name) || target !== null) {
          if (target === null || target >= own) {
            problems.push(
              `${where(path)}: imports '${specifier}' (${target === null ? 'in no layer' : `layer ${target} ${LAYERS[target].name}`}); ${self} is in layer ${own} ${LAYERS[own].name} and may import only lower layers: ${describeBelow(own)}`,
            );
            continue;
          }
        }
        const declared = isRuntime ? runtimeDeclared : devDeclared;
        const rootTool = !isRuntime && !workspace.has(name) && rootDevDependencies.includes(name);
        if (!declared.has(name) && !rootTool) {
          problems.push(
            `${where(path)}: imports '${specifier}' but ${manifest} does not declare ${name} in ${isRuntime ? 'dependencies or peerDependencies (the file is part of the published package)' : 'dependencies or devDependencies'}`,
          );
        }
      }
    }

    // Backend packages and tfjs-core an app installs for a workspace dependency's peers.
    const peersProvided = new Set(
      [...used]
        .filter((name) => workspace.has(name))
        .flatMap((name) => Object.keys(workspace.get(name).peerDependencies ?? {})),
    );
    const scripts = Object.values(pkg.scripts ?? {}).join(' ');
    for (const field of USED_FIELDS) {
      for (const name of Object.keys(pkg[field] ?? {})) {
        if (
          field === 'dependencies' &&
          !pkg.private &&
          used.has(name) &&
          !usedAtRuntime.has(name)
        ) {
          problems.push(
            `${manifest}: dependencies declares ${name}, which only tests, scripts or examples import; move it to devDependencies`,
          );
          continue;
        }
        if (used.has(name) || peersProvided.has(name)) continue;
        if (name.startsWith('@types/')) {
          const typed = name.slice(7).replace(/^([^_]+)__/, '@$1/');
          if (used.has(typed) || typed === 'node') continue;
        }
        const bin = name.split('/').pop();
        const inScripts = new RegExp(
          `(^|[\\s/&;|])${bin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`,
        ).test(scripts);
        if (field === 'devDependencies' && (inScripts || strings.has(name))) continue;
        problems.push(
          `${manifest}: ${field} declares ${name}, which no file of ${self} imports; remove it`,
        );
      }
    }
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--root');
  const root = resolve(
    at > 0 ? process.argv[at + 1] : join(fileURLToPath(import.meta.url), '../..'),
  );
  const problems = checkLayers(root);
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) {
    console.error(
      `check-layers: ${problems.length} problem(s). The layers, lowest first: ${LAYERS.map((l, i) => `${i} ${l.packages.join(', ')}`).join(' | ')}`,
    );
    process.exit(1);
  }
  console.log(
    `check-layers: the imports of ${LAYERS.flatMap((l) => l.packages).length} packages follow the layers and their package.json files`,
  );
}
