/**
 * Leaving without losing output. `process.exit()` drops whatever stdout/stderr still hold for a
 * pipe whose reader is slow; here every exit path (done, an error, Ctrl-C) waits until both are
 * flushed, and a reader that went away (`| head -1`: EPIPE) ends the CLI quietly.
 */

type Out = NodeJS.WriteStream;

/** Resolves once everything written to `stream` so far has been handed to the OS. */
export function drained(stream: Out): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', check);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    const check = () => {
      if (stream.destroyed || stream.writableLength === 0) done();
    };
    stream.on('drain', check);
    stream.on('close', done);
    stream.on('error', done);
    if (stream.destroyed || !stream.writable) return done();
    // The callback of an empty write runs after the writes queued before it.
    stream.write('', () => check());
    check();
  });
}

let leaving = false;

/** Sets the exit code, waits for stdout and stderr to drain, then exits. */
export async function exitAfterDrain(code: number): Promise<never> {
  process.exitCode = code;
  if (!leaving) {
    leaving = true;
    await Promise.all([drained(process.stdout), drained(process.stderr)]);
  }
  // Some backends (Dawn for webgpu) keep handles open: the command is done, so leave.
  process.exit(code);
}

/**
 * EPIPE on stdout or stderr (the reader closed the pipe) ends the CLI at once with code 0 and no
 * message; a Ctrl-C that no command handles (or a second one during training) leaves with 130
 * once the output written so far is flushed.
 */
export function guardStdio(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') process.exit(0);
      throw error;
    });
  }
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts += 1;
    // A command with its own handler (training stops after the step) gets the first one.
    if (process.listenerCount('SIGINT') > 1 && interrupts === 1) return;
    void exitAfterDrain(130);
  });
}
