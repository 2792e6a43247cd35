import { backwardOpOf } from './backward.js';
/**
 * The gradients of `convTranspose1d`: {@link convTransposeBackward} with the rank checked (weight with 1 kernel dims).
 *
 * @throws {ConvError} when the ranks do not fit, for any other invalid argument, or for a `gradOutput` of the wrong shape.
 * @example
 * ```ts
 * import { convTranspose1dBackward, tensor } from '@convkit/core';
 * const { gradInput } = convTranspose1dBackward(tensor([1, 2], [1, 1, 2]), tensor([1, 1], [1, 1, 2]), tensor([1, 2, 3], [1, 1, 3]));
 * gradInput.data; // Float32Array [3, 5]
 * ```
 * @function
 */
export const convTranspose1dBackward = backwardOpOf('convTranspose1d');
