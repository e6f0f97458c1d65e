import { BackendUnavailableError } from '@seqzoo/backend';
import * as tf from '@tensorflow/tfjs-core';
import { activate, describeBackend, type PageBackend } from './backend';
import { byId } from './dom';

/**
 * What the panels share: the backend in use, one place that shows errors, and the tensor count
 * (tf.memory().numTensors, which must stay flat across training steps and decodes).
 */
export class Page {
  backend: PageBackend = 'webgl';
  private readonly error = byId<HTMLParagraphElement>('error');
  private readonly info = byId<HTMLOutputElement>('backend-info');
  private readonly tensors = byId<HTMLOutputElement>('tensors');
  private readonly picker = byId<HTMLSelectElement>('backend');
  private busy = 0;
  /** Set when the GPU device or context of the backend in use was lost (the GPU process died). */
  private lost: string | null = null;
  /** Called after a successful backend switch (models on the old one are dropped). */
  onBackendChange: () => void = () => {};

  constructor() {
    this.picker.addEventListener('change', () =>
      this.run(() => this.useBackend(this.picker.value as PageBackend)),
    );
  }

  /** Runs a user action; its error, if any, is shown in the page. */
  run(task: () => Promise<void>): void {
    this.busy++;
    this.picker.disabled = true;
    this.showError(null);
    task()
      .catch((error) => this.showError(error))
      .finally(() => {
        this.busy--;
        this.picker.disabled = this.busy > 0;
        this.countTensors();
      });
  }

  showError(error: unknown): void {
    if (error === null) {
      this.error.hidden = true;
      this.error.textContent = '';
      return;
    }
    let message = error instanceof Error ? error.message : String(error);
    if (this.lost) message = `${this.lost} (${message})`;
    this.error.hidden = false;
    this.error.textContent = message;
    this.error.dataset.kind = error instanceof Error ? error.name : 'Error';
    console.warn(error);
  }

  /** Switches tfjs to `name`; on failure the previous backend stays, and the page says why. */
  async useBackend(name: PageBackend): Promise<void> {
    this.info.dataset.state = 'starting';
    this.info.textContent = `starting ${name}…`;
    try {
      const info = await activate(name);
      if (name !== this.backend) this.onBackendChange();
      this.backend = name;
      this.info.dataset.state = 'ready';
      this.info.dataset.backend = info.name;
      this.info.dataset.device = info.device;
      this.info.dataset.adapter = info.adapter ?? '';
      this.info.dataset.softwareGpu = String(Boolean(info.softwareGpu));
      this.info.textContent = describeBackend(info);
      this.lost = null;
      this.watchForLoss(name);
    } catch (error) {
      const current = (tf.engine() as unknown as { backendName: string | null }).backendName;
      this.info.dataset.state = 'unavailable';
      this.info.textContent = current
        ? `${name} is unavailable; still on ${current}`
        : `${name} is unavailable`;
      this.picker.value = current && current !== name ? this.backend : name;
      if (error instanceof BackendUnavailableError) throw error;
      throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * A GPU backend dies with its device (webgpu) or context (webgl) when the browser's GPU process
   * crashes or resets; tfjs then fails with messages that do not say so. This says so.
   */
  private watchForLoss(name: PageBackend): void {
    const backend = tf.backend() as unknown as {
      device?: { lost?: Promise<{ message?: string; reason?: string }> };
      gpgpu?: { gl?: { canvas?: EventTarget } };
    };
    const lost = (detail: string) => {
      if (this.backend !== name) return;
      this.lost = `The ${name} ${name === 'webgpu' ? 'device' : 'context'} was lost${detail ? ` (${detail})` : ''}: the browser's GPU process crashed or was reset. Pick another backend, or reload the page`;
      this.info.dataset.state = 'lost';
      this.info.textContent = `${name}: lost`;
      this.showError(new Error('the models on it are gone'));
    };
    if (name === 'webgpu') {
      backend.device?.lost?.then((info) => lost(info.message || info.reason || ''));
    } else if (name === 'webgl') {
      backend.gpgpu?.gl?.canvas?.addEventListener('webglcontextlost', () => lost(''), {
        once: true,
      });
    }
  }

  countTensors(): number {
    const n = tf.memory().numTensors;
    this.tensors.value = `${n} tensors`;
    this.tensors.dataset.count = String(n);
    return n;
  }
}
