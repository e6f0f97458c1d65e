// A user's browser app: the app picks the backend, then loads the package and classifies.
import '@tensorflow/tfjs-backend-cpu';
import { loadSpamFilter } from '@seqzoo/spam-en';
import * as tf from '@tensorflow/tfjs-core';

const out = document.getElementById('out') as HTMLElement;
try {
  await tf.setBackend('cpu');
  const filter = await loadSpamFilter();
  const [spam, ham] = filter.classify([
    'Congratulations! You have won a FREE prize. Click here to claim your cash now, limited time offer!',
    'Hi Tom, I pushed the fix for the build failure. Could you review the patch before the meeting tomorrow? Thanks, Anna',
  ]);
  const result = {
    spam,
    ham,
    backend: filter.info.backend.backend,
    features: filter.info.model.features,
  };
  out.textContent = JSON.stringify(result);
  document.body.dataset.state = 'ready';
} catch (error) {
  out.textContent = String((error as Error).stack ?? error);
  document.body.dataset.state = 'error';
}
