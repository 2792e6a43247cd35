import { describeValue } from '../errors.js';
import { checkGroupsDivideChannels, readCommon } from './layout.js';
import { fail } from './normalize.js';
import { convPadding } from './padding.js';
import { checkOutputSize, finishInfo } from './record.js';
import type { ConvInfo, ConvOptions, PaddingMode, ResolverArguments, ShapeArguments } from './types.js';

const PADDING_MODES: readonly PaddingMode[] = ['zeros', 'reflect', 'replicate', 'circular'];

/**
 * Validates a convolution and resolves everything about it: channels, groups, padding, output
 * size. Every op and every GPU kernel reads this record; nothing else computes a size.
 *
 * @param op - the name used in error messages (`'conv2d'`, `'depthwiseConv'`, ...).
 * @throws {ConvError} naming the op, the argument and both shapes, before anything is allocated.
 * @example
 * ```ts
 * import { convInfo } from '@convkit/core/shape';
 * const info = convInfo([1, 3, 32, 32], [16, 3, 3, 3], { stride: 2, padding: 1 });
 * info.outputShape; // [1, 16, 16, 16]
 * info.padBegin; // [1, 1]
 * ```
 */
export function convInfo(...call: ResolverArguments<ConvOptions>): ConvInfo {
  const common = readCommon(call, { op: 'conv', kernelLayout: '([C_out, C_in/groups, ...kernel])' });
  const { context, layout, groups, stride, dilation, effective, options } = common;
  const { weightShape } = context;
  const { spatialRank, inSize, kernelSize } = layout;
  const paddingMode = options.paddingMode ?? 'zeros';
  if (!PADDING_MODES.includes(paddingMode)) {
    fail(
      context,
      'paddingMode',
      `paddingMode must be one of ${PADDING_MODES.map((m) => `'${m}'`).join(', ')}, got ${describeValue(paddingMode)}`,
    );
  }
  const outChannels = weightShape[0];
  const inChannelsPerGroup = weightShape[1];
  checkGroupsDivideChannels(common);
  if (outChannels % groups !== 0) {
    fail(
      context,
      'weight',
      `weight.shape[0] (output channels, ${outChannels}) must be divisible by groups (${groups})`,
    );
  }
  if (inChannelsPerGroup * groups !== layout.channels) {
    fail(
      context,
      'weight',
      `weight.shape[1] * groups (${inChannelsPerGroup} * ${groups} = ${inChannelsPerGroup * groups}) must equal input channels (${layout.channels})`,
    );
  }
  const { padBegin, padEnd } = convPadding(context, options.padding, inSize, kernelSize, stride, dilation);
  // PyTorch's rule: the number of whole dilated-kernel placements `stride` apart in the padded input.
  const outSize = inSize.map(
    (extent, axis) => Math.floor((extent + padBegin[axis] + padEnd[axis] - effective[axis]) / stride[axis]) + 1,
  );
  checkOutputSize(
    context,
    outSize,
    (axis) =>
      `input ${inSize[axis]} + padding ${padBegin[axis]} + ${padEnd[axis]} is smaller than the dilated kernel ${effective[axis]}`,
  );
  if (paddingMode === 'reflect' || paddingMode === 'circular') {
    for (let axis = 0; axis < spatialRank; axis++) {
      const limit = paddingMode === 'reflect' ? inSize[axis] - 1 : inSize[axis];
      if (Math.max(padBegin[axis], padEnd[axis]) > limit) {
        fail(
          context,
          'padding',
          `paddingMode '${paddingMode}' needs padding of at most ${limit} on spatial dim ${axis} (input size ${inSize[axis]}), got [${padBegin[axis]}, ${padEnd[axis]}]`,
        );
      }
    }
  }
  return finishInfo(common, options.bias, {
    transposed: false,
    outChannels,
    inChannelsPerGroup,
    outChannelsPerGroup: outChannels / groups,
    outSize,
    padBegin,
    padEnd,
    outputPadding: new Array<number>(spatialRank).fill(0),
    paddingMode,
  });
}

/**
 * The output shape of a convolution (`[N, C_out, ...out]`, or `[C_out, ...out]` unbatched).
 *
 * @example
 * ```ts
 * import { convOutputShape } from '@convkit/core/shape';
 * convOutputShape([1, 64, 56, 56], [64, 64, 3, 3], { padding: 1 }); // [1, 64, 56, 56]
 * convOutputShape([1, 1, 7], [1, 1, 3], { dilation: 2 }); // [1, 1, 3]
 * ```
 */
export function convOutputShape(...[inputShape, weightShape, options]: ShapeArguments<ConvOptions>): number[] {
  return [...convInfo(inputShape, weightShape, options, 'convOutputShape').outputShape];
}
