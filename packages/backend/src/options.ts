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
}
