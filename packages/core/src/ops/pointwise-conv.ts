import { ConvError, formatShape } from '../errors.js';
import { convInfo } from '../shape/conv-info.js';
import type { ConvInfo, ConvOptions } from '../shape/types.js';
import type { Tensor } from '../tensor.js';
import { runOp } from './run.js';

/**
 * Options of {@link pointwiseConv}: a 1x1 convolution has no padding or dilation to set.
 *
 * @example
 * ```ts
 * import type { PointwiseConvOptions } from '@convkit/core';
 * const options: PointwiseConvOptions = { stride: 2, groups: 4 };
 * ```
 */
export type PointwiseConvOptions = Pick<ConvOptions, 'bias' | 'stride' | 'groups' | 'algorithm'>;

/**
 * Validates a pointwise convolution: every kernel dim 1, no padding or dilation.
 *
 * @example
 * ```ts
 * import { pointwiseInfo } from '@convkit/core';
 * pointwiseInfo('pointwiseConv', [1, 144, 56, 56], [24, 144, 1, 1], {}).outputShape; // [1, 24, 56, 56]
 * ```
 */
export function pointwiseInfo(
  op: string,
  inputShape: readonly number[],
  weightShape: readonly number[],
  options: PointwiseConvOptions,
): ConvInfo {
  const shapes = `input ${formatShape(inputShape)}, weight ${formatShape(weightShape)}`;
  for (const arg of ['padding', 'dilation', 'paddingMode'] as const) {
    if ((options as ConvOptions)[arg] !== undefined) {
      throw new ConvError(op, arg, `a pointwise (1x1) convolution takes no ${arg}; use conv for that; ${shapes}`);
    }
  }
  const wide = weightShape.slice(2).findIndex((extent) => extent !== 1);
  if (wide >= 0) {
    throw new ConvError(
      op,
      'weight',
      `every kernel dim of a pointwise weight must be 1, got weight.shape[${wide + 2}] = ${weightShape[wide + 2]}; ${shapes}`,
    );
  }
  const { bias, stride, groups } = options;
  return convInfo(inputShape, weightShape, { bias, stride, groups }, op);
}

/**
 * Pointwise (1x1) convolution: mixes channels at every position independently, a per-pixel
 * matrix product. Weight `[C_out, C_in/groups, 1, ...]`.
 *
 * @throws {ConvError} when a kernel dim is not 1, or for any other invalid argument.
 * @example
 * ```ts
 * import { pointwiseConv, tensor } from '@convkit/core';
 * const input = tensor([1, 2, 3, 4], [1, 2, 2]); // 2 channels, 2 positions
 * const weight = tensor([1, 1, 1, -1], [2, 2, 1]); // sum and difference of the channels
 * pointwiseConv(input, weight).data; // Float32Array [4, 6, -2, -2]
 * ```
 */
export function pointwiseConv(input: Tensor, weight: Tensor, options?: PointwiseConvOptions): Tensor {
  return runOp('pointwiseConv', [input, weight], options);
}
