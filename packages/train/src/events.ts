/** After each optimizer step. */
export interface BatchEndEvent {
  /** Steps taken so far (1 after the first). */
  step: number;
  epoch: number;
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  lr: number;
}

/** Progress, after each step: speed and time left where they can be known. */
export interface ProgressEvent extends BatchEndEvent {
  /** Steps in the whole run, when known (maxSteps, or epochs × batches per epoch). */
  totalSteps: number | undefined;
  stepsPerSecond: number;
  /** Only when `tokensOf` is given. */
  tokensPerSecond: number | undefined;
  elapsedMs: number;
  etaMs: number | undefined;
}

/** After each epoch. */
export interface EpochEndEvent {
  epoch: number;
  step: number;
  /** Mean training loss over the epoch's steps (of this process). */
  loss: number;
  /** Validation loss and metrics, when validation ran at this epoch's end. */
  validation?: Record<string, number>;
}

/** After a checkpoint was written: its step and folder. */
export interface CheckpointEvent {
  step: number;
  path: string;
}

/** All optional; may be async (fit waits for them). */
export interface Callbacks {
  /** After each optimizer step. */
  onBatchEnd?(event: BatchEndEvent): void | Promise<void>;
  /** After each step, with speed and time left. */
  onProgress?(event: ProgressEvent): void | Promise<void>;
  /** After each epoch. */
  onEpochEnd?(event: EpochEndEvent): void | Promise<void>;
  /** After each validation run, with its loss and metrics. */
  onValidation?(event: {
    step: number;
    epoch: number;
    results: Record<string, number>;
  }): void | Promise<void>;
  /** After each checkpoint is written. */
  onCheckpoint?(event: CheckpointEvent): void | Promise<void>;
}
