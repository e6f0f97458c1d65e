import type { ConcreteBackend } from './names';
import type { Platform } from './platform';

/** What `useBackend` got: the backend really in use, checked with a computation. */
export interface BackendInfo {
  /** seqzoo's name for it (`cuda` and `tensorflow` both run tfjs's `tensorflow` backend). */
  backend: ConcreteBackend;
  /** The name tfjs knows it by (`tf.getBackend()`). */
  name: string;
  device: 'cpu' | 'gpu';
  platform: Platform;
  /** Bits of float precision the backend computes with (16 on some mobile GPUs). */
  floatPrecision: 16 | 32;
  /** GPU backends: the adapter or renderer string, e.g. `Google SwiftShader`. */
  adapter?: string;
  /** GPU backends: true when the "GPU" is a software renderer. */
  softwareGpu?: boolean;
  /** wasm: the threads each op computes with (1: the single-threaded build). */
  threads?: number;
  /** wasm with `threads: 'auto'`: why that count (idle cores and load average). */
  threadsReason?: string;
  /** `auto` only: what was picked and why the faster ones were not. */
  reason?: string;
}
