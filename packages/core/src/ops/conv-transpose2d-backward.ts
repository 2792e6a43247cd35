import { backwardOpOf } from './backward.js';
/**
 * The gradients of `convTranspose2d`: {@link convTransposeBackward} with the rank checked (weight with 2 kernel dims).
 *
 * @throws {ConvError} when the ranks do not fit, for any other invalid argument, or for a `gradOutput` of the wrong shape.
 * @example
 * ```ts
 * import { convTranspose2dBackward, tensor } from '@convkit/core';
 * const { gradInput } = convTranspose2dBackward(tensor([1], [1, 1, 1, 1]), tensor([1, 2, 3, 4], [1, 1, 2, 2]), tensor([1, 1, 1, 1], [1, 1, 2, 2]));
 * gradInput.data; // Float32Array [10]
 * ```
 * @function
 */
export const convTranspose2dBackward = backwardOpOf('convTranspose2d');
