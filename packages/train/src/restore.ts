import type { DatasetState, Rng } from '@seqzoo/data';
import type { Module } from '@seqzoo/layers';
import type { LrSchedule, Optimizer } from '@seqzoo/optimizers';
import type * as tf from '@tensorflow/tfjs-core';
import { readCheckpoint } from './checkpoint';
import type { EarlyStopping, EarlyStoppingState } from './early-stopping';
import { CheckpointError } from './errors';
import type { EpochEndEvent } from './events';

/** Loads a checkpoint into the model, optimizer, schedule, RNG and early stopping; returns where to go on. */
export async function restore(
  path: string,
  into: {
    model: Module;
    optimizer: Optimizer;
    schedule?: LrSchedule;
    rng?: Rng;
    early: EarlyStopping | null;
    /** fit's restore-best tracker, when the run keeps the best weights. */
    bestTracker?: EarlyStopping | null;
  },
): Promise<{
  step: number;
  position: DatasetState;
  history: EpochEndEvent[];
  epochLoss: { sum: number; steps: number };
  stoppedEarly: boolean;
  /** The best weights so far (the caller owns them), or null. */
  bestWeights: Map<string, tf.Tensor> | null;
  best: unknown;
}> {
  const { trainer, weights, optimizer, best } = await readCheckpoint(path);
  try {
    into.model.loadStateDict(weights, { strict: true });
    into.optimizer.loadStateDict({ meta: trainer.optimizer, tensors: optimizer });
    if (into.schedule) {
      if (!trainer.schedule)
        throw new CheckpointError('the run has a schedule but the checkpoint holds none.', path);
      into.schedule.loadStateDict(trainer.schedule);
    }
    if (into.rng) {
      if (!trainer.rng)
        throw new CheckpointError(
          'the run has an rng but the checkpoint holds no RNG state.',
          path,
        );
      into.rng.setState(trainer.rng);
    }
    if (into.early && trainer.earlyStopping)
      into.early.state = trainer.earlyStopping as EarlyStoppingState;
    if (into.bestTracker && trainer.restoreBest)
      into.bestTracker.state = trainer.restoreBest.tracker as EarlyStoppingState;
  } catch (cause) {
    for (const t of best?.values() ?? []) t.dispose();
    if (cause instanceof CheckpointError) throw cause;
    throw new CheckpointError(
      `does not fit this model/optimizer: ${(cause as Error).message}`,
      path,
      { cause },
    );
  } finally {
    for (const t of [...weights.values(), ...optimizer.values()]) t.dispose();
  }
  return {
    step: trainer.step,
    position: trainer.position,
    history: trainer.history as EpochEndEvent[],
    epochLoss: trainer.epochLoss ?? { sum: 0, steps: 0 },
    stoppedEarly: trainer.stoppedEarly === true,
    bestWeights: best,
    best: trainer.restoreBest?.best ?? null,
  };
}
