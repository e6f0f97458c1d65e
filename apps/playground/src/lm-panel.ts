import { Dataset } from '@seqzoo/data';
import { adam } from '@seqzoo/optimizers';
import { gatesChart } from '@seqzoo/plot';
import { languageModelGates } from '@seqzoo/plot/inside';
import { createRegistry } from '@seqzoo/registry';
import { fit } from '@seqzoo/train';
import { type RecurrentLM, zooPlugin } from '@seqzoo/zoo';
import { byId, nextFrame, numberField } from './dom';
import { drawLossChart } from './loss-chart';
import { nameTexts } from './names-data';
import type { Page } from './page';

/** Samples shown after training and per click on "Generate". */
const SAMPLES = 5;

/**
 * Trains `zoo:char-lm` (made through the registry, as `seqzoo train` does) with @seqzoo/train's
 * fit: one optimizer step per truncated-BPTT window, the chart and step counter updated as it
 * goes, then samples.
 */
export class LmPanel {
  private model: RecurrentLM | null = null;
  private controller: AbortController | null = null;
  private sampleSeed = 0;
  private readonly chart = byId<HTMLDivElement>('loss-chart');
  private readonly logY = byId<HTMLInputElement>('loss-log');
  private readonly gatesBox = byId<HTMLDivElement>('gates');
  private readonly gatesButton = byId<HTMLButtonElement>('show-gates');
  private losses: number[] = [];
  private readonly stepOut = byId<HTMLOutputElement>('step');
  private readonly status = byId<HTMLOutputElement>('train-status');
  private readonly speed = byId<HTMLOutputElement>('speed');
  private readonly samples = byId<HTMLOListElement>('samples');
  private readonly trainButton = byId<HTMLButtonElement>('train');
  private readonly stopButton = byId<HTMLButtonElement>('stop');
  private readonly generateButton = byId<HTMLButtonElement>('generate');

  constructor(private readonly page: Page) {
    this.trainButton.addEventListener('click', () => page.run(() => this.train()));
    this.stopButton.addEventListener('click', () => this.controller?.abort());
    this.generateButton.addEventListener('click', () => page.run(async () => this.generate()));
    this.gatesButton.addEventListener('click', () => page.run(async () => this.showGates()));
    this.logY.addEventListener('change', () => this.redraw());
    drawLossChart(this.chart, []);
  }

  private redraw(): void {
    drawLossChart(this.chart, this.losses, this.logY.checked);
  }

  /** The training texts: the names dataset, or the textarea's non-empty lines. */
  private async texts(): Promise<string[]> {
    const source = document.querySelector<HTMLInputElement>('input[name=source]:checked')?.value;
    if (source === 'names') return nameTexts();
    const lines = byId<HTMLTextAreaElement>('text')
      .value.split(/\r?\n/)
      .filter((l) => l.trim() !== '');
    if (lines.length === 0) throw new Error('The text box is empty: paste some lines to train on.');
    return lines;
  }

  private setState(state: 'idle' | 'loading' | 'training' | 'done' | 'stopped', text = ''): void {
    this.status.dataset.state = state;
    this.status.textContent = text;
  }

  async train(): Promise<void> {
    const config = {
      cell: byId<HTMLSelectElement>('cell').value,
      hiddenSize: numberField('hidden', 1),
      embeddingSize: numberField('embedding', 1),
      bptt: numberField('bptt', 2),
      seed: 0,
    };
    const batchSize = numberField('batch', 1);
    const lr = numberField('lr', 0, false);
    const maxSteps = numberField('steps', 1);
    this.disposeModel();
    this.setState('loading', 'reading the texts…');
    const texts = await this.texts();
    const registry = createRegistry({ plugins: [zooPlugin] });
    const model = (await registry.create<RecurrentLM>('zoo:char-lm' as string, config, {
      backend: this.page.backend,
    })) as unknown as RecurrentLM;
    this.model = model;
    const batches = model.windows(texts, { batchSize, seed: 0 });
    const optimizer = adam(model.namedParameters(), { lr });
    const losses: number[] = [];
    this.losses = losses;
    const tensors: number[] = [];
    this.controller = new AbortController();
    this.trainButton.disabled = true;
    this.stopButton.disabled = false;
    this.generateButton.disabled = true;
    this.samples.replaceChildren();
    this.redraw();
    this.setState(
      'training',
      `${texts.length} texts, ${model.vocab.size} tokens, ${model.numParameters()} parameters, ${batches.length} windows an epoch`,
    );
    const start = performance.now();
    let result: Awaited<ReturnType<typeof fit>>;
    try {
      result = await fit(model, Dataset.from(batches), {
        optimizer,
        maxSteps,
        clipGradNorm: 1,
        signal: this.controller.signal,
        callbacks: {
          onProgress: async (e) => {
            losses.push(e.loss);
            tensors.push(this.page.countTensors());
            this.stepOut.value = String(e.step);
            this.stepOut.dataset.step = String(e.step);
            this.stepOut.dataset.tensors = JSON.stringify(tensors);
            this.speed.value = `${e.stepsPerSecond.toFixed(2)} steps/s`;
            this.speed.dataset.stepsPerSecond = e.stepsPerSecond.toFixed(3);
            if (e.step % 5 === 0 || e.step === 1) this.redraw();
            await nextFrame();
          },
        },
      });
    } finally {
      model.resetState();
      optimizer.dispose();
      model.eval();
      this.controller = null;
      this.trainButton.disabled = false;
      this.stopButton.disabled = true;
    }
    const seconds = (performance.now() - start) / 1000;
    this.redraw();
    this.speed.value = `${(result.steps / seconds).toFixed(2)} steps/s`;
    this.speed.dataset.stepsPerSecond = (result.steps / seconds).toFixed(3);
    this.setState(
      result.stopReason === 'aborted' ? 'stopped' : 'done',
      `${result.steps} steps in ${seconds.toFixed(1)} s, last loss ${losses.at(-1)?.toFixed(3)}`,
    );
    this.generateButton.disabled = false;
    this.gatesButton.disabled = model.config.cell !== 'lstm';
    this.generate();
    if (model.config.cell === 'lstm') this.showGates();
  }

  /**
   * The LSTM's input, forget and output gates while it reads the text of #gates-text (after the
   * <eos> every sequence starts with), drawn by @seqzoo/plot's gates chart.
   */
  showGates(): void {
    if (!this.model) throw new Error('Train the model first.');
    if (this.model.config.cell !== 'lstm') {
      throw new Error('Gates exist only for an LSTM: pick cell lstm and train again.');
    }
    const text = byId<HTMLInputElement>('gates-text').value;
    if (text.trim() === '') throw new Error('Type a text for the model to read.');
    const { tokens, input, forget, output } = languageModelGates(this.model, text);
    this.gatesBox.innerHTML = gatesChart(
      tokens.map((t) => (t.length > 1 ? '?' : t)),
      { input, forget, output },
      { units: 4, title: `LSTM gates while reading '${text}'` },
    );
    this.gatesBox.dataset.columns = String(tokens.length);
    this.page.countTensors();
  }

  /** Appends samples from the trained model (a new seed each time). */
  generate(): void {
    if (!this.model) throw new Error('Train the model first.');
    const temperature = numberField('temperature', 0.01, false);
    const items = [];
    for (let i = 0; i < SAMPLES; i++) {
      const text = this.model.generate({ maxLength: 40, temperature, seed: this.sampleSeed++ });
      const li = document.createElement('li');
      li.textContent = text;
      items.push(li);
    }
    this.samples.prepend(...items);
    this.page.countTensors();
  }

  /** Frees the model (a backend switch or a new training run). */
  disposeModel(): void {
    this.controller?.abort();
    this.model?.dispose();
    this.model = null;
    this.generateButton.disabled = true;
    this.gatesButton.disabled = true;
    this.gatesBox.replaceChildren();
    this.page.countTensors();
  }
}
