import type { ConvTransposeOptions } from '../shape/types.js';
import type { Tensor } from '../tensor.js';
import { runOp } from './run.js';

/**
 * Transposed convolution (the adjoint of {@link conv}, a.k.a. fractionally strided convolution),
 * of any rank. Input `[N, C_in, ...spatial]` (or unbatched), weight `[C_in, C_out/groups, ...kernel]`.
 * Output size `(in - 1) * stride - padBegin - padEnd + dilation * (k - 1) + outputPadding + 1`,
 * or as `outputSize` asks (ONNX's `output_shape` with `'same_upper'`/`'same_lower'`, else
 * PyTorch's `output_size`).
 *
 * @throws {ConvError} naming the op, the argument and both shapes, before anything is computed.
 * @example
 * ```ts
 * import { convTranspose, tensor } from '@convkit/core';
 * // Each input value stamps the kernel onto the output, two cells apart.
 * convTranspose(tensor([1, 10], [1, 1, 2]), tensor([1, 2, 3], [1, 1, 3]), { stride: 2 }).data;
 * // Float32Array [1, 2, 13, 20, 30]
 * ```
 */
export function convTranspose(input: Tensor, weight: Tensor, options?: ConvTransposeOptions): Tensor {
  return runOp('convTranspose', [input, weight], options);
}
