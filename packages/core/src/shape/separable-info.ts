import type { Tensor } from '../tensor.js';
import { checkBias } from './record.js';
import { depthwiseConvInfo } from './depthwise-info.js';
import { pointwiseConvInfo } from './pointwise-info.js';
import type { ConvInfo, ConvOptions } from './types.js';

/**
 * Options of {@link separableConv}. Stride, padding, dilation and padding mode apply to the depthwise stage.
 *
 * @example
 * ```ts
 * import type { SeparableConvOptions } from '@convkit/core';
 * const options: SeparableConvOptions = { padding: 1, dilation: 2 };
 * options.dilation; // 2
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
 * @throws {ConvError} naming the op, the argument and the shapes of the stage at fault.
 * @example
 * ```ts
 * import { separableConvInfo } from '@convkit/core/shape';
 * const { depthwise, pointwise } = separableConvInfo([1, 16, 8, 8], [16, 1, 3, 3], [32, 16, 1, 1], { padding: 1 });
 * pointwise.outputShape; // [1, 32, 8, 8]
 * ```
 */
export function separableConvInfo(
  inputShape: readonly number[],
  depthwiseWeightShape: readonly number[],
  pointwiseWeightShape: readonly number[],
  options: SeparableConvOptions = {},
  op = 'separableConv',
): { depthwise: ConvInfo; pointwise: ConvInfo } {
  const { depthwiseBias, bias, algorithm: _algorithm, ...depthwiseOptions } = options;
  // Validated without its bias first, so a wrong depthwiseBias is reported under its own name.
  const unbiased = depthwiseConvInfo(inputShape, depthwiseWeightShape, depthwiseOptions, op);
  const context = { op, inputShape, weightShape: depthwiseWeightShape };
  const depthwise = checkBias(context, depthwiseBias, unbiased.outChannels, 'depthwiseBias')
    ? depthwiseConvInfo(inputShape, depthwiseWeightShape, { ...depthwiseOptions, bias: depthwiseBias }, op)
    : unbiased;
  const pointwise = pointwiseConvInfo(depthwise.outputShape, pointwiseWeightShape, { bias }, op);
  return { depthwise, pointwise };
}
