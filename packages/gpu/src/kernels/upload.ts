import type { IKernelFunctionThis } from 'gpu.js';

/**
 * Copies an array onto the device: run as a `pipeline: true, immutable: true` kernel, its output
 * stays there (a GL texture, a WebGPU storage buffer) and each run returns a fresh one, which the
 * convolution kernel then reads in place of an array. That is how `gpu.upload` keeps a weight
 * resident.
 *
 * @example
 * ```ts
 * import { GPU } from 'gpu.js';
 * import { uploadKernel } from './upload.js';
 * const kernel = new GPU({ mode: 'cpu' }).createKernel(uploadKernel, { output: [3] });
 * kernel(new Float32Array([1, 2, 3])); // Float32Array [1, 2, 3]
 * ```
 */
export function uploadKernel(this: IKernelFunctionThis, values: number[]): number {
  return values[this.thread.x];
}
