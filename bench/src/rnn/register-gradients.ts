// tfjs-core's CommonJS bundle, which Node loads, registers no gradients, and its ESM files cannot
// be imported by Node directly. tfjs-layers' Node bundle registers all of them (into tfjs' global
// registry), so every process of the rnn suite imports it first, seqzoo-only runs included.
import '@tensorflow/tfjs-layers';
