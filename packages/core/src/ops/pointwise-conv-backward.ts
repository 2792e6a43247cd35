import { type BackwardOptionsOf, backwardOpOf, type GradientNameOf } from './backward.js';
/**
 * Options of {@link pointwiseConvBackward}: those of `pointwiseConv` without the bias, plus `need`.
 *
 * @example
 * ```ts
 * import type { PointwiseConvBackwardOptions } from '@convkit/core';
 * const options: PointwiseConvBackwardOptions = { groups: 2, need: ['gradWeight'] };
 * options.groups; // 2
 * ```
 */
export type PointwiseConvBackwardOptions<Need extends string = GradientNameOf<'pointwiseConv'>> = BackwardOptionsOf<
  'pointwiseConv',
  Need
>;

/**
 * The gradients of `pointwiseConv`: per position, `gradInput = W^T gradOutput`, and
 * `gradWeight = gradOutput input^T` summed over positions and batch.
 *
 * @throws {ConvError} when a kernel dim is not 1, for any other invalid argument, or for a `gradOutput` of the wrong shape.
 * @example
 * ```ts
 * import { pointwiseConvBackward, tensor } from '@convkit/core';
 * const input = tensor([1, 2, 3, 4], [1, 2, 2]);
 * const weight = tensor([1, 1, 1, -1], [2, 2, 1]);
 * pointwiseConvBackward(input, weight, tensor([1, 0, 0, 1], [1, 2, 2])).gradInput.data; // Float32Array [1, 1, 1, -1]
 * ```
 * @function
 */
export const pointwiseConvBackward = backwardOpOf('pointwiseConv');
