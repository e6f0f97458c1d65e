import {
  Dense,
  fromPyTorch,
  type Module,
  RecurrentCell,
  RecurrentLayer,
  StateDictError,
  toPyTorch,
} from '@seqzoo/layers';
import type * as tf from '@tensorflow/tfjs-core';
import { ModelFileError } from './errors';
import { nameMismatch } from './weight-names';

/** Layers whose PyTorch names or layouts differ from ours; everything else maps one to one. */
function converts(module: Module): boolean {
  return (
    module instanceof Dense || module instanceof RecurrentLayer || module instanceof RecurrentCell
  );
}

/** This module's own entries (not its children's), by name. */
function ownEntries(module: Module): Map<string, tf.Tensor> {
  const children = [...module.namedChildren().keys()];
  const out = new Map<string, tf.Tensor>();
  for (const [name, t] of module.stateDict()) {
    if (!children.some((c) => name.startsWith(`${c}.`))) out.set(name, t);
  }
  return out;
}

/**
 * A whole model's state dict under PyTorch's names and layouts, as `model.state_dict()` of the
 * equivalent `nn.Module` (same attribute names) holds it: `nn.Linear` weights transposed,
 * `nn.LSTM`/`nn.GRU`/`nn.RNN` as `weight_ih_l{k}[_reverse]`…, the rest unchanged. New tensors.
 */
export function exportPytorchState(module: Module, prefix = ''): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  if (converts(module)) {
    for (const [name, t] of toPyTorch(module)) out.set(prefix + name, t);
    return out;
  }
  for (const [name, t] of ownEntries(module)) out.set(prefix + name, t.clone());
  for (const [name, child] of module.namedChildren()) {
    for (const [k, t] of exportPytorchState(child, `${prefix}${name}.`)) out.set(k, t);
  }
  return out;
}

/**
 * Loads a PyTorch state dict (names and layouts as `exportPytorchState` gives them) into the
 * model, layer by layer. Missing or extra names throw `ModelFileError('WEIGHTS_MISMATCH')`
 * listing all of them, before anything is loaded; a misshapen entry throws it naming the PyTorch
 * parameter (layers before it may already be loaded: `importWeights` restores the previous values
 * then). The caller keeps the tensors.
 */
export function importPytorchState(
  module: Module,
  state: Map<string, tf.Tensor>,
  where = 'weights',
): void {
  const mine = exportPytorchState(module);
  const expected = new Map([...mine].map(([name, t]) => [name, t.shape] as const));
  for (const t of mine.values()) t.dispose();
  const problem = nameMismatch(
    expected,
    new Map([...state].map(([name, t]) => [name, t.shape] as const)),
  );
  if (problem) throw new ModelFileError('WEIGHTS_MISMATCH', problem, where);
  const used = new Set<string>();
  const visit = (m: Module, prefix: string) => {
    if (converts(m)) {
      const sub = new Map<string, tf.Tensor>();
      for (const [k, t] of state)
        if (k.startsWith(prefix) && !k.slice(prefix.length).includes('.'))
          sub.set(k.slice(prefix.length), t);
      try {
        fromPyTorch(m, sub, { strict: true });
      } catch (error) {
        if (error instanceof StateDictError) {
          const message = error.message.replaceAll(
            `'${error.parameter}'`,
            `'${prefix}${error.parameter}'`,
          );
          throw new ModelFileError('WEIGHTS_MISMATCH', message, where, { cause: error });
        }
        throw error;
      }
      for (const k of sub.keys()) used.add(prefix + k);
      return;
    }
    const own = ownEntries(m);
    const values = new Map<string, tf.Tensor>();
    for (const [name, target] of own) {
      const value = state.get(prefix + name);
      if (!value)
        throw new ModelFileError(
          'WEIGHTS_MISMATCH',
          `'${prefix}${name}' (shape [${target.shape}]) is missing.`,
          where,
        );
      if (value.shape.join() !== target.shape.join()) {
        throw new ModelFileError(
          'WEIGHTS_MISMATCH',
          `'${prefix}${name}' has shape [${value.shape}] but the model has [${target.shape}]: the config does not match the weights.`,
          where,
        );
      }
      values.set(name, value);
      used.add(prefix + name);
    }
    if (values.size) m.loadStateDict(values, { strict: false });
    for (const [name, child] of m.namedChildren()) visit(child, `${prefix}${name}.`);
  };
  visit(module, '');
  const extra = [...state.keys()].filter((k) => !used.has(k));
  if (extra.length) {
    throw new ModelFileError(
      'WEIGHTS_MISMATCH',
      `unexpected weights ${extra.map((e) => `'${e}'`).join(', ')}: the file is for another model.`,
      where,
    );
  }
}
