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

export interface EpochEndEvent {
  epoch: number;
  step: number;
  /** Mean training loss over the epoch's steps (of this process). */
  loss: number;
  /** Validation loss and metrics, when validation ran at this epoch's end. */
  validation?: Record<string, number>;
}

export interface CheckpointEvent {
  step: number;
  path: string;
}

/** All optional; may be async (fit waits for them). */
export interface Callbacks {
  onBatchEnd?(event: BatchEndEvent): void | Promise<void>;
  onProgress?(event: ProgressEvent): void | Promise<void>;
  onEpochEnd?(event: EpochEndEvent): void | Promise<void>;
  onValidation?(event: {
    step: number;
    epoch: number;
    results: Record<string, number>;
  }): void | Promise<void>;
  onCheckpoint?(event: CheckpointEvent): void | Promise<void>;
}
