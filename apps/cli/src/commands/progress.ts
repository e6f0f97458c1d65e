import type { CheckpointEvent, EpochEndEvent, ProgressEvent } from '@seqzoo/train';
import cliProgress from 'cli-progress';

/** Where training events go: a progress bar on stderr, or JSON lines on stdout (`--json`). */
export interface Reporter {
  /** A named event of the command (`start`: model, backend, examples, parameters, out). */
  event(name: string, data: Record<string, unknown>): void;
  /** A training step's progress (step, loss, tokens/s, ETA). */
  progress(p: ProgressEvent): void;
  /** The end of an epoch, with its validation metrics. */
  epoch(e: EpochEndEvent): void;
  /** A checkpoint written. */
  checkpoint(c: CheckpointEvent): void;
  /** Training is over: close the bar. */
  stop(): void;
}

/** One JSON object per event on `write` (`seqzoo train --json`). */
export function jsonReporter(write: (line: string) => void): Reporter {
  const emit = (event: string, data: object) => write(JSON.stringify({ event, ...data }));
  return {
    event: emit,
    progress: (p) => emit('progress', p),
    epoch: (e) => emit('epoch', e),
    checkpoint: (c) => emit('checkpoint', c),
    stop() {},
  };
}

/** A cli-progress bar on stderr: step/total, loss, tokens/s and ETA; epoch lines above it. */
export function barReporter(log: (line: string) => void): Reporter {
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format:
        '{bar} {percentage}% | step {value}/{total} | epoch {epoch} | loss {loss} | {tps} tok/s | ETA {eta_formatted}',
      etaBuffer: 50,
      hideCursor: false,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    event(name, data) {
      if (name === 'start') {
        log(
          `training ${data.modelId} on ${data.backend}: ${data.examples} examples, ${data.parameters} parameters → ${data.out}`,
        );
      }
    },
    progress(p) {
      const payload = {
        epoch: p.epoch + 1,
        loss: p.loss.toFixed(4),
        tps: p.tokensPerSecond === undefined ? '-' : Math.round(p.tokensPerSecond),
      };
      const total = p.totalSteps ?? p.step + 1;
      if (!started) {
        bar.start(total, p.step, payload);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(p.step, payload);
      }
    },
    epoch(e) {
      const val = e.validation
        ? `  ${Object.entries(e.validation)
            .map(([k, v]) => `val ${k} ${v.toFixed(4)}`)
            .join('  ')}`
        : '';
      if (!process.stderr.isTTY)
        log(`epoch ${e.epoch + 1}  step ${e.step}  loss ${e.loss.toFixed(4)}${val}`);
    },
    checkpoint() {},
    stop() {
      if (started) bar.stop();
    },
  };
}

/** What `seqzoo train` was asked for that bears on why it stopped. */
export interface StopLimits {
  epochs?: number;
  maxSteps?: number;
  maxMinutes?: number;
  patience?: number;
}

/**
 * The last line of `seqzoo train`, a sentence that says why training stopped, in the flags the
 * user gave: `stopped: time budget (--max-minutes 10) used up after 168 steps; model saved to …`.
 * `stopReason` is fitTask's (`completed`, `maxSteps`, `earlyStopping`, `aborted`, `timeBudget`)
 * or the CLI's own (`interrupted`, `maxMinutes`).
 */
export function stopLine(
  stopReason: string,
  steps: number,
  limits: StopLimits,
  saved: { out: string; lastCheckpoint?: string | null },
): string {
  const flag = (name: string, value: number | undefined) =>
    value === undefined ? '' : ` (${name} ${value})`;
  const after = `after ${steps} step${steps === 1 ? '' : 's'}`;
  let why: string;
  switch (stopReason) {
    case 'completed':
      why =
        limits.epochs === undefined
          ? `finished: all epochs done ${after}`
          : `finished: ${limits.epochs} epoch${limits.epochs === 1 ? '' : 's'} (--epochs) done ${after}`;
      break;
    case 'maxSteps':
      why = `stopped: step limit${flag('--max-steps', limits.maxSteps)} reached ${after}`;
      break;
    case 'maxMinutes':
    case 'timeBudget':
      why = `stopped: time budget${flag('--max-minutes', limits.maxMinutes)} used up ${after}`;
      break;
    case 'earlyStopping':
      why = `stopped early: validation did not improve${limits.patience === undefined ? '' : ` for ${limits.patience} validations (--patience ${limits.patience})`} ${after}`;
      break;
    case 'interrupted':
    case 'aborted':
      why = `stopped: interrupted (Ctrl-C) ${after}`;
      break;
    default:
      why = `stopped (${stopReason}) ${after}`;
  }
  const checkpoint = saved.lastCheckpoint ? `, checkpoint ${saved.lastCheckpoint}` : '';
  return `${why}; model saved to ${saved.out}${checkpoint}`;
}
