// A user's browser app: the app picks the backend, then loads the package and phonemizes.
import '@tensorflow/tfjs-backend-cpu';
import { loadG2P } from '@seqzoo/g2p-en';
import * as tf from '@tensorflow/tfjs-core';

const out = document.getElementById('out') as HTMLElement;
try {
  await tf.setBackend('cpu');
  const g2p = await loadG2P();
  const result = {
    seqzoo: g2p.word('seqzoo'),
    hello: g2p.word('hello'),
    text: g2p.text('Read 12 words.').map((t) => t.phonemes?.join(' ') ?? t.text),
    backend: g2p.info.backend.backend,
    dtype: g2p.info.model.dtype,
    entries: g2p.info.dictionary?.entries,
  };
  out.textContent = JSON.stringify(result);
  document.body.dataset.state = 'ready';
} catch (error) {
  out.textContent = String((error as Error).stack ?? error);
  document.body.dataset.state = 'error';
}
