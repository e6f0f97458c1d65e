/** What `threads: 'auto'` resolved to, and why. */
export interface AutoThreads {
  threads: number;
  why: string;
}

/** `threads: 'auto'`: one thread until measurements say when more pay off (see the README). */
export async function autoThreads(): Promise<AutoThreads> {
  return { threads: 1, why: 'one thread (not yet measured to pay off)' };
}
