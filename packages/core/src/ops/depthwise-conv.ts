import { ConvError, formatShape } from '../errors.js';
import { convInfo } from '../shape/conv-info.js';
import type { ConvInfo, ConvOptions } from '../shape/types.js';
import type { Tensor } from '../tensor.js';
import { runOp } from './run.js';

/**
 * Options of {@link depthwiseConv}: those of {@link conv} without `groups` (always the input channels).
 *
 * @example
 * ```ts
 * import type { DepthwiseConvOptions } from '@convkit/core';
 * const options: DepthwiseConvOptions = { stride: 2, padding: 'same_upper' };
 * ```
 */
export type DepthwiseConvOptions = Omit<ConvOptions, 'groups'>;

/**
 * Validates a depthwise convolution: a conv with `groups = C_in` and a `[C_in * multiplier, 1, ...k]` weight.
 *
 * @example
 * ```ts
 * import { depthwiseInfo } from '@convkit/core';
 * depthwiseInfo('depthwiseConv', [1, 144, 56, 56], [144, 1, 3, 3], { padding: 1 }).groups; // 144
 * ```
 */
export function depthwiseInfo(
  op: string,
  inputShape: readonly number[],
  weightShape: readonly number[],
  options: DepthwiseConvOptions,
): ConvInfo {
  const shapes = `input ${formatShape(inputShape)}, weight ${formatShape(weightShape)}`;
  if ((options as ConvOptions).groups !== undefined) {
    throw new ConvError(
      op,
      'groups',
      `${op} takes no groups option (one group per input channel, always); use conv for other group counts; ${shapes}`,
    );
  }
  const spatialRank = weightShape.length - 2;
  const channels = inputShape.length === spatialRank + 2 ? inputShape[1] : inputShape[0];
  if (weightShape.length >= 3 && weightShape[1] !== 1) {
    throw new ConvError(
      op,
      'weight',
      `weight.shape[1] must be 1 (weight is [C_in * multiplier, 1, ...kernel]), got ${weightShape[1]}; ${shapes}`,
    );
  }
  if (weightShape.length >= 3 && Number.isInteger(channels) && channels > 0 && weightShape[0] % channels !== 0) {
    throw new ConvError(
      op,
      'weight',
      `weight.shape[0] (${weightShape[0]}) must be a multiple of the input channels (${channels}), as weight is [C_in * multiplier, 1, ...kernel]; ${shapes}`,
    );
  }
  const groups = Number.isInteger(channels) && channels > 0 ? channels : 1;
  return convInfo(inputShape, weightShape, { ...options, groups }, op);
}

/**
 * Depthwise convolution: every input channel is convolved with its own `multiplier` filters and
 * never mixed with the others. Weight `[C_in * multiplier, 1, ...kernel]`; output channel
 * `c * multiplier + j` reads input channel `c`. The same as {@link conv} with `groups = C_in`.
 *
 * @throws {ConvError} when the weight is not depthwise-shaped, or for any other invalid argument.
 * @example
 * ```ts
 * import { depthwiseConv, tensor } from '@convkit/core';
 * const input = tensor([1, 2, 3, 10, 20, 30], [1, 2, 3]); // 2 channels
 * const weight = tensor([1, 1, -1, 1], [2, 1, 2]); // a sum filter for channel 0, a difference for channel 1
 * depthwiseConv(input, weight).data; // Float32Array [3, 5, 10, 10]
 * ```
 */
export function depthwiseConv(input: Tensor, weight: Tensor, options?: DepthwiseConvOptions): Tensor {
  return runOp('depthwiseConv', [input, weight], options);
}
