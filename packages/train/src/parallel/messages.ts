/** What the main thread sends a replica when it starts (worker data). */
export interface ReplicaInit {
  /** Where the plugin is imported from (`Plugin.module`). */
  readonly module: string;
  readonly namespace: string;
  readonly id: string;
  readonly config: unknown;
  readonly vocabularies: Record<string, unknown> | undefined;
  /** The main thread's backend (cpu, wasm…): replicas run on it with one thread each. */
  readonly backend: string;
  /** The training examples, when the task's `prepare` needs them. */
  readonly train: readonly unknown[] | null;
  /** The parameters, written by the main thread before each step. */
  readonly weights: SharedArrayBuffer;
  /** This replica's gradients, written by it for each part it is sent. */
  readonly grads: SharedArrayBuffer;
}

/** A part of a batch to compute the loss gradient of. */
export interface StepRequest {
  readonly part: unknown;
  readonly labelSmoothing: number | undefined;
}

export type ReplicaReply =
  | { readonly kind: 'ready' }
  | { readonly kind: 'step'; readonly loss: number; readonly size: number }
  | { readonly kind: 'error'; readonly message: string; readonly stack?: string };
