import type { ConvAlgorithm, ConvInfo } from '../shape/types.js';
import { depthwiseConv, isDepthwise } from './depthwise.js';
import { directConvolution } from './direct.js';
import { fastConv } from './fast-conv.js';
import { fastConvTranspose } from './fast-conv-transpose.js';

/**
 * Computes a validated convolution. `into`, where given, is a buffer of exactly the output's size
 * with arbitrary contents that the kernel may write the whole output into and return instead of
 * allocating one (a kernel that does not overwrite every element ignores it and allocates).
 */
export type ConvKernel = (
  info: ConvInfo,
  input: Float32Array,
  weight: Float32Array,
  bias: Float32Array | undefined,
  into?: Float32Array,
) => Float32Array;

/**
 * The implementation that computes a validated convolution: the reference loop for `'direct'`;
 * for `'auto'`, the depthwise path when each output channel reads one input channel, the blocked
 * GEMM + col2im for transposed convolutions, and the blocked im2col + GEMM otherwise (pointwise
 * convolutions skip the unfolding). The GEMM and depthwise paths run on the SIMD128 kernels
 * where the engine has WebAssembly SIMD, and in TypeScript elsewhere.
 */
export function selectAlgorithm(info: ConvInfo, algorithm: ConvAlgorithm): ConvKernel {
  if (algorithm === 'direct') return directConvolution;
  if (info.transposed) return fastConvTranspose;
  if (isDepthwise(info)) return depthwiseConv;
  return fastConv;
}
