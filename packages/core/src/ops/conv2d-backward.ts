import type { Gradients } from '../shape/backward-info.js';
import type { Tensor } from '../tensor.js';
import { type BackwardOptionsOf, type GradientNameOf, runBackwardOp } from './backward.js';
/**
 * The gradients of `conv2d`: {@link convBackward} with the rank checked (weight with 2 kernel dims).
 *
 * @throws {ConvError} when the ranks do not fit, for any other invalid argument, or for a `gradOutput` of the wrong shape.
 * @example
 * ```ts
 * import { conv2dBackward, tensor } from '@convkit/core';
 * const { gradInput } = conv2dBackward(tensor([1, 2, 3, 4], [1, 1, 2, 2]), tensor([2], [1, 1, 1, 1]), tensor([1, 1, 1, 1], [1, 1, 2, 2]));
 * gradInput.data; // Float32Array [2, 2, 2, 2]
 * ```
 */
export function conv2dBackward<const Need extends GradientNameOf<'conv2d'> = GradientNameOf<'conv2d'>>(
  input: Tensor,
  weight: Tensor,
  gradOutput: Tensor,
  options?: BackwardOptionsOf<'conv2d', Need>,
): Gradients<Need, GradientNameOf<'conv2d'>> {
  return runBackwardOp('conv2d', [input, weight], gradOutput, options);
}
