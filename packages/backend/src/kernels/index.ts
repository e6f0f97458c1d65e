export { applyKernelFixes, KERNEL_FIXES, kernelFixesApplied, removeKernelFixes } from './apply';
