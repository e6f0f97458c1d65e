// Plain Node resolves '#register-gradients' here: tfjs-core's ESM files cannot be imported by
// Node directly, and its CommonJS bundle ships no gradients. In Node, register them by importing
// '@tensorflow/tfjs', '@tensorflow/tfjs-node' or '@tensorflow/tfjs-layers' once in your app.
// Bundlers (Vite, webpack, esbuild) and Vitest take the 'module' condition and get the real ones.
export {};
