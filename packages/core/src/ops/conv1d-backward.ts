import type { Gradients } from '../shape/backward-info.js';
import type { Tensor } from '../tensor.js';
import { type BackwardOptionsOf, type GradientNameOf, runBackwardOp } from './backward.js';
/**
 * The gradients of `conv1d`: {@link convBackward} with the rank checked (weight with 1 kernel dims).
 *
 * @throws {ConvError} when the ranks do not fit, for any other invalid argument, or for a `gradOutput` of the wrong shape.
 * @example
 * ```ts
 * import { conv1dBackward, tensor } from '@convkit/core';
 * const { gradInput } = conv1dBackward(tensor([1, 2, 3], [1, 1, 3]), tensor([1, 1], [1, 1, 2]), tensor([1, 1], [1, 1, 2]));
 * gradInput.data; // Float32Array [1, 2, 1]
 * ```
 */
export function conv1dBackward<const Need extends GradientNameOf<'conv1d'> = GradientNameOf<'conv1d'>>(
  input: Tensor,
  weight: Tensor,
  gradOutput: Tensor,
  options?: BackwardOptionsOf<'conv1d', Need>,
): Gradients<Need, GradientNameOf<'conv1d'>> {
  return runBackwardOp('conv1d', [input, weight], gradOutput, options);
}
