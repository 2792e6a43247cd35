import type { ConvInfo } from './types.js';

/**
 * What the tap maps are built from: the index geometry of a shape record. A {@link ConvInfo} is one;
 * so is the {@link AdjointGeometry} of a transposed convolution.
 *
 * @example
 * ```ts
 * import { convInfo, type TapGeometry } from '@convkit/core/shape';
 * const geometry: TapGeometry = convInfo([1, 1, 5], [1, 1, 3], { padding: 1 });
 * geometry.padBegin; // [1]
 * ```
 */
export type TapGeometry = Pick<
  ConvInfo,
  | 'spatialRank'
  | 'transposed'
  | 'inSize'
  | 'outSize'
  | 'kernelSize'
  | 'stride'
  | 'dilation'
  | 'padBegin'
  | 'paddingMode'
>;

/**
 * A convolution seen as 3-D: 1-D and 2-D convolutions get leading spatial dims of size 1, so one
 * loop nest serves every rank. Sizes come from the shape record; nothing is recomputed.
 *
 * @example
 * ```ts
 * import { convInfo, geometry3d, type Geometry3d } from '@convkit/core';
 * const geometry: Geometry3d = geometry3d(convInfo([1, 2, 5, 5], [4, 2, 3, 3]));
 * geometry.taps; // 9
 * ```
 */
export interface Geometry3d {
  readonly inSize: readonly [number, number, number];
  readonly outSize: readonly [number, number, number];
  readonly kernelSize: readonly [number, number, number];
  /** Stride, dilation and leading padding lifted the same way (1, 1 and 0 on the added dims). */
  readonly stride: readonly [number, number, number];
  readonly dilation: readonly [number, number, number];
  readonly padBegin: readonly [number, number, number];
  /** Input elements per channel. */
  readonly inPlane: number;
  /** Output elements per channel. */
  readonly outPlane: number;
  /** Kernel taps per (output, input) channel pair. */
  readonly taps: number;
  /**
   * Per axis, the input index that output position `o` reads through kernel tap `k`, at
   * `[o * kernelSize + k]`, or -1 where it reads zero (padding, or a transposed conv's stride gap).
   */
  readonly tapMaps: readonly [Int32Array, Int32Array, Int32Array];
}

function lift(values: readonly number[], fill: number): [number, number, number] {
  const lifted = [fill, fill, fill];
  const offset = 3 - values.length;
  values.forEach((value, axis) => {
    lifted[offset + axis] = value;
  });
  return lifted as [number, number, number];
}

/** Maps a position outside `[0, size)` into it following the padding mode, or -1 for zeros. */
export function padIndex(position: number, size: number, mode: ConvInfo['paddingMode']): number {
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

function tapMap(info: TapGeometry, axis: number, inSize: number, outSize: number, kernel: number): Int32Array {
  const spatialAxis = axis - (3 - info.spatialRank);
  const map = new Int32Array(outSize * kernel).fill(-1);
  if (spatialAxis < 0) return map.fill(0);
  const stride = info.stride[spatialAxis];
  const dilation = info.dilation[spatialAxis];
  const padBegin = info.padBegin[spatialAxis];
  for (let out = 0; out < outSize; out++) {
    for (let tap = 0; tap < kernel; tap++) {
      if (info.transposed) {
        // out + padBegin = in * stride + tap * dilation: gather the inputs that scatter to `out`.
        const scaled = out + padBegin - tap * dilation;
        if (scaled >= 0 && scaled % stride === 0 && scaled / stride < inSize) map[out * kernel + tap] = scaled / stride;
      } else {
        map[out * kernel + tap] = padIndex(out * stride - padBegin + tap * dilation, inSize, info.paddingMode);
      }
    }
  }
  return map;
}

/**
 * The 3-D view of a shape record, with its tap maps: the one place where padding modes, stride,
 * dilation and the transposed gather turn into input indices. Core's algorithms and
 * `@convkit/gpu`'s kernel both read it, so no backend re-derives an index.
 *
 * @example
 * ```ts
 * import { convInfo, geometry3d } from '@convkit/core';
 * const geometry = geometry3d(convInfo([1, 1, 4], [1, 1, 3], { padding: 1, paddingMode: 'reflect' }));
 * geometry.outSize; // [1, 1, 4]
 * Array.from(geometry.tapMaps[2].slice(0, 3)); // [1, 0, 1]: output 0 reads input 1 (reflected), 0, 1
 * ```
 */
export function geometry3d(info: TapGeometry): Geometry3d {
  const inSize = lift(info.inSize, 1);
  const outSize = lift(info.outSize, 1);
  const kernelSize = lift(info.kernelSize, 1);
  return {
    inSize,
    outSize,
    kernelSize,
    stride: lift(info.stride, 1),
    dilation: lift(info.dilation, 1),
    padBegin: lift(info.padBegin, 0),
    inPlane: inSize[0] * inSize[1] * inSize[2],
    outPlane: outSize[0] * outSize[1] * outSize[2],
    taps: kernelSize[0] * kernelSize[1] * kernelSize[2],
    tapMaps: [
      tapMap(info, 0, inSize[0], outSize[0], kernelSize[0]),
      tapMap(info, 1, inSize[1], outSize[1], kernelSize[1]),
      tapMap(info, 2, inSize[2], outSize[2], kernelSize[2]),
    ],
  };
}

/**
 * The strides of a weight tensor, in elements, between groups, output channels within a group
 * and input channels within a group. Conv weights are `[C_out, C_in/g, k...]`, transposed weights
 * `[C_in, C_out/g, k...]`; both keep a group's weights contiguous, with the same group stride.
 *
 * @example
 * ```ts
 * import { convInfo, convTransposeInfo, weightStrides } from '@convkit/core/shape';
 * weightStrides(convInfo([1, 4, 5], [6, 2, 3], { groups: 2 }), 3); // { group: 18, outChannel: 6, inChannel: 3 }
 * weightStrides(convTransposeInfo([1, 4, 5], [4, 3, 3], { groups: 2 }), 3); // { group: 18, outChannel: 3, inChannel: 9 }
 * ```
 */
export function weightStrides(
  info: Pick<ConvInfo, 'transposed' | 'inChannelsPerGroup' | 'outChannelsPerGroup'>,
  taps: number,
): { group: number; outChannel: number; inChannel: number } {
  const { inChannelsPerGroup, outChannelsPerGroup } = info;
  return {
    group: inChannelsPerGroup * outChannelsPerGroup * taps,
    outChannel: info.transposed ? taps : inChannelsPerGroup * taps,
    inChannel: info.transposed ? outChannelsPerGroup * taps : taps,
  };
}

/**
 * Where the weight of (output channel, input channel within its group, tap) lives:
 * `weightBase(outChannel) + inChannelInGroup * inChannelStride + tap`, following {@link weightStrides}.
 *
 * @example
 * ```ts
 * import { convTransposeInfo, weightIndexing } from '@convkit/core/shape';
 * const { weightBase, inChannelStride } = weightIndexing(convTransposeInfo([1, 4, 5], [4, 3, 3], { groups: 2 }), 3);
 * weightBase(4); // 21: group 1 starts at 18, output channel 1 of it one tap row later
 * inChannelStride; // 9
 * ```
 */
export function weightIndexing(
  info: Pick<ConvInfo, 'transposed' | 'inChannelsPerGroup' | 'outChannelsPerGroup'>,
  taps: number,
): {
  weightBase: (outChannel: number) => number;
  inChannelStride: number;
} {
  const strides = weightStrides(info, taps);
  const perGroup = info.outChannelsPerGroup;
  return {
    weightBase: (outChannel) =>
      Math.floor(outChannel / perGroup) * strides.group + (outChannel % perGroup) * strides.outChannel,
    inChannelStride: strides.inChannel,
  };
}
