import type { ConvOptions } from '../shape/types.js';
import type { Tensor } from '../tensor.js';
import { runOp } from './run.js';

/**
 * Convolution (PyTorch's cross-correlation) of any rank: 1-D, 2-D or 3-D, taken from the weight's
 * rank. Input `[N, C_in, ...spatial]` (or unbatched `[C_in, ...spatial]`), weight
 * `[C_out, C_in/groups, ...kernel]`. Covers standard, group, dilated and strided convolution,
 * every padding form and padding mode.
 *
 * @throws {ConvError} naming the op, the argument and both shapes, before anything is computed.
 * @example
 * ```ts
 * import { conv, tensor } from '@convkit/core';
 * const input = tensor([1, 2, 3, 4, 5], [1, 1, 5]);
 * const weight = tensor([1, 0, -1], [1, 1, 3]);
 * conv(input, weight, { padding: 1 }).data; // Float32Array [-2, -2, -2, -2, 4]
 * ```
 */
export function conv(input: Tensor, weight: Tensor, options?: ConvOptions): Tensor {
  return runOp('conv', [input, weight], options);
}
