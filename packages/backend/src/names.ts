/** Every backend seqzoo can ask tfjs for, in the order `auto` prefers them (fastest first). */
export const BACKENDS = ['cuda', 'webgpu', 'webgl', 'tensorflow', 'wasm', 'cpu'] as const;

export type ConcreteBackend = (typeof BACKENDS)[number];
export type BackendName = 'auto' | ConcreteBackend;

export function isBackendName(name: string): name is BackendName {
  return name === 'auto' || (BACKENDS as readonly string[]).includes(name);
}
