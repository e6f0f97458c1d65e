import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendUnavailableError, UnknownBackendError } from './errors';
import { setNodeImporter } from './import-package';
import { useBackend } from './use-backend';

describe('useBackend in Node', () => {
  it('starts cpu and reports what it got', async () => {
    const info = await useBackend('cpu');
    expect(info).toMatchObject({
      backend: 'cpu',
      name: 'cpu',
      device: 'cpu',
      platform: 'node',
      floatPrecision: 32,
    });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('starts wasm from the bundled binary, offline', async () => {
    const info = await useBackend('wasm');
    expect(info).toMatchObject({ backend: 'wasm', name: 'wasm', device: 'cpu', platform: 'node' });
    expect(tf.getBackend()).toBe('wasm');
  });

  it('auto picks the fastest backend that starts and says why', async () => {
    const info = await useBackend('auto');
    expect(info.backend).toBe('wasm');
    expect(info.reason).toMatch(/picked wasm/);
    expect(info.reason).toMatch(/cuda: the package @tensorflow\/tfjs-node-gpu is not installed/);
    expect(info.reason).toMatch(/webgl: it runs in browser only/);
  });

  it('rejects an unknown name with the list of known ones', async () => {
    // @ts-expect-error: not a backend name, at compile time too
    const error = await useBackend('tpu').catch((e) => e);
    expect(error).toBeInstanceOf(UnknownBackendError);
    expect(error.message).toMatch(
      /Unknown backend 'tpu'.*auto, cuda, webgpu, webgl, tensorflow, wasm, cpu/,
    );
  });

  it('rejects webgl in Node: wrong platform, no silent fallback', async () => {
    await useBackend('cpu');
    const error = await useBackend('webgl').catch((e) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(error).toMatchObject({
      backend: 'webgl',
      reason: expect.stringMatching(/browser only.*node/),
    });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('rejects cuda when @tensorflow/tfjs-node-gpu is not installed, naming the package', async () => {
    const error = await useBackend('cuda').catch((e) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(error.backend).toBe('cuda');
    expect(error.message).toContain('@tensorflow/tfjs-node-gpu');
    expect(error.hint).toBe(
      'Install it next to @tensorflow/tfjs-core: npm install @tensorflow/tfjs-node-gpu',
    );
  });

  it('rejects tensorflow when @tensorflow/tfjs-node is not installed', async () => {
    const error = await useBackend('tensorflow').catch((e) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(error.message).toContain('npm install @tensorflow/tfjs-node');
  });
});

describe('cuda checks that the GPU is really used', () => {
  let restoreImporter: (() => void) | undefined;
  afterEach(async () => {
    restoreImporter?.();
    for (const k of tf.getKernelsForBackend('tensorflow'))
      tf.unregisterKernel(k.kernelName, 'tensorflow');
    if (tf.findBackendFactory('tensorflow')) tf.removeBackend('tensorflow');
    await tf.setBackend('cpu');
  });

  /** Stands in for tfjs-node-gpu: registers a 'tensorflow' backend (the cpu kernels) with the given flags. */
  async function fakeTfjsNodeGpu(flags: { isGPUPackage: boolean; isUsingGpuDevice: boolean }) {
    const { MathBackendCPU } = await import('@tensorflow/tfjs-backend-cpu');
    restoreImporter = setNodeImporter(async (pkg) => {
      if (pkg !== '@tensorflow/tfjs-node-gpu') throw new Error(`unexpected ${pkg}`);
      tf.registerBackend('tensorflow', () => Object.assign(new MathBackendCPU(), flags));
      for (const k of tf.getKernelsForBackend('cpu'))
        tf.registerKernel({ ...k, backendName: 'tensorflow' });
      return {};
    });
  }

  it('fails when TensorFlow fell back to the CPU, and does not leave that backend in use', async () => {
    await useBackend('cpu');
    await fakeTfjsNodeGpu({ isGPUPackage: true, isUsingGpuDevice: false });
    const error = await useBackend('cuda').catch((e) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(error.reason).toMatch(/not using a GPU/);
    expect(error.hint).toMatch(/CUDA 11\.2 and cuDNN 8\.1/);
    expect(error.hint).toMatch(/nvidia-smi/);
    expect(tf.getBackend()).toBe('cpu');
    expect(tf.findBackendFactory('tensorflow')).toBeNull();
  });

  it('fails when the tensorflow backend is the CPU build', async () => {
    await fakeTfjsNodeGpu({ isGPUPackage: false, isUsingGpuDevice: false });
    const error = await useBackend('cuda').catch((e) => e);
    expect(error.reason).toMatch(/comes from @tensorflow\/tfjs-node \(CPU build\)/);
  });

  it('succeeds when the GPU is in use', async () => {
    await fakeTfjsNodeGpu({ isGPUPackage: true, isUsingGpuDevice: true });
    const info = await useBackend('cuda');
    expect(info).toMatchObject({ backend: 'cuda', name: 'tensorflow', device: 'gpu' });
  });

  it('reports a package that is installed but fails to load (missing libtensorflow)', async () => {
    restoreImporter = setNodeImporter(async () => {
      throw new Error(
        'libtensorflow.so.2: cannot open shared object file: No such file or directory',
      );
    });
    const error = await useBackend('cuda').catch((e) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(error.reason).toMatch(
      /installed but failed to load \(libtensorflow\.so\.2: cannot open/,
    );
  });
});
