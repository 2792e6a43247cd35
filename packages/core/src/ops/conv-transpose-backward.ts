import { type BackwardOptionsOf, backwardOpOf, type GradientNameOf } from './backward.js';
/**
 * Options of {@link convTransposeBackward}: exactly the forward options of `convTranspose`
 * (outputPadding and outputSize included, no bias), plus `need`.
 *
 * @example
 * ```ts
 * import type { ConvTransposeBackwardOptions } from '@convkit/core';
 * const options: ConvTransposeBackwardOptions = { stride: 2, padding: 1, outputPadding: 1 };
 * options.outputPadding; // 1
 * ```
 */
export type ConvTransposeBackwardOptions<Need extends string = GradientNameOf<'convTranspose'>> = BackwardOptionsOf<
  'convTranspose',
  Need
>;

/**
 * The gradients of {@link convTranspose}, the mirror of {@link convBackward}: `gradInput` is the
 * plain convolution of `gradOutput` with `weight` (the transposed conv's adjoint), `gradWeight`
 * the correlation of `gradOutput` with the input, `gradBias` (`[C_out]`) the sum of `gradOutput`.
 * Output positions that only `outputPadding` or `outputSize` added have gradients no weight reads.
 *
 * @throws {ConvError} for any call `convTranspose` refuses, and naming `gradOutput` when it does not have the output's shape.
 * @example
 * ```ts
 * import { convTransposeBackward, tensor } from '@convkit/core';
 * const input = tensor([1, 10], [1, 1, 2]);
 * const weight = tensor([1, 2, 3], [1, 1, 3]);
 * const { gradInput, gradWeight } = convTransposeBackward(input, weight, tensor([1, 0, 0, 0, 1], [1, 1, 5]), { stride: 2 });
 * gradInput.data; // Float32Array [1, 3]
 * gradWeight.data; // Float32Array [1, 0, 10]
 * ```
 * @function
 */
export const convTransposeBackward = backwardOpOf('convTranspose');
