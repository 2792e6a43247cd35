import type { SeparableConvOptions } from '../shape/separable-info.js';
import type { Tensor } from '../tensor.js';
import { runOp } from './run.js';

export type { SeparableConvOptions } from '../shape/separable-info.js';

/**
 * Depthwise-separable convolution (MobileNet, Xception): a {@link depthwiseConv} followed by a
 * {@link pointwiseConv}. A 3x3 conv 16->32 has 4608 weights; its separable form has 3*3*16 + 16*32 = 656.
 *
 * @throws {ConvError} naming `separableConv` and the argument at fault, before either stage runs.
 * @example
 * ```ts
 * import { separableConv, tensor } from '@convkit/core';
 * const input = tensor([1, 2, 3, 10, 20, 30], [1, 2, 3]);
 * const depthwise = tensor([1, 1, 1, 1], [2, 1, 2]); // window sums per channel
 * const pointwise = tensor([1, 1], [1, 2, 1]); // then add the channels
 * separableConv(input, depthwise, pointwise).data; // Float32Array [33, 55]
 * ```
 */
export function separableConv(
  input: Tensor,
  depthwiseWeight: Tensor,
  pointwiseWeight: Tensor,
  options?: SeparableConvOptions,
): Tensor {
  return runOp('separableConv', [input, depthwiseWeight, pointwiseWeight], options);
}
