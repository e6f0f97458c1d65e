/** The data-parallel workloads of the cores suite (bench/src/workers/child.ts builds them). */
export const WORKER_WORKLOADS = ['lstm-M-train', 'gru-M-train', 'g2p-train'] as const;
