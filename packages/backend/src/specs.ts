import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError } from './errors';
import { guardImport, importNodePackage } from './import-package';
import { applyKernelFixes, removeKernelFixes } from './kernels';
import type { ConcreteBackend } from './names';
import type { UseBackendOptions } from './options';
import type { Platform } from './platform';
import { checkThreadsStarted, startWasm, type WasmPackage } from './wasm-threads';

export interface GpuDetails {
  adapter?: string;
  softwareGpu?: boolean;
  /** wasm: the threads it computes with, and why when they were `'auto'`. */
  threads?: number;
  threadsReason?: string;
}

/** How to load, start and check one backend. */
export interface BackendSpec {
  backend: ConcreteBackend;
  /** The name tfjs registers it under. */
  tfjsName: string;
  /** The npm package that provides it. */
  packageName: string;
  platforms: readonly Platform[];
  device: 'cpu' | 'gpu';
  /** Imports the package(s) so that the tfjs backend factory is registered. */
  load(options: UseBackendOptions): Promise<void>;
  /**
   * Starts the backend: `init` is `tf.setBackend(tfjsName)`; a spec that must set something up
   * around it (wasm's threads) wraps it. Without it, `init` is called as is.
   */
  start?(options: UseBackendOptions, init: () => Promise<boolean>): Promise<boolean>;
  /** After `tf.setBackend`: confirm it is the device promised, and describe it. */
  verify?(options: UseBackendOptions): Promise<GpuDetails>;
  /** What to do when initialisation fails. */
  initHint: string;
}

const SOFTWARE_GPU = /swiftshader|llvmpipe|softpipe|software|basic render|lavapipe/i;

const CUDA_HINT =
  '@tensorflow/tfjs-node-gpu 4.x needs an NVIDIA driver, CUDA 11.2 and cuDNN 8.1 on the library path. ' +
  'Check with `nvidia-smi` (driver and GPU), `ldconfig -p | grep -E "libcudart.so.11|libcudnn.so.8"` (libraries), ' +
  'and that TF_CPP_MIN_LOG_LEVEL=0 node -e "require(\'@tensorflow/tfjs-node-gpu\')" lists your GPU.';

/** The tfjs-backend-wasm module, once `load` imported it. */
let wasmPackage: WasmPackage | undefined;

export const SPECS: Record<ConcreteBackend, BackendSpec> = {
  cpu: {
    backend: 'cpu',
    tfjsName: 'cpu',
    packageName: '@tensorflow/tfjs-backend-cpu',
    platforms: ['node', 'browser'],
    device: 'cpu',
    load: async () => {
      await guardImport(
        'cpu',
        '@tensorflow/tfjs-backend-cpu',
        () => import('@tensorflow/tfjs-backend-cpu'),
      );
    },
    verify: async () => {
      // The cpu backend greets its first Node user with "install tfjs-node"; cpu was asked for
      // by name here, and listBackends says what else exists, so skip the greeting.
      (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
      return {};
    },
    initHint:
      'Check that @tensorflow/tfjs-backend-cpu has the same version as @tensorflow/tfjs-core.',
  },
  wasm: {
    backend: 'wasm',
    tfjsName: 'wasm',
    packageName: '@tensorflow/tfjs-backend-wasm',
    platforms: ['node', 'browser'],
    device: 'cpu',
    load: async (options) => {
      const wasm = await guardImport(
        'wasm',
        '@tensorflow/tfjs-backend-wasm',
        () => import('@tensorflow/tfjs-backend-wasm'),
      );
      wasmPackage = wasm;
      if (options.wasmPaths !== undefined) wasm.setWasmPaths(options.wasmPaths as string);
      if (options.kernels === false) removeKernelFixes('wasm');
      else applyKernelFixes('wasm');
    },
    start: (options, init) => startWasm(wasmPackage as WasmPackage, options.threads, init),
    verify: async (options) => checkThreadsStarted(wasmPackage as WasmPackage, options.threads),
    initHint:
      'In the browser, serve the .wasm files of @tensorflow/tfjs-backend-wasm/dist and pass their location as { wasmPaths }.',
  },
  webgl: {
    backend: 'webgl',
    tfjsName: 'webgl',
    packageName: '@tensorflow/tfjs-backend-webgl',
    platforms: ['browser'],
    device: 'gpu',
    load: async () => {
      await guardImport(
        'webgl',
        '@tensorflow/tfjs-backend-webgl',
        () => import('@tensorflow/tfjs-backend-webgl'),
      );
    },
    verify: async () => {
      const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
      if (!gl) return {};
      const debug = gl.getExtension('WEBGL_debug_renderer_info');
      const adapter = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
      return { adapter, softwareGpu: SOFTWARE_GPU.test(adapter) };
    },
    initHint:
      'The browser gave no WebGL context: enable hardware acceleration, or use wasm. Headless Chromium needs --use-angle=swiftshader (or a GPU).',
  },
  webgpu: {
    backend: 'webgpu',
    tfjsName: 'webgpu',
    packageName: '@tensorflow/tfjs-backend-webgpu',
    platforms: ['node', 'browser'],
    device: 'gpu',
    load: async (options) => {
      const gpu = await webgpuEntryPoint(options);
      const adapter = await gpu.requestAdapter();
      if (!adapter) {
        throw new BackendUnavailableError(
          'webgpu',
          'no WebGPU adapter was found',
          'Use a browser with WebGPU enabled (Chromium: --enable-unsafe-webgpu), or in Node install a Vulkan driver ' +
            '(libvulkan1 and a GPU driver, or VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json for SwiftShader).',
        );
      }
      await guardImport(
        'webgpu',
        '@tensorflow/tfjs-backend-webgpu',
        () => import('@tensorflow/tfjs-backend-webgpu'),
      );
    },
    verify: async (options) => {
      const gpu = await webgpuEntryPoint(options);
      const adapter = await gpu.requestAdapter();
      const info = (adapter as unknown as { info?: Record<string, string> })?.info ?? {};
      const parts = [info.vendor, info.architecture, info.device, info.description].filter(Boolean);
      const text = parts.join(' ') || 'unknown adapter';
      const fallback = Boolean(
        (adapter as unknown as { isFallbackAdapter?: boolean })?.isFallbackAdapter,
      );
      return { adapter: text, softwareGpu: fallback || SOFTWARE_GPU.test(text) };
    },
    initHint:
      'The WebGPU device could not be created; update the GPU driver or the browser, or use webgl or wasm.',
  },
  tensorflow: {
    backend: 'tensorflow',
    tfjsName: 'tensorflow',
    packageName: '@tensorflow/tfjs-node',
    platforms: ['node'],
    device: 'cpu',
    load: async () => {
      await importNodePackage('tensorflow', '@tensorflow/tfjs-node');
    },
    initHint:
      '@tensorflow/tfjs-node downloads libtensorflow when it installs; reinstall it with network access (npm rebuild @tensorflow/tfjs-node).',
  },
  cuda: {
    backend: 'cuda',
    tfjsName: 'tensorflow',
    packageName: '@tensorflow/tfjs-node-gpu',
    platforms: ['node'],
    device: 'gpu',
    load: async () => {
      await importNodePackage('cuda', '@tensorflow/tfjs-node-gpu');
    },
    verify: async () => {
      const b = tf.backend() as unknown as { isGPUPackage?: boolean; isUsingGpuDevice?: boolean };
      if (b.isGPUPackage === false) {
        throw new BackendUnavailableError(
          'cuda',
          "the 'tensorflow' backend in use comes from @tensorflow/tfjs-node (CPU build), not @tensorflow/tfjs-node-gpu",
          'Uninstall @tensorflow/tfjs-node and keep @tensorflow/tfjs-node-gpu only.',
        );
      }
      if (b.isUsingGpuDevice !== true) {
        throw new BackendUnavailableError(
          'cuda',
          '@tensorflow/tfjs-node-gpu loaded but TensorFlow is not using a GPU (it would silently run on the CPU)',
          CUDA_HINT,
        );
      }
      return { adapter: 'CUDA (TensorFlow GPU device)', softwareGpu: false };
    },
    initHint: CUDA_HINT,
  },
};

interface GpuEntry {
  requestAdapter(options?: unknown): Promise<unknown | null>;
}

let nodeGpu: GpuEntry | undefined;

/** `navigator.gpu` in the browser; in Node, Dawn from the `webgpu` package, installed as navigator.gpu. */
async function webgpuEntryPoint(options: UseBackendOptions): Promise<GpuEntry> {
  const nav = (globalThis as { navigator?: { gpu?: GpuEntry } }).navigator;
  if (nav?.gpu) return nav.gpu;
  if (typeof (globalThis as { window?: unknown }).window !== 'undefined') {
    throw new BackendUnavailableError(
      'webgpu',
      'this browser exposes no navigator.gpu',
      'Use a browser with WebGPU (Chrome 113+, or Chromium with --enable-unsafe-webgpu), or use webgl.',
    );
  }
  if (!nodeGpu) {
    if (options.vulkanIcd) process.env.VK_ICD_FILENAMES = options.vulkanIcd;
    const dawn = (await importNodePackage('webgpu', 'webgpu')) as {
      create(flags: string[]): GpuEntry;
      globals: Record<string, unknown>;
    };
    Object.assign(globalThis, dawn.globals);
    nodeGpu = dawn.create([]);
  }
  const g = globalThis as { navigator?: { gpu?: GpuEntry } };
  if (!g.navigator) g.navigator = { gpu: nodeGpu };
  else if (!g.navigator.gpu)
    Object.defineProperty(g.navigator, 'gpu', { value: nodeGpu, configurable: true });
  return nodeGpu;
}
