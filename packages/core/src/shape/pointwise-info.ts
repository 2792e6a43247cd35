import { ConvError } from '../errors.js';
import { convInfo } from './conv-info.js';
import { shapesSuffix } from './normalize.js';
import type { ConvInfo, ConvOptions, ResolverArguments } from './types.js';

/**
 * Options of {@link pointwiseConv}: a 1x1 convolution has no padding or dilation to set.
 *
 * @example
 * ```ts
 * import type { PointwiseConvOptions } from '@convkit/core';
 * const options: PointwiseConvOptions = { stride: 2, groups: 4 };
 * options.groups; // 4
 * ```
 */
export type PointwiseConvOptions = Pick<ConvOptions, 'bias' | 'stride' | 'groups' | 'algorithm'>;

/**
 * Validates a pointwise convolution: every kernel dim 1, no padding or dilation.
 *
 * @throws {ConvError} naming the op, the argument and both shapes.
 * @example
 * ```ts
 * import { pointwiseConvInfo } from '@convkit/core/shape';
 * pointwiseConvInfo([1, 144, 56, 56], [24, 144, 1, 1]).outputShape; // [1, 24, 56, 56]
 * ```
 */
export function pointwiseConvInfo(
  ...[inputShape, weightShape, options = {}, op = 'pointwiseConv']: ResolverArguments<PointwiseConvOptions>
): ConvInfo {
  const shapes = shapesSuffix({ op, inputShape, weightShape });
  for (const arg of ['padding', 'dilation', 'paddingMode'] as const) {
    if ((options as ConvOptions)[arg] !== undefined) {
      throw new ConvError(op, arg, `a pointwise (1x1) convolution takes no ${arg}; use conv for that; ${shapes}`);
    }
  }
  const wide = weightShape.slice(2).findIndex((extent) => extent !== 1);
  if (wide >= 0) {
    throw new ConvError(
      op,
      'weight',
      `every kernel dim of a pointwise weight must be 1, got weight.shape[${wide + 2}] = ${weightShape[wide + 2]}; ${shapes}`,
    );
  }
  const { bias, stride, groups } = options;
  return convInfo(inputShape, weightShape, { bias, stride, groups }, op);
}
