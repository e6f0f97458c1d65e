import { definePlugin } from '../plugin';
import { exampleMlp } from './mlp';

/** The example plugin: namespace 'example', used by the tests and the README. */
export const examplePlugin = definePlugin({
  namespace: 'example',
  version: '0.1.0',
  models: { mlp: exampleMlp },
});
