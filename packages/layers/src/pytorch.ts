import * as tf from '@tensorflow/tfjs-core';
import { Dense } from './dense';
import { LayerConfigError, StateDictError } from './errors';
import { GRUCell } from './gru-cell';
import type { Module } from './module';
import { RecurrentCell } from './recurrent-cell';
import { RecurrentLayer } from './recurrent-layer';

/**
 * PyTorch ↔ seqzoo parameter names and layouts.
 *
 * - `nn.LSTM` / `nn.GRU` / `nn.RNN`: `weight_ih_l{k}[_reverse]` `[G·H, in]` ↔
 *   `l{k}[Reverse].weightIh` `[in, G·H]` (transposed), `weight_hh_l{k}` ↔ `weightHh`,
 *   `bias_ih_l{k}` ↔ `biasIh`, `bias_hh_l{k}` ↔ `biasHh`. Gate order is the same (i, f, g, o;
 *   r, z, n), so only the weights are transposed.
 * - `nn.LSTMCell` / `nn.GRUCell` / `nn.RNNCell`: `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`.
 * - `nn.Linear` ↔ `Dense`: `weight` `[out, in]` ↔ `[in, out]`, `bias`.
 * - Anything else (`Embedding`, `LayerNorm`): same names, same layout.
 */
function pytorchNames(module: Module): Map<string, { torch: string; transpose: boolean }> {
  const out = new Map<string, { torch: string; transpose: boolean }>();
  const cellNames = (prefix: string, suffix: string) => {
    out.set(`${prefix}weightIh`, { torch: `weight_ih${suffix}`, transpose: true });
    out.set(`${prefix}weightHh`, { torch: `weight_hh${suffix}`, transpose: true });
    out.set(`${prefix}biasIh`, { torch: `bias_ih${suffix}`, transpose: false });
    out.set(`${prefix}biasHh`, { torch: `bias_hh${suffix}`, transpose: false });
  };
  if (module instanceof RecurrentLayer) {
    for (let l = 0; l < module.numLayers; l++) {
      cellNames(`l${l}.`, `_l${l}`);
      if (module.bidirectional) cellNames(`l${l}Reverse.`, `_l${l}_reverse`);
    }
  } else if (module instanceof RecurrentCell) {
    cellNames('', '');
  } else if (module instanceof Dense) {
    out.set('weight', { torch: 'weight', transpose: true });
    out.set('bias', { torch: 'bias', transpose: false });
  }
  const present = module.stateDict();
  for (const key of [...out.keys()]) if (!present.has(key)) out.delete(key);
  for (const key of present.keys())
    if (!out.has(key)) out.set(key, { torch: key, transpose: false });
  return out;
}

function checkTorchCompatible(module: Module): void {
  const cells = module instanceof RecurrentLayer ? module.cells : [module];
  for (const cell of cells) {
    if (cell instanceof GRUCell && !cell.resetAfter) {
      throw new LayerConfigError(
        'resetAfter',
        "PyTorch's GRU applies the reset gate after the recurrent matmul; use resetAfter: true to exchange weights with it.",
      );
    }
  }
  if (module instanceof RecurrentLayer && module.mergeMode !== 'concat') {
    throw new LayerConfigError(
      'mergeMode',
      "PyTorch's bidirectional layers concatenate; use mergeMode 'concat'.",
    );
  }
}

/**
 * The module's parameters under PyTorch's names and layouts (new tensors, owned by the caller):
 * what `module.state_dict()` holds for the equivalent `nn.LSTM`, `nn.GRU`, `nn.RNN`, cell,
 * `nn.Linear`, ….
 */
export function toPyTorch(module: Module): Map<string, tf.Tensor> {
  checkTorchCompatible(module);
  const state = module.stateDict();
  const out = new Map<string, tf.Tensor>();
  for (const [ours, { torch, transpose }] of pytorchNames(module)) {
    const value = state.get(ours)!;
    out.set(torch, transpose ? tf.transpose(value) : tf.clone(value));
  }
  return out;
}

/**
 * Loads a PyTorch state dict (names and layouts as `toPyTorch` gives them) into the module. A
 * missing entry or a wrong shape throws `StateDictError` naming the PyTorch parameter; extra
 * entries throw unless `strict: false`. The caller keeps ownership of the given tensors.
 */
export function fromPyTorch(
  module: Module,
  state: Map<string, tf.Tensor> | Record<string, tf.Tensor>,
  options: { strict?: boolean } = {},
): void {
  checkTorchCompatible(module);
  const strict = options.strict ?? true;
  const given = state instanceof Map ? state : new Map(Object.entries(state));
  const names = pytorchNames(module);
  const ours = module.stateDict();
  const converted = new Map<string, tf.Tensor>();
  try {
    for (const [key, { torch, transpose }] of names) {
      const value = given.get(torch);
      if (!value) {
        if (!strict) continue;
        throw new StateDictError(torch, `fromPyTorch: missing '${torch}' (for '${key}').`);
      }
      const expected = ours.get(key)!.shape;
      const shape = transpose ? [...value.shape].reverse() : value.shape;
      if (!tf.util.arraysEqual(shape, expected)) {
        const torchShape = transpose ? [...expected].reverse() : expected;
        throw new StateDictError(
          torch,
          `fromPyTorch: '${torch}' has shape [${value.shape}], expected [${torchShape}] for '${key}'. Check inputSize, hiddenSize, numLayers and bidirectional.`,
        );
      }
      converted.set(key, transpose ? tf.transpose(value) : value);
    }
    if (strict) {
      const known = new Set([...names.values()].map((n) => n.torch));
      for (const key of given.keys()) {
        if (!known.has(key)) {
          throw new StateDictError(
            key,
            `fromPyTorch: unexpected '${key}'; expected ${[...known].join(', ')}. Pass { strict: false } to ignore it.`,
          );
        }
      }
    }
    module.loadStateDict(converted, { strict: false });
  } finally {
    for (const [key, t] of converted) if (names.get(key)!.transpose) t.dispose();
  }
}
