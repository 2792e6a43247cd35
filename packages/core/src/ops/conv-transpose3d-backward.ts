import { backwardOpOf } from './backward.js';
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
 * @function
 */
export const convTranspose3dBackward = backwardOpOf('convTranspose3d');
