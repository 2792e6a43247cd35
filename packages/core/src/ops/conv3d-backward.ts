import { backwardOpOf } from './backward.js';
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
 * @function
 */
export const conv3dBackward = backwardOpOf('conv3d');
