import type { IKernelFunctionThis } from 'gpu.js';
import type { ConvolutionConstants } from './geometry.js';

/**
 * The one gpu.js kernel of the convolution family: each thread computes one output element of a
 * run of output planes, gathering its taps through the tap maps (so conv and transposed conv, every
 * padding form and padding mode, and every rank share it). Every loop bound comes from
 * `this.constants`, which the host fills from the shape record; gpu.js would silently stop a loop
 * bounded by an argument after 1000 iterations.
 *
 * Arguments: `input` holds the whole work units (batch item, group) of this call, `firstPlane` is
 * the first output plane computed, counted from the first unit of `input`, and `firstGroup` is the
 * group of that first unit. Kept free of `continue`, `&&` and assignments inside expressions, which
 * gpu.js's transpilers handle poorly; never minify it.
 *
 * @example
 * ```ts
 * import { GPU } from 'gpu.js';
 * import { convInfo } from '@convkit/core';
 * import { convolutionGeometry } from './geometry.js';
 * import { convolutionKernel } from './convolution.js';
 * const { constants, tapMaps } = convolutionGeometry(convInfo([1, 1, 4], [1, 1, 2], {}));
 * const kernel = new GPU({ mode: 'cpu' }).createKernel(convolutionKernel, { output: [3], constants });
 * kernel(new Float32Array([1, 2, 3, 4]), new Float32Array([1, -1]), new Float32Array([0]), tapMaps, 0, 0);
 * // Float32Array [-1, -1, -1]
 * ```
 */
export function convolutionKernel(
  this: IKernelFunctionThis<ConvolutionConstants>,
  input: number[],
  weight: number[],
  bias: number[],
  tapMaps: number[],
  firstPlane: number,
  firstGroup: number,
): number {
  // Each quotient is corrected by its remainder, twice: WGSL and GLSL only promise division to
  // 2.5 ulp, so floor(486 / 243) may come out as 1 (SwiftShader's WebGPU does exactly that), and
  // near 2^23 an error of 2.5 ulp exceeds 1. All values stay integers below 2^24, where float32
  // products and differences are exact.
  const local = this.thread.x;
  let localPlane = Math.floor(local / this.constants.outPlane);
  let spatial = local - localPlane * this.constants.outPlane;
  for (let pass = 0; pass < 2; pass++) {
    if (spatial < 0) {
      localPlane = localPlane - 1;
      spatial = spatial + this.constants.outPlane;
    }
    if (spatial >= this.constants.outPlane) {
      localPlane = localPlane + 1;
      spatial = spatial - this.constants.outPlane;
    }
  }
  let row = Math.floor(spatial / this.constants.outW);
  let ow = spatial - row * this.constants.outW;
  for (let pass = 0; pass < 2; pass++) {
    if (ow < 0) {
      row = row - 1;
      ow = ow + this.constants.outW;
    }
    if (ow >= this.constants.outW) {
      row = row + 1;
      ow = ow - this.constants.outW;
    }
  }
  let od = Math.floor(row / this.constants.outH);
  let oh = row - od * this.constants.outH;
  for (let pass = 0; pass < 2; pass++) {
    if (oh < 0) {
      od = od - 1;
      oh = oh + this.constants.outH;
    }
    if (oh >= this.constants.outH) {
      od = od + 1;
      oh = oh - this.constants.outH;
    }
  }
  const plane = localPlane + firstPlane;
  let unit = Math.floor(plane / this.constants.outChannelsPerGroup);
  let outChannelInGroup = plane - unit * this.constants.outChannelsPerGroup;
  for (let pass = 0; pass < 2; pass++) {
    if (outChannelInGroup < 0) {
      unit = unit - 1;
      outChannelInGroup = outChannelInGroup + this.constants.outChannelsPerGroup;
    }
    if (outChannelInGroup >= this.constants.outChannelsPerGroup) {
      unit = unit + 1;
      outChannelInGroup = outChannelInGroup - this.constants.outChannelsPerGroup;
    }
  }
  const groupCount = unit + firstGroup;
  const groupQuotient = Math.floor(groupCount / this.constants.groups);
  let group = groupCount - groupQuotient * this.constants.groups;
  for (let pass = 0; pass < 2; pass++) {
    if (group < 0) {
      group = group + this.constants.groups;
    }
    if (group >= this.constants.groups) {
      group = group - this.constants.groups;
    }
  }
  let sum = bias[group * this.constants.outChannelsPerGroup + outChannelInGroup];
  const inputUnitBase = unit * this.constants.inUnitSize;
  const weightBase = group * this.constants.weightGroupStride + outChannelInGroup * this.constants.weightOutStride;
  for (let inChannel = 0; inChannel < this.constants.inChannelsPerGroup; inChannel++) {
    const inputChannelBase = inputUnitBase + inChannel * this.constants.inPlane;
    const weightChannelBase = weightBase + inChannel * this.constants.weightInStride;
    for (let td = 0; td < this.constants.kernelD; td++) {
      const id = tapMaps[od * this.constants.kernelD + td];
      if (id >= 0) {
        for (let th = 0; th < this.constants.kernelH; th++) {
          const ih = tapMaps[this.constants.mapOffsetH + oh * this.constants.kernelH + th];
          if (ih >= 0) {
            const rowBase = inputChannelBase + (id * this.constants.inH + ih) * this.constants.inW;
            const tapBase = weightChannelBase + (td * this.constants.kernelH + th) * this.constants.kernelW;
            for (let tw = 0; tw < this.constants.kernelW; tw++) {
              const iw = tapMaps[this.constants.mapOffsetW + ow * this.constants.kernelW + tw];
              if (iw >= 0) {
                sum += input[rowBase + iw] * weight[tapBase + tw];
              }
            }
          }
        }
      }
    }
  }
  return sum;
}
