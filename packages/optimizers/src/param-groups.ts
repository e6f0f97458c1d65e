import type * as tf from '@tensorflow/tfjs-core';
import { OptimizerConfigError } from './errors';

/**
 * Selects parameters for a group: an exact dotted name (`'decoder.out.bias'`), a glob where `*`
 * matches any run of characters, dots included (`'*.bias'`, `'encoder.*'`), a RegExp, or a
 * predicate on the name.
 */
export type ParamSelector = string | RegExp | ((name: string) => boolean);

/** A parameter group: which parameters, and the options that differ from the optimizer's. */
export type GroupSpec<O> = Partial<O> & { params: ParamSelector | readonly ParamSelector[] };

/** One resolved group: its parameter names and its full, mutable options (`lr` included). */
export interface ParamGroup<O> {
  readonly params: readonly string[];
  options: O;
  /** The learning rate the first schedule started from (torch's `initial_lr`). */
  initialLr?: number;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}

function selects(selector: ParamSelector, names: readonly string[], where: string): Set<string> {
  if (typeof selector === 'function') return new Set(names.filter((n) => selector(n)));
  if (typeof selector === 'string' && !selector.includes('*')) {
    if (!names.includes(selector)) {
      throw new OptimizerConfigError(
        where,
        selector,
        `the name of a parameter of this optimizer (${preview(names)})`,
      );
    }
    return new Set([selector]);
  }
  const re = typeof selector === 'string' ? globToRegExp(selector) : selector;
  const hit = names.filter((n) => {
    re.lastIndex = 0;
    return re.test(n);
  });
  if (hit.length === 0) {
    throw new OptimizerConfigError(
      where,
      selector,
      `a pattern that matches at least one parameter (${preview(names)})`,
    );
  }
  return new Set(hit);
}

function preview(names: readonly string[]): string {
  const shown = names.slice(0, 8).join(', ');
  return names.length > 8 ? `${shown}, … ${names.length - 8} more` : shown || 'none';
}

/**
 * Splits the parameters into groups. Group 0 is the default group (every parameter that no
 * explicit group selects, with the optimizer's options, possibly empty); explicit groups follow
 * in the order given, each with the optimizer's options overridden by its own. A parameter
 * selected by two explicit groups is an error, as in torch.
 */
export function resolveGroups<O extends object>(
  params: Map<string, tf.Variable>,
  defaults: O,
  specs: readonly GroupSpec<O>[] = [],
): ParamGroup<O>[] {
  const names = [...params.keys()];
  const owner = new Map<string, number>();
  const explicit = specs.map((spec, g) => {
    if (spec === null || typeof spec !== 'object' || !('params' in spec)) {
      throw new OptimizerConfigError(`groups[${g}]`, spec, 'an object with a params selector');
    }
    const selectors = Array.isArray(spec.params) ? spec.params : [spec.params];
    const chosen = new Set<string>();
    selectors.forEach((sel: ParamSelector, s: number) => {
      const where = Array.isArray(spec.params)
        ? `groups[${g}].params[${s}]`
        : `groups[${g}].params`;
      for (const name of selects(sel, names, where)) chosen.add(name);
    });
    for (const name of chosen) {
      const other = owner.get(name);
      if (other !== undefined) {
        throw new OptimizerConfigError(
          `groups[${g}].params`,
          name,
          `each parameter in at most one group, but groups[${other}] already selects it`,
        );
      }
      owner.set(name, g);
    }
    const { params: _ignored, ...overrides } = spec as Record<string, unknown>;
    for (const [key, value] of Object.entries(overrides)) {
      if (!(key in defaults)) {
        throw new OptimizerConfigError(
          `groups[${g}].${key}`,
          value,
          `one of the options ${Object.keys(defaults).join(', ')}`,
        );
      }
      if (value === undefined) delete overrides[key];
    }
    return {
      params: names.filter((n) => chosen.has(n)),
      options: { ...defaults, ...overrides } as O,
    };
  });
  const rest = names.filter((n) => !owner.has(n));
  return [{ params: rest, options: { ...defaults } }, ...explicit];
}
