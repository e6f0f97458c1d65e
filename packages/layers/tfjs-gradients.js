// Registers tfjs-core's gradients (and the chained ops some of them call, e.g. AddN's clone) in
// tfjs's global registries. Plain Node cannot load these ESM files (they use extensionless and
// directory imports), and tfjs-core's CommonJS bundle ships no gradients, so @seqzoo/layers'
// build BUNDLES this file into dist (like tfjs-layers does): training works in Node (ESM and
// CJS), in bundlers and in the browser without the app importing anything else.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
