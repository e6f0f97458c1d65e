/**
 * The model shipped in this package. Each file is a literal `new URL('…', import.meta.url)`, the
 * form bundlers (Vite, webpack 5, Rollup, esbuild with a plugin, Parcel) recognise: in a browser
 * app the files become hashed assets; in Node they are read from the package folder.
 */
export function packagedModelFiles(): Record<string, URL> {
  return {
    'model.json': new URL('../model/model.json', import.meta.url),
    'weights.safetensors': new URL('../model/weights.safetensors', import.meta.url),
  };
}

/** The registry's read-only storage over one URL per file (the packaged model's files). */
export { urlStorage } from '@seqzoo/registry';
