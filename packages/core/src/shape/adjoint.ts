import { freezeRecord } from './record.js';
import type { TapGeometry } from './geometry.js';
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
export interface AdjointGeometry
  extends Omit<TapGeometry, 'transposed' | 'paddingMode'>,
    Pick<ConvInfo, 'inChannels' | 'outChannels' | 'groups' | 'padEnd' | 'key'> {
  readonly transposed: false;
  /** Always zeros: transposed convolution pads with zeros only. */
  readonly paddingMode: 'zeros';
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
