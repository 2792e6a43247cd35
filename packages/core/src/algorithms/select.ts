import type { ConvAlgorithm, ConvInfo } from '../shape/types.js';
import { directConvolution } from './direct.js';
import { gemmConv, gemmConvTranspose } from './gemm-conv.js';

export type ConvKernel = (
  info: ConvInfo,
  input: Float32Array,
  weight: Float32Array,
  bias: Float32Array | undefined,
) => Float32Array;

/** The implementation that computes a validated convolution: the reference loop, or the fastest path. */
export function selectAlgorithm(info: ConvInfo, algorithm: ConvAlgorithm): ConvKernel {
  if (algorithm === 'direct') return directConvolution;
  return info.transposed ? gemmConvTranspose : gemmConv;
}
