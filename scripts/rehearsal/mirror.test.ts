import { describe, expect, it } from 'vitest';
import { type Lockfile, thirdPartyClosure } from './mirror';

// A lockfile in npm's v3 shape: workspace links, a nested copy, peers and optional packages.
const lock: Lockfile = {
  packages: {
    '': {},
    'node_modules/@seqzoo/a': { link: true, resolved: 'packages/a' },
    'node_modules/@seqzoo/b': { link: true, resolved: 'packages/b' },
    'packages/a': {
      version: '0.1.0',
      dependencies: { '@seqzoo/b': '^0.1.0', left: '^1.0.0' },
      peerDependencies: { core: '^4', 'backend-x': '^4' },
      peerDependenciesMeta: { 'backend-x': { optional: true } },
    },
    'packages/b': { version: '0.1.0', dependencies: { shared: '^2.0.0' } },
    'node_modules/left': {
      version: '1.2.0',
      dependencies: { shared: '^1.0.0' },
      optionalDependencies: { 'left-linux': '1.2.0', 'left-darwin': '1.2.0' },
    },
    'node_modules/left/node_modules/shared': { version: '1.5.0' },
    'node_modules/left-linux': { version: '1.2.0' },
    'node_modules/shared': { version: '2.1.0' },
    'node_modules/core': { version: '4.22.0', dependencies: { long: '^4' } },
    'node_modules/long': { version: '4.0.0' },
    'node_modules/backend-x': { version: '4.22.0' },
    'node_modules/dev-only': { version: '9.0.0' },
    'node_modules/extra': { version: '3.0.0' },
  },
};

const names = (pins: { name: string; version: string }[]) =>
  pins.map((p) => `${p.name}@${p.version}`).sort();

describe('thirdPartyClosure', () => {
  it('follows dependencies through workspace links, nested copies first, and required peers', () => {
    expect(names(thirdPartyClosure(lock, ['packages/a']))).toEqual([
      'core@4.22.0',
      'left-linux@1.2.0',
      'left@1.2.0',
      'long@4.0.0',
      'shared@1.5.0',
      'shared@2.1.0',
    ]);
  });

  it('adds the named root packages and their dependencies', () => {
    expect(names(thirdPartyClosure(lock, ['packages/b'], ['extra', 'core']))).toEqual([
      'core@4.22.0',
      'extra@3.0.0',
      'long@4.0.0',
      'shared@2.1.0',
    ]);
  });

  it('says which dependency the lockfile lacks', () => {
    const broken: Lockfile = {
      packages: { ...lock.packages, 'packages/b': { dependencies: { gone: '^1' } } },
    };
    expect(() => thirdPartyClosure(broken, ['packages/b'])).toThrow(
      'gone (needed by packages/b) is not in package-lock.json',
    );
    expect(() => thirdPartyClosure(lock, [], ['nope'])).toThrow('nope is not in package-lock.json');
  });
});
