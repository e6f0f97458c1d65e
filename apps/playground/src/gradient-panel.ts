import { gradientChart } from '@seqzoo/plot';
import { type GradientFlowCurve, GradientFlowModel } from '@seqzoo/plot/inside';
import { byId, nextFrame, numberField } from './dom';
import type { Page } from './page';

const CELLS = ['rnn', 'gru', 'lstm'] as const;

/**
 * The gradient-flow view: an RNN, a GRU and an LSTM (the same seed and size) learn the copy task
 * ("recall the first symbol") at the training length, one Adam step each in turn; every few
 * steps ‖∂L/∂h_t‖ is measured at the chosen lengths through the layers' own backward pass and
 * the three panels are redrawn side by side (shared log scale).
 */
export class GradientPanel {
  private models: GradientFlowModel[] = [];
  private controller: AbortController | null = null;
  private readonly box = byId<HTMLDivElement>('gradient-chart');
  private readonly status = byId<HTMLOutputElement>('gradient-status');
  private readonly startButton = byId<HTMLButtonElement>('gradient-start');
  private readonly stopButton = byId<HTMLButtonElement>('gradient-stop');

  constructor(private readonly page: Page) {
    this.startButton.addEventListener('click', () => page.run(() => this.start()));
    this.stopButton.addEventListener('click', () => this.controller?.abort());
  }

  private lengths(): number[] {
    const field = byId<HTMLInputElement>('gradient-lengths');
    const lengths = field.value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map(Number);
    if (lengths.length === 0 || lengths.some((n) => !Number.isInteger(n) || n < 2 || n > 200)) {
      throw new Error(
        `lengths: expected whole numbers from 2 to 200, comma-separated, got '${field.value}'.`,
      );
    }
    return lengths;
  }

  private draw(curves: GradientFlowCurve[]): void {
    this.box.innerHTML = gradientChart(curves, { panelWidth: 330, panelHeight: 280 });
    this.box.dataset.curves = JSON.stringify(
      curves.map((c) => ({
        cell: c.cell,
        length: c.length,
        steps: c.steps,
        norms: c.norms.map((v) => Number(v.toPrecision(4))),
      })),
    );
  }

  private measure(lengths: number[]): GradientFlowCurve[] {
    return this.models.flatMap((m) => lengths.map((length) => m.measure(length)));
  }

  async start(): Promise<void> {
    const lengths = this.lengths();
    const trainLength = numberField('gradient-train-length', 2);
    const steps = numberField('gradient-steps', 0);
    const every = numberField('gradient-every', 1);
    this.disposeModels();
    this.models = CELLS.map(
      (cell) => new GradientFlowModel(cell, { hiddenSize: 32, seed: 0, lr: 0.01 }),
    );
    this.controller = new AbortController();
    const signal = this.controller.signal;
    this.startButton.disabled = true;
    this.stopButton.disabled = false;
    this.status.dataset.state = 'running';
    const tensors: number[] = [];
    try {
      this.status.textContent = 'measuring the fresh models…';
      await nextFrame();
      this.draw(this.measure(lengths));
      tensors.push(this.page.countTensors());
      for (let step = 1; step <= steps && !signal.aborted; step++) {
        const losses = this.models.map((m) => m.trainStep(trainLength));
        this.status.textContent = `step ${step}/${steps} at length ${trainLength}: loss ${CELLS.map((c, i) => `${c} ${losses[i].toFixed(2)}`).join(', ')}`;
        if (step % every === 0 || step === steps) {
          this.draw(this.measure(lengths));
          tensors.push(this.page.countTensors());
        }
        await nextFrame();
      }
      this.status.dataset.state = signal.aborted ? 'stopped' : 'done';
      this.status.dataset.tensors = JSON.stringify(tensors);
    } finally {
      this.controller = null;
      this.startButton.disabled = false;
      this.stopButton.disabled = true;
      this.disposeModels();
    }
  }

  /** Frees the three models (a backend switch, a new run, the end of a run). */
  disposeModels(): void {
    this.controller?.abort();
    for (const m of this.models) m.dispose();
    this.models = [];
    this.page.countTensors();
  }
}
