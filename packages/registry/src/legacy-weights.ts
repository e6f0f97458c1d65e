import type * as tf from '@tensorflow/tfjs-core';
import type { SavableModule } from './module';
import type { ModelDefinition } from './plugin';
import { parseSafetensors } from './safetensors/parse';

/** Turns the decoded tensors of an old weights file into the model's current `stateDict()`. */
export type WeightsUpgrade = (state: Map<string, tf.Tensor>) => Map<string, tf.Tensor>;

/**
 * The definition's upgrade for a weights file (seqzoo naming) whose names do not match the model
 * built from the config: `definition.legacyWeights(names, model)`, or null when the definition
 * has none, the file is not seqzoo-named or not a layout the definition knows.
 */
export function legacyUpgrade(
  definition: ModelDefinition,
  model: SavableModule,
  file: Uint8Array,
  naming: string,
  maxHeaderBytes: number,
): WeightsUpgrade | null {
  if (naming !== 'seqzoo' || !definition.legacyWeights) return null;
  let names: string[];
  try {
    names = [...parseSafetensors(file, { maxHeaderBytes }).tensors.keys()];
  } catch {
    return null;
  }
  return definition.legacyWeights(names, model) ?? null;
}
