export { currentBackend } from './current-backend';
export { BackendUnavailableError, UnknownBackendError } from './errors';
export type { BackendInfo } from './info';
export { applyKernelFixes, KERNEL_FIXES, kernelFixesApplied, removeKernelFixes } from './kernels';
export { type BackendStatus, listBackends } from './list-backends';
export { BACKENDS, type BackendName, type ConcreteBackend, isBackendName } from './names';
export type { UseBackendOptions } from './options';
export { currentPlatform, type Platform } from './platform';
export { useBackend } from './use-backend';
