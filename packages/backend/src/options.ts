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
}
