import { sizeOf } from '../tensor.js';
import type { ConvInfo } from '../shape/types.js';
import { geometry3d } from './geometry.js';
import { gemm } from './gemm.js';
import { adjointConvInfo, col2imSample, im2colSample } from './im2col.js';

function addBias(info: ConvInfo, output: Float32Array, bias: Float32Array | undefined, outPlane: number): void {
  if (!bias) return;
  for (let n = 0; n < info.batch; n++) {
    for (let channel = 0; channel < info.outChannels; channel++) {
      const base = (n * info.outChannels + channel) * outPlane;
      for (let position = 0; position < outPlane; position++) output[base + position] += bias[channel];
    }
  }
}

/**
 * Convolution as im2col + GEMM, group by group: `out_g [C_out/g, L] = W_g [C_out/g, C_in/g * K] @ cols_g`.
 */
export function gemmConv(
  info: ConvInfo,
  input: Float32Array,
  weight: Float32Array,
  bias: Float32Array | undefined,
): Float32Array {
  const geometry = geometry3d(info);
  const { inPlane, outPlane, taps } = geometry;
  const output = new Float32Array(sizeOf(info.outputShape));
  const depth = info.inChannelsPerGroup * taps;
  const cols = new Float32Array(depth * outPlane);
  for (let n = 0; n < info.batch; n++) {
    for (let group = 0; group < info.groups; group++) {
      const inputOffset = (n * info.inChannels + group * info.inChannelsPerGroup) * inPlane;
      im2colSample(geometry, input, inputOffset, info.inChannelsPerGroup, cols);
      const weightOffset = group * info.outChannelsPerGroup * depth;
      const outputOffset = (n * info.outChannels + group * info.outChannelsPerGroup) * outPlane;
      gemm(info.outChannelsPerGroup, outPlane, depth, weight, weightOffset, false, cols, 0, output, outputOffset);
    }
  }
  addBias(info, output, bias, outPlane);
  return output;
}

/**
 * Transposed convolution as GEMM + col2im: `cols_g = W_g^T @ x_g`, then every column is added
 * back onto the output positions it touches (the adjoint of the convolution's im2col).
 */
export function gemmConvTranspose(
  info: ConvInfo,
  input: Float32Array,
  weight: Float32Array,
  bias: Float32Array | undefined,
): Float32Array {
  const geometry = geometry3d(adjointConvInfo(info));
  const { inPlane: outPlane, outPlane: inPlane, taps } = geometry;
  const output = new Float32Array(sizeOf(info.outputShape));
  const depth = info.outChannelsPerGroup * taps;
  const cols = new Float32Array(depth * inPlane);
  for (let n = 0; n < info.batch; n++) {
    for (let group = 0; group < info.groups; group++) {
      cols.fill(0);
      const inputOffset = (n * info.inChannels + group * info.inChannelsPerGroup) * inPlane;
      const weightOffset = group * info.inChannelsPerGroup * depth;
      gemm(depth, inPlane, info.inChannelsPerGroup, weight, weightOffset, true, input, inputOffset, cols, 0);
      const outputOffset = (n * info.outChannels + group * info.outChannelsPerGroup) * outPlane;
      col2imSample(geometry, cols, info.outChannelsPerGroup, output, outputOffset);
    }
  }
  addBias(info, output, bias, outPlane);
  return output;
}
