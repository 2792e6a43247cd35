import { backwardOpOf } from './backward.js';
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
 * @function
 */
export const conv2dBackward = backwardOpOf('conv2d');
