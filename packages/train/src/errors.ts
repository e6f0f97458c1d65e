/**
 * Thrown by `fit` when a step's loss or gradient norm is NaN or ±Inf. Nothing of that step is
 * applied; the checkpoints written before it are kept (`lastCheckpoint` names the newest).
 */
export class NonFiniteLossError extends Error {
  override readonly name = 'NonFiniteLossError';
  constructor(
    /** The 1-based step whose loss or gradients were not finite. */
    readonly step: number,
    readonly loss: number,
    readonly gradNorm: number,
    readonly lastCheckpoint: string | null,
  ) {
    super(
      `Training diverged at step ${step}: loss ${loss}, gradient norm ${gradNorm}. The update was not applied. ${
        lastCheckpoint
          ? `The last good checkpoint is ${lastCheckpoint}; resume from it`
          : 'No checkpoint was written yet; restart'
      } with a lower learning rate or gradient clipping (clipGradNorm).`,
    );
  }
}

/** Thrown for fit options that cannot work: names the option and what it accepts. */
export class FitOptionsError extends Error {
  override readonly name = 'FitOptionsError';
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`fit: option '${option}' ${message}`);
  }
}

/** Thrown when a checkpoint cannot be read or does not fit the model/optimizer being resumed. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
  constructor(
    message: string,
    readonly path?: string,
    options?: { cause?: unknown },
  ) {
    super(`${path ? `${path}: ` : ''}${message}`, options);
  }
}

/**
 * Thrown before training starts when the data cannot train a model: no training examples, too
 * few to hold out a validation split, or an epoch that yields no batches. `field` names the part
 * of the data (`train`, `validation`) so that a command line can name its flag.
 */
export class TrainingDataError extends Error {
  override readonly name = 'TrainingDataError';
  constructor(
    readonly field: 'train' | 'validation',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Thrown when a data-parallel worker fails: it could not build its replica (the plugin module
 * did not load, the config did not validate), its loss threw, or it exited. The run stops and
 * every worker is stopped.
 */
export class ReplicaError extends Error {
  override readonly name = 'ReplicaError';
}
