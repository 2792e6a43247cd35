import { type BackwardOptionsOf, backwardOpOf, type GradientNameOf } from './backward.js';
/**
 * Options of {@link convBackward}: exactly the forward options of `conv` (no bias: no gradient
 * depends on it), plus `need`.
 *
 * @example
 * ```ts
 * import type { ConvBackwardOptions } from '@convkit/core';
 * const options: ConvBackwardOptions = { stride: 2, padding: 'same_upper', need: ['gradInput'] };
 * options.padding; // 'same_upper'
 * ```
 */
export type ConvBackwardOptions<Need extends string = GradientNameOf<'conv'>> = BackwardOptionsOf<'conv', Need>;

/**
 * The gradients of {@link conv} for `L = sum(conv(input, weight) * gradOutput)`: `gradInput`
 * (the input's shape) is the transposed convolution of `gradOutput` with `weight`, `gradWeight`
 * (the weight's shape) the correlation of the input with `gradOutput`, `gradBias` (`[C_out]`)
 * the sum of `gradOutput` over batch and space. With a padding mode the gradients of the padded
 * copies are summed onto the elements they copy. Any rank; unbatched inputs as in `conv`.
 *
 * @throws {ConvError} for any call `conv` refuses, and naming `gradOutput` when it does not have the output's shape.
 * @example
 * ```ts
 * import { convBackward, tensor } from '@convkit/core';
 * const input = tensor([1, 2, 3, 4], [1, 1, 4]);
 * const weight = tensor([1, -1], [1, 1, 2]);
 * const { gradInput, gradWeight, gradBias } = convBackward(input, weight, tensor([1, 1, 1], [1, 1, 3]));
 * gradInput.data; // Float32Array [1, 0, 0, -1]
 * gradWeight.data; // Float32Array [6, 9]
 * gradBias.data; // Float32Array [3]
 * convBackward(input, weight, tensor([1, 1, 1], [1, 1, 3]), { need: ['gradWeight'] }).gradInput; // undefined
 * ```
 * @function
 */
export const convBackward = backwardOpOf('conv');
