import { freezeRecord } from './record.js';
import type { ConvInfo } from './types.js';

/**
 * The convolution whose adjoint a transposed convolution is: it reads the transposed op's output
 * (its `inSize`, `inChannels`) and writes the transposed op's input (its `outSize`, `outChannels`),
 * with the same kernel, stride, dilation and padding. A transposed conv computed as GEMM + col2im
 * folds its columns through this convolution's tap maps.
 *
 * @example
 * ```ts
 * import { adjointGeometry, convTransposeInfo } from '@convkit/core/shape';
 * const adjoint = adjointGeometry(convTransposeInfo([1, 4, 3], [4, 2, 3], { stride: 2 }));
 * adjoint.inSize; // [7]: the transposed output
 * adjoint.outSize; // [3]: the transposed input
 * adjoint.inChannels; // 2
 * ```
 */
export interface AdjointGeometry {
  readonly transposed: false;
  readonly spatialRank: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly groups: number;
  readonly inSize: readonly number[];
  readonly outSize: readonly number[];
  readonly kernelSize: readonly number[];
  readonly stride: readonly number[];
  readonly dilation: readonly number[];
  readonly padBegin: readonly number[];
  readonly padEnd: readonly number[];
  /** Always zeros: transposed convolution pads with zeros only. */
  readonly paddingMode: 'zeros';
  /** Derived from the fields above, as a {@link ConvInfo}'s key is. */
  readonly key: string;
}

/**
 * The {@link AdjointGeometry} of a transposed convolution's record: frozen and consistent with
 * itself (its sizes and channel counts are the conv direction's, not relabelled transposed ones).
 *
 * @example
 * ```ts
 * import { adjointGeometry, convTransposeInfo, geometry3d } from '@convkit/core/shape';
 * const info = convTransposeInfo([1, 1, 2], [1, 1, 2], { stride: 2 });
 * geometry3d(adjointGeometry(info)).inPlane; // 4: the adjoint conv reads the 4 transposed outputs
 * ```
 */
export function adjointGeometry(info: ConvInfo): AdjointGeometry {
  return freezeRecord<AdjointGeometry>({
    transposed: false,
    spatialRank: info.spatialRank,
    inChannels: info.outChannels,
    outChannels: info.inChannels,
    groups: info.groups,
    inSize: info.outSize,
    outSize: info.inSize,
    kernelSize: info.kernelSize,
    stride: info.stride,
    dilation: info.dilation,
    padBegin: info.padBegin,
    padEnd: info.padEnd,
    paddingMode: 'zeros',
  });
}
