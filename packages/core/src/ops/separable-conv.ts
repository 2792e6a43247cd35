import type { ConvOptions } from '../shape/types.js';
import type { Tensor } from '../tensor.js';
import { depthwiseInfo } from './depthwise-conv.js';
import { pointwiseInfo } from './pointwise-conv.js';
import { runOp } from './run.js';

/**
 * Options of {@link separableConv}. Stride, padding, dilation and padding mode apply to the depthwise stage.
 *
 * @example
 * ```ts
 * import type { SeparableConvOptions } from '@convkit/core';
 * const options: SeparableConvOptions = { padding: 1, dilation: 2 };
 * ```
 */
export interface SeparableConvOptions
  extends Pick<ConvOptions, 'stride' | 'padding' | 'dilation' | 'paddingMode' | 'algorithm'> {
  /** Bias of the depthwise stage, `[C_in * multiplier]`. */
  depthwiseBias?: Tensor;
  /** Bias of the pointwise stage, `[C_out]`. */
  bias?: Tensor;
}

/**
 * Validates both stages of a separable convolution before anything runs: the pointwise stage
 * is checked against the depthwise stage's output shape.
 *
 * @example
 * ```ts
 * import { separableInfo } from '@convkit/core';
 * const { depthwise, pointwise } = separableInfo('separableConv', [1, 16, 8, 8], [16, 1, 3, 3], [32, 16, 1, 1], { padding: 1 });
 * pointwise.outputShape; // [1, 32, 8, 8]
 * ```
 */
export function separableInfo(
  op: string,
  inputShape: readonly number[],
  depthwiseWeightShape: readonly number[],
  pointwiseWeightShape: readonly number[],
  options: SeparableConvOptions,
) {
  const { depthwiseBias, bias, algorithm: _algorithm, ...depthwiseOptions } = options;
  const depthwise = depthwiseInfo(op, inputShape, depthwiseWeightShape, { ...depthwiseOptions, bias: depthwiseBias });
  const pointwise = pointwiseInfo(op, depthwise.outputShape, pointwiseWeightShape, { bias });
  return { depthwise, pointwise };
}

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
