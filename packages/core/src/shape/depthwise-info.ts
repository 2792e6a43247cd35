import { ConvError } from '../errors.js';
import { convInfo } from './conv-info.js';
import { inputLayout } from './layout.js';
import { shapesSuffix } from './normalize.js';
import type { ConvInfo, ConvOptions, ResolverArguments } from './types.js';

/**
 * Options of {@link depthwiseConv}: those of {@link conv} without `groups` (always the input channels).
 *
 * @example
 * ```ts
 * import type { DepthwiseConvOptions } from '@convkit/core';
 * const options: DepthwiseConvOptions = { stride: 2, padding: 'same_upper' };
 * options.padding; // 'same_upper'
 * ```
 */
export type DepthwiseConvOptions = Omit<ConvOptions, 'groups'>;

/**
 * Validates a depthwise convolution: a conv with `groups = C_in` and a `[C_in * multiplier, 1, ...k]` weight.
 *
 * @throws {ConvError} naming the op, the argument and both shapes.
 * @example
 * ```ts
 * import { depthwiseConvInfo } from '@convkit/core/shape';
 * depthwiseConvInfo([1, 144, 56, 56], [144, 1, 3, 3], { padding: 1 }).groups; // 144
 * ```
 */
export function depthwiseConvInfo(
  ...[inputShape, weightShape, options = {}, op = 'depthwiseConv']: ResolverArguments<DepthwiseConvOptions>
): ConvInfo {
  const shapes = shapesSuffix({ op, inputShape, weightShape });
  if ((options as ConvOptions).groups !== undefined) {
    throw new ConvError(
      op,
      'groups',
      `${op} takes no groups option (one group per input channel, always); use conv for other group counts; ${shapes}`,
    );
  }
  const { channels } = inputLayout(inputShape, weightShape.length - 2);
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
