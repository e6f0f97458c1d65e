import { createRegistry, loadModel } from '@seqzoo/registry';
import { type Seq2SeqModel, seq2seqPlugin, type Translation } from '@seqzoo/seq2seq';
import * as tf from '@tensorflow/tfjs-core';
import { attentionMap } from './attention-map';
import { byId, numberField } from './dom';
import type { Page } from './page';

/**
 * Loads a `seq2seq:attention` model folder over http(s) (what `seqzoo train --out` writes,
 * served as static files), translates the typed input with beam search and draws the attention
 * of the chosen hypothesis.
 */
export class Seq2SeqPanel {
  private model: Seq2SeqModel | null = null;
  private input = '';
  private readonly status = byId<HTMLOutputElement>('model-status');
  private readonly list = byId<HTMLOListElement>('translations');
  private readonly heatmap = byId('attention');
  private readonly translateButton = byId<HTMLButtonElement>('translate');

  constructor(private readonly page: Page) {
    byId('load').addEventListener('click', () => page.run(() => this.load()));
    this.translateButton.addEventListener('click', () => page.run(async () => this.translate()));
    byId('source').addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Enter' && this.model)
        page.run(async () => this.translate());
    });
  }

  async load(): Promise<void> {
    const field = byId<HTMLInputElement>('model-url').value.trim();
    if (!field) throw new Error('Give the URL of a model folder, e.g. /models/dates/.');
    // A path on this site becomes an http(s) URL: the registry reads those with fetch.
    const url = new URL(field, window.location.href).href;
    this.disposeModel();
    this.status.dataset.state = 'loading';
    this.status.textContent = `loading ${url}…`;
    const registry = createRegistry({ plugins: [seq2seqPlugin] });
    let saved: Awaited<ReturnType<typeof loadModel>>;
    try {
      saved = await loadModel(registry, url, { backend: this.page.backend });
    } catch (error) {
      this.status.dataset.state = 'failed';
      this.status.textContent = '';
      throw error;
    }
    if (saved.optimizer) tf.dispose([...saved.optimizer.tensors.values()]);
    const model = saved.model as unknown as Seq2SeqModel;
    model.eval();
    this.model = model;
    const training = (saved.training ?? {}) as { dataset?: string; steps?: number };
    this.status.dataset.state = 'loaded';
    this.status.textContent = `${saved.id}, ${model.numParameters()} parameters${
      training.steps ? `, trained ${training.steps} steps` : ''
    }${training.dataset ? ` on ${training.dataset}` : ''}`;
    this.translateButton.disabled = false;
    this.translate();
  }

  translate(): void {
    if (!this.model) throw new Error('Load a model first.');
    const input = byId<HTMLInputElement>('source').value;
    if (input.trim() === '') throw new Error('Type something to translate.');
    const beam = numberField('beam', 1);
    this.input = input;
    const [hypotheses] = this.model.translator.translate(
      [input],
      beam > 1 ? { beamWidth: beam, nBest: beam } : { method: 'greedy' },
    );
    this.list.replaceChildren(
      ...hypotheses.map((h, i) => {
        const li = document.createElement('li');
        li.className = 'translation';
        li.dataset.score = h.score.toFixed(4);
        const text = document.createElement('button');
        text.type = 'button';
        text.textContent = h.text;
        text.title = 'show its attention';
        text.addEventListener('click', () => this.show(h, li));
        const score = document.createElement('span');
        score.className = 'score';
        score.textContent = ` score ${h.score.toFixed(3)} (log p ${h.logProb.toFixed(3)})${h.ended ? '' : ', cut at the length limit'}`;
        li.append(text, score);
        if (i === 0) queueMicrotask(() => this.show(h, li));
        return li;
      }),
    );
    this.page.countTensors();
  }

  private show(h: Translation, li: HTMLLIElement): void {
    for (const other of this.list.children) other.classList.remove('shown');
    li.classList.add('shown');
    if (!h.attention) {
      this.heatmap.textContent = "This model has no attention (config attention: 'none').";
      return;
    }
    this.heatmap.replaceChildren(attentionMap(h, this.input));
  }

  disposeModel(): void {
    this.model?.dispose();
    this.model = null;
    this.translateButton.disabled = true;
    this.status.dataset.state = 'none';
    this.status.textContent = '';
    this.list.replaceChildren();
    this.heatmap.replaceChildren();
    this.page.countTensors();
  }
}
