import { geometry3d, weightStrides, type ConvInfo } from '@convkit/core/shape';

/**
 * The constants of the convolution kernel, all read from one shape record. 1-D and 2-D
 * convolutions are lifted to 3-D (leading spatial dims of size 1), exactly as core's
 * `geometry3d` does (this reuses it), so one kernel serves every rank.
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

/**
 * The 3-D view of a shape record: the kernel's constants and its tap maps. Every size comes from
 * the record and every tap map and weight stride from core's shape module; padding modes and the transposed gather
 * are folded into the tap maps on the host, so the kernel never branches on them.
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
  // Core's 3-D view and tap maps, concatenated into one array for the kernel.
  const { inSize, outSize, kernelSize, inPlane, outPlane, taps, tapMaps: axisMaps } = geometry3d(info);
  const [, inH, inW] = inSize;
  const [outD, outH, outW] = outSize;
  const [kernelD, kernelH, kernelW] = kernelSize;
  const mapOffsetH = axisMaps[0].length;
  const mapOffsetW = mapOffsetH + axisMaps[1].length;
  const tapMaps = new Float32Array(mapOffsetW + axisMaps[2].length);
  tapMaps.set(axisMaps[0], 0);
  tapMaps.set(axisMaps[1], mapOffsetH);
  tapMaps.set(axisMaps[2], mapOffsetW);
  const { inChannelsPerGroup, outChannelsPerGroup, groups } = info;
  // Core's weight layout: conv [C_out, C_in/g, k...] or transposed [C_in, C_out/g, k...].
  const weight = weightStrides(info, taps);
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
      weightGroupStride: weight.group,
      weightOutStride: weight.outChannel,
      weightInStride: weight.inChannel,
    },
    tapMaps,
    units: info.batch * groups,
    outUnitSize: outChannelsPerGroup * outPlane,
    outSize: info.batch * info.outChannels * outPlane,
  };
}
