import { backwardOpOf } from './backward.js';
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
 * @function
 */
export const conv1dBackward = backwardOpOf('conv1d');
