/** Every backend seqzoo can ask tfjs for, in the order `auto` prefers them (fastest first). */
export const BACKENDS = ['cuda', 'webgpu', 'webgl', 'tensorflow', 'wasm', 'cpu'] as const;

/** A backend tfjs really runs (every name but `auto`). */
export type ConcreteBackend = (typeof BACKENDS)[number];
/** What `useBackend` takes: a concrete backend, or `auto` (the fastest that works here). */
export type BackendName = 'auto' | ConcreteBackend;

/** Whether `name` is a backend `useBackend` knows (for names read from flags or files). */
export function isBackendName(name: string): name is BackendName {
  return name === 'auto' || (BACKENDS as readonly string[]).includes(name);
}
