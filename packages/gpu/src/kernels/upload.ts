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

/**
 * Copies an array onto the device as texels of 4 floats: run as a `pipeline: true` kernel with
 * `returnType: 'Array(4)'`, its output is an `ArrayTexture(4)` that a packed kernel reads with one
 * vec4 fetch per texel. That is how packed weights stay on the device.
 *
 * @example
 * ```ts
 * import { GPU } from 'gpu.js';
 * import { uploadTexelsKernel } from './upload.js';
 * const kernel = new GPU({ mode: 'cpu' }).createKernel(uploadTexelsKernel, { output: [1], returnType: 'Array(4)' });
 * kernel(new Float32Array([1, 2, 3, 4]))[0]; // Float32Array [1, 2, 3, 4]
 * ```
 */
export function uploadTexelsKernel(this: IKernelFunctionThis, values: number[]): [number, number, number, number] {
  const first = this.thread.x * 4;
  return [values[first], values[first + 1], values[first + 2], values[first + 3]];
}
