/** Options of `useBackend` (wasm threads, the Vulkan driver of webgpu in Node…). */
export interface UseBackendOptions {
  /**
   * wasm: where the `.wasm` binaries are served, in the browser. A folder URL ending in `/`, or a
   * map from file name (`tfjs-backend-wasm-simd.wasm`, …) to URL. Node needs nothing: the package
   * ships the SIMD binary and loads it from disk.
   */
  wasmPaths?: string | Record<string, string>;
  /**
   * webgpu in Node: a Vulkan ICD manifest for Dawn (sets `VK_ICD_FILENAMES` before Dawn starts),
   * for instance Chromium's SwiftShader at `/usr/lib/chromium/vk_swiftshader_icd.json`.
   */
  vulkanIcd?: string;
  /**
   * Accept a software GPU (SwiftShader, llvmpipe) for webgl/webgpu. Defaults to true when the
   * backend is asked for by name, and to false for `auto`, which wants the fastest backend.
   */
  allowSoftwareGpu?: boolean;
  /**
   * Replace the tfjs kernels that fall off a performance cliff with seqzoo's equivalent ones
   * (wasm: BatchMatMul and _FusedMatMul with transpose flags or batches, Slice, SplitV, Unpack; see
   * the README). They give the stock kernels' results and speed up every tfjs op in the app,
   * tfjs-layers included. Default true; `false` leaves tfjs untouched (and removes fixes applied
   * by an earlier call). Backends without known cliffs are not changed either way.
   */
  kernels?: boolean;
  /**
   * wasm: how many threads compute each op (tfjs-backend-wasm's threaded SIMD build, XNNPACK's
   * thread pool): `1` (the single-threaded build), `2`…`8`, or `'auto'` (see the README for the
   * rule). Not given: `SEQZOO_WASM_THREADS` in Node if set, else a running wasm backend is kept as
   * it is, else 1. Fixed when the backend starts: asking for another count disposes and restarts
   * it (refused while it holds tensors). More than 1 needs SharedArrayBuffer: in a browser, a
   * cross-origin isolated page (COOP/COEP headers); otherwise `BackendUnavailableError`.
   */
  threads?: number | 'auto';
}
