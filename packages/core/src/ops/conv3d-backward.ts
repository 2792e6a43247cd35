import type { Gradients } from '../shape/backward-info.js';
import type { Tensor } from '../tensor.js';
import { type BackwardOptionsOf, type GradientNameOf, runBackwardOp } from './backward.js';
/**
 * The gradients of `conv3d`: {@link convBackward} with the rank checked (weight with 3 kernel dims).
 *
 * @throws {ConvError} when the ranks do not fit, for any other invalid argument, or for a `gradOutput` of the wrong shape.
 * @example
 * ```ts
 * import { conv3dBackward, tensor } from '@convkit/core';
 * const { gradInput } = conv3dBackward(tensor([3, 4], [1, 1, 1, 1, 2]), tensor([1, 1], [1, 1, 1, 1, 2]), tensor([2], [1, 1, 1, 1, 1]));
 * gradInput.data; // Float32Array [2, 2]
 * ```
 */
export function conv3dBackward<const Need extends GradientNameOf<'conv3d'> = GradientNameOf<'conv3d'>>(
  input: Tensor,
  weight: Tensor,
  gradOutput: Tensor,
  options?: BackwardOptionsOf<'conv3d', Need>,
): Gradients<Need, GradientNameOf<'conv3d'>> {
  return runBackwardOp('conv3d', [input, weight], gradOutput, options);
}
