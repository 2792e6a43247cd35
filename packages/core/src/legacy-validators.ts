import { depthwiseConvInfo, type DepthwiseConvOptions } from './shape/depthwise-info.js';
import { pointwiseConvInfo, type PointwiseConvOptions } from './shape/pointwise-info.js';
import { separableConvInfo, type SeparableConvOptions } from './shape/separable-info.js';
import type { ConvInfo } from './shape/types.js';

// The op-first signatures the root export had before the validators moved to the shape module,
// kept so that existing callers compile; new code calls the shape module's (shapes, options, op) form.

/**
 * Validates a depthwise convolution (op-first form of {@link depthwiseConvInfo}).
 *
 * @deprecated use `depthwiseConvInfo(inputShape, weightShape, options, op)` from `@convkit/core/shape`.
 * @example
 * ```ts
 * import { depthwiseInfo } from '@convkit/core';
 * depthwiseInfo('depthwiseConv', [1, 144, 56, 56], [144, 1, 3, 3], { padding: 1 }).groups; // 144
 * ```
 */
export function depthwiseInfo(
  op: string,
  inputShape: readonly number[],
  weightShape: readonly number[],
  options: DepthwiseConvOptions,
): ConvInfo {
  return depthwiseConvInfo(inputShape, weightShape, options, op);
}

/**
 * Validates a pointwise convolution (op-first form of {@link pointwiseConvInfo}).
 *
 * @deprecated use `pointwiseConvInfo(inputShape, weightShape, options, op)` from `@convkit/core/shape`.
 * @example
 * ```ts
 * import { pointwiseInfo } from '@convkit/core';
 * pointwiseInfo('pointwiseConv', [1, 144, 56, 56], [24, 144, 1, 1], {}).outputShape; // [1, 24, 56, 56]
 * ```
 */
export function pointwiseInfo(
  op: string,
  inputShape: readonly number[],
  weightShape: readonly number[],
  options: PointwiseConvOptions,
): ConvInfo {
  return pointwiseConvInfo(inputShape, weightShape, options, op);
}

/**
 * Validates both stages of a separable convolution (op-first form of {@link separableConvInfo}).
 *
 * @deprecated use `separableConvInfo(inputShape, depthwiseWeightShape, pointwiseWeightShape, options, op)`.
 * @example
 * ```ts
 * import { separableInfo } from '@convkit/core';
 * const { depthwise, pointwise } = separableInfo('separableConv', [1, 16, 8, 8], [16, 1, 3, 3], [32, 16, 1, 1], { padding: 1 });
 * pointwise.outputShape; // [1, 32, 8, 8]
 * ```
 */
export function separableInfo(
  op: string,
  inputShape: readonly number[],
  depthwiseWeightShape: readonly number[],
  pointwiseWeightShape: readonly number[],
  options: SeparableConvOptions,
): { depthwise: ConvInfo; pointwise: ConvInfo } {
  return separableConvInfo(inputShape, depthwiseWeightShape, pointwiseWeightShape, options, op);
}
