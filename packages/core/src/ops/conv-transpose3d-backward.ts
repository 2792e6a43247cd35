import type { Gradients } from '../shape/backward-info.js';
import type { Tensor } from '../tensor.js';
import { type BackwardOptionsOf, type GradientNameOf, runBackwardOp } from './backward.js';
/**
 * The gradients of `convTranspose3d`: {@link convTransposeBackward} with the rank checked (weight with 3 kernel dims).
 *
 * @throws {ConvError} when the ranks do not fit, for any other invalid argument, or for a `gradOutput` of the wrong shape.
 * @example
 * ```ts
 * import { convTranspose3dBackward, tensor } from '@convkit/core';
 * const { gradInput } = convTranspose3dBackward(tensor([2], [1, 1, 1, 1, 1]), tensor([1, 3], [1, 1, 1, 1, 2]), tensor([1, 1], [1, 1, 1, 1, 2]));
 * gradInput.data; // Float32Array [4]
 * ```
 */
export function convTranspose3dBackward<
  const Need extends GradientNameOf<'convTranspose3d'> = GradientNameOf<'convTranspose3d'>,
>(
  input: Tensor,
  weight: Tensor,
  gradOutput: Tensor,
  options?: BackwardOptionsOf<'convTranspose3d', Need>,
): Gradients<Need, GradientNameOf<'convTranspose3d'>> {
  return runBackwardOp('convTranspose3d', [input, weight], gradOutput, options);
}
