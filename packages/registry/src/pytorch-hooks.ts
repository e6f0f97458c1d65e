import { Module } from '@seqzoo/layers';
import type * as tf from '@tensorflow/tfjs-core';
import type { SavableModule } from './module';
import type { ModelDefinition } from './plugin';
import { exportPytorchState, importPytorchState } from './pytorch';

export interface PytorchMapping {
  toPytorch(model: SavableModule): Map<string, tf.Tensor>;
  fromPytorch(model: SavableModule, state: Map<string, tf.Tensor>, where: string): void;
}

/** The PyTorch mapping a definition asks for, or null to save seqzoo names. */
export function pytorchMapping(
  definition: ModelDefinition,
  model: SavableModule,
): PytorchMapping | null {
  const p = definition.pytorch ?? true;
  if (p === false) return null;
  if (p === true) {
    if (!(model instanceof Module)) return null;
    return {
      toPytorch: (m) => exportPytorchState(m as Module),
      fromPytorch: (m, state, where) => importPytorchState(m as Module, state, where),
    };
  }
  return { toPytorch: (m) => p.toPytorch(m), fromPytorch: (m, state) => p.fromPytorch(m, state) };
}
