import { convInfo } from '../shape/conv-info.js';
import type { GradientName, Gradients } from '../shape/backward-info.js';
import type { Tensor } from '../tensor.js';
import type { ConvBackwardOptions } from './conv-backward.js';
import { runBackward } from './run-backward.js';

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
export function conv1dBackward<const Need extends GradientName = GradientName>(
  input: Tensor,
  weight: Tensor,
  gradOutput: Tensor,
  options?: ConvBackwardOptions<Need>,
): Gradients<Need> {
  const op = 'conv1dBackward';
  return runBackward(op, input, weight, gradOutput, options, (inputShape, weightShape) =>
    convInfo(inputShape, weightShape, options, op, 1),
  );
}
