import type { ConvInfo } from '@convkit/core';

/**
 * The constants of the convolution kernel, all read from one shape record. 1-D and 2-D
 * convolutions are lifted to 3-D (leading spatial dims of size 1), exactly as core's
 * `algorithms/geometry.ts` does, so one kernel serves every rank.
 */
export interface ConvolutionConstants {
  [name: string]: number;
  /** Output spatial extents, lifted to 3-D. */
  outD: number;
  outH: number;
  outW: number;
  /** Output elements per channel. */
  outPlane: number;
  /** Input spatial extents used for addressing (depth is only reached through the tap maps). */
  inH: number;
  inW: number;
  /** Input elements per channel. */
  inPlane: number;
  /** Input elements per (batch item, group): the stride between consecutive work units. */
  inUnitSize: number;
  groups: number;
  inChannelsPerGroup: number;
  outChannelsPerGroup: number;
  kernelD: number;
  kernelH: number;
  kernelW: number;
  /** Where the height and width tap maps start inside the concatenated tap-map array. */
  mapOffsetH: number;
  mapOffsetW: number;
  /** Weight strides between groups, output channels within a group, and input channels within a group. */
  weightGroupStride: number;
  weightOutStride: number;
  weightInStride: number;
}

/** A shape record seen as 3-D, with its tap maps and kernel constants. */
export interface ConvolutionGeometry {
  readonly constants: ConvolutionConstants;
  /**
   * Per axis (depth, height, width, concatenated), the input index that output position `o`
   * reads through kernel tap `k`, at `offset + o * kernel + k`, or -1 where it reads zero
   * (padding, or a transposed conv's stride gap).
   */
  readonly tapMaps: Float32Array;
  /** Work units: one per (batch item, group); each reads a contiguous input slice and writes a contiguous output slice. */
  readonly units: number;
  /** Output elements of one work unit. */
  readonly outUnitSize: number;
  /** Total output elements. */
  readonly outSize: number;
}

function lift(values: readonly number[]): [number, number, number] {
  const lifted: [number, number, number] = [1, 1, 1];
  const offset = 3 - values.length;
  values.forEach((value, axis) => {
    lifted[offset + axis] = value;
  });
  return lifted;
}

/** Maps a position outside `[0, size)` into it following the padding mode, or -1 for zeros (core's `padIndex`). */
function padIndex(position: number, size: number, mode: ConvInfo['paddingMode']): number {
  if (position >= 0 && position < size) return position;
  switch (mode) {
    case 'reflect': {
      if (size === 1) return 0;
      const period = 2 * (size - 1);
      const folded = ((position % period) + period) % period;
      return folded < size ? folded : period - folded;
    }
    case 'replicate':
      return position < 0 ? 0 : size - 1;
    case 'circular':
      return ((position % size) + size) % size;
    default:
      return -1;
  }
}

function fillTapMap(info: ConvInfo, axis: number, inSize: number, outSize: number, kernel: number, map: Float32Array, offset: number): void {
  const spatialAxis = axis - (3 - info.spatialRank);
  if (spatialAxis < 0) {
    map.fill(0, offset, offset + outSize * kernel);
    return;
  }
  const stride = info.stride[spatialAxis];
  const dilation = info.dilation[spatialAxis];
  const padBegin = info.padBegin[spatialAxis];
  for (let out = 0; out < outSize; out++) {
    for (let tap = 0; tap < kernel; tap++) {
      let source = -1;
      if (info.transposed) {
        // out + padBegin = in * stride + tap * dilation: gather the inputs that scatter to `out`.
        const scaled = out + padBegin - tap * dilation;
        if (scaled >= 0 && scaled % stride === 0 && scaled / stride < inSize) source = scaled / stride;
      } else {
        source = padIndex(out * stride - padBegin + tap * dilation, inSize, info.paddingMode);
      }
      map[offset + out * kernel + tap] = source;
    }
  }
}

/**
 * The 3-D view of a shape record: the kernel's constants and its tap maps. Every size comes from
 * the record; padding modes and the transposed gather are folded into the tap maps here, on the
 * host, so the kernel never branches on them.
 *
 * @example
 * ```ts
 * import { convInfo } from '@convkit/core';
 * import { convolutionGeometry } from './geometry.js';
 * const geometry = convolutionGeometry(convInfo([1, 2, 5], [4, 1, 3], { groups: 2, padding: 1 }));
 * geometry.constants.outW; // 5
 * geometry.units; // 2: one per (batch item, group)
 * ```
 */
export function convolutionGeometry(info: ConvInfo): ConvolutionGeometry {
  const [inD, inH, inW] = lift(info.inSize);
  const [outD, outH, outW] = lift(info.outSize);
  const [kernelD, kernelH, kernelW] = lift(info.kernelSize);
  const taps = kernelD * kernelH * kernelW;
  const inPlane = inD * inH * inW;
  const outPlane = outD * outH * outW;
  const mapOffsetH = outD * kernelD;
  const mapOffsetW = mapOffsetH + outH * kernelH;
  const tapMaps = new Float32Array(mapOffsetW + outW * kernelW);
  fillTapMap(info, 0, inD, outD, kernelD, tapMaps, 0);
  fillTapMap(info, 1, inH, outH, kernelH, tapMaps, mapOffsetH);
  fillTapMap(info, 2, inW, outW, kernelW, tapMaps, mapOffsetW);
  const { inChannelsPerGroup, outChannelsPerGroup, groups } = info;
  // conv weight [C_out, C_in/g, k...]; transposed weight [C_in, C_out/g, k...]. Both keep a group's
  // weights contiguous, with the same group stride.
  const weightGroupStride = inChannelsPerGroup * outChannelsPerGroup * taps;
  const weightOutStride = info.transposed ? taps : inChannelsPerGroup * taps;
  const weightInStride = info.transposed ? outChannelsPerGroup * taps : taps;
  return {
    constants: {
      outD,
      outH,
      outW,
      outPlane,
      inH,
      inW,
      inPlane,
      inUnitSize: inChannelsPerGroup * inPlane,
      groups,
      inChannelsPerGroup,
      outChannelsPerGroup,
      kernelD,
      kernelH,
      kernelW,
      mapOffsetH,
      mapOffsetW,
      weightGroupStride,
      weightOutStride,
      weightInStride,
    },
    tapMaps,
    units: info.batch * groups,
    outUnitSize: outChannelsPerGroup * outPlane,
    outSize: info.batch * info.outChannels * outPlane,
  };
}
