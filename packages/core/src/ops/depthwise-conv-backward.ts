import { type BackwardOptionsOf, backwardOpOf, type GradientNameOf } from './backward.js';
/**
 * Options of {@link depthwiseConvBackward}: those of `depthwiseConv` without the bias, plus `need`.
 *
 * @example
 * ```ts
 * import type { DepthwiseConvBackwardOptions } from '@convkit/core';
 * const options: DepthwiseConvBackwardOptions = { stride: 2, dilation: 2, padding: 2 };
 * options.dilation; // 2
 * ```
 */
export type DepthwiseConvBackwardOptions<Need extends string = GradientNameOf<'depthwiseConv'>> = BackwardOptionsOf<
  'depthwiseConv',
  Need
>;

/**
 * The gradients of `depthwiseConv` (any stride, dilation, padding and multiplier together): each
 * channel's input gradient is its own transposed convolution, each filter's gradient the
 * correlation of its one input channel with its output's gradient.
 *
 * @throws {ConvError} when the weight is not depthwise-shaped, for any other invalid argument, or for a `gradOutput` of the wrong shape.
 * @example
 * ```ts
 * import { depthwiseConvBackward, tensor } from '@convkit/core';
 * const input = tensor([1, 2, 3, 10, 20, 30], [1, 2, 3]);
 * const weight = tensor([1, 1, -1, 1], [2, 1, 2]);
 * depthwiseConvBackward(input, weight, tensor([1, 1, 1, 1], [1, 2, 2])).gradWeight.data; // Float32Array [3, 5, 30, 50]
 * ```
 * @function
 */
export const depthwiseConvBackward = backwardOpOf('depthwiseConv');
