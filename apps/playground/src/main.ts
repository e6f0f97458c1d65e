// tfjs-core's entry first (it registers the env flags), then the gradients that training needs.
import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { GradientPanel } from './gradient-panel';
import { LmPanel } from './lm-panel';
import { Page } from './page';
import { Seq2SeqPanel } from './seq2seq-panel';

const page = new Page();
const lm = new LmPanel(page);
const seq2seq = new Seq2SeqPanel(page);
const gradients = new GradientPanel(page);
// Models live on the backend they were made on: a switch drops them (train or load again).
page.onBackendChange = () => {
  lm.disposeModel();
  seq2seq.disposeModel();
  gradients.disposeModels();
};
page.run(() => page.useBackend('webgl'));
