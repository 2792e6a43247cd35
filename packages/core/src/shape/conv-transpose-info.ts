import { describeValue } from '../errors.js';
import { checkGroupsDivideChannels, readCommon, type Layout } from './layout.js';
import { explicitPadding, fail, perDimIntegers, type ShapeContext } from './normalize.js';
import { splitSamePadding } from './padding.js';
import { checkOutputSize, finishInfo } from './record.js';
import type { ConvInfo, ConvTransposeOptions, ResolverArguments, ShapeArguments } from './types.js';

/**
 * Validates a transposed convolution and resolves it: padding (including ONNX's `output_shape`
 * with `'same_upper'`/`'same_lower'`, where the padding may come out negative and extend the
 * output), PyTorch's `output_size`, output padding and the output size
 * `(in - 1) * stride - padBegin - padEnd + dilation * (k - 1) + outputPadding + 1`.
 *
 * @throws {ConvError} naming the op, the argument and both shapes, before anything is allocated.
 * @example
 * ```ts
 * import { convTransposeInfo } from '@convkit/core/shape';
 * // DCGAN's 4x4 stride-2 upsampling: [1, 128, 16, 16] -> [1, 64, 32, 32]
 * convTransposeInfo([1, 128, 16, 16], [128, 64, 4, 4], { stride: 2, padding: 1 }).outputShape; // [1, 64, 32, 32]
 * ```
 */
export function convTransposeInfo(...call: ResolverArguments<ConvTransposeOptions>): ConvInfo {
  const common = readCommon(call, { op: 'convTranspose', kernelLayout: '([C_in, C_out/groups, ...kernel])' });
  const { context, layout, groups, stride, dilation, effective, options } = common;
  const { weightShape } = context;
  const { spatialRank, inSize } = layout;
  const unsupportedMode = (options as { paddingMode?: unknown }).paddingMode;
  if (unsupportedMode !== undefined && unsupportedMode !== 'zeros') {
    fail(
      context,
      'paddingMode',
      `paddingMode ${describeValue(unsupportedMode)} is not supported by transposed convolution, only 'zeros' (as in PyTorch)`,
    );
  }
  if (weightShape[0] !== layout.channels) {
    fail(context, 'weight', `weight.shape[0] (${weightShape[0]}) must equal input channels (${layout.channels})`);
  }
  checkGroupsDivideChannels(common);
  const outChannelsPerGroup = weightShape[1];
  const outChannels = outChannelsPerGroup * groups;
  const outputSizeOption = fullOrSpatialOutputSize(context, options.outputSize, layout, outChannels);
  const padding = options.padding;
  if ((padding as unknown) === 'same') {
    fail(
      context,
      'padding',
      `padding 'same' is not defined for transposed convolution; use 'same_upper' or 'same_lower' (ONNX) or explicit padding`,
    );
  }
  let outputPadding = perDimIntegers(context, 'outputPadding', options.outputPadding, spatialRank, 0, 0);
  const fullSize = (axis: number): number => (inSize[axis] - 1) * stride[axis] + effective[axis] + outputPadding[axis];
  let padBegin: number[];
  let padEnd: number[];
  if (padding === 'same_upper' || padding === 'same_lower') {
    checkOutputPadding(context, outputPadding, stride, dilation);
    padBegin = [];
    padEnd = [];
    for (let axis = 0; axis < spatialRank; axis++) {
      const target = outputSizeOption ? outputSizeOption[axis] : inSize[axis] * stride[axis];
      const total = fullSize(axis) - target;
      const [begin, end] = splitSamePadding(total, padding);
      padBegin.push(begin);
      padEnd.push(end);
    }
  } else {
    if (padding === 'valid') {
      ({ padBegin, padEnd } = explicitPadding(context, undefined, spatialRank));
    } else if (typeof padding === 'string') {
      fail(
        context,
        'padding',
        `unknown padding ${describeValue(padding)}; expected 'valid', 'same_upper', 'same_lower', a number, or one number or [begin, end] pair per spatial dim`,
      );
    } else {
      ({ padBegin, padEnd } = explicitPadding(context, padding, spatialRank));
    }
    if (outputSizeOption !== undefined) {
      if (options.outputPadding !== undefined) {
        fail(
          context,
          'outputPadding',
          `give either outputSize or outputPadding, not both (outputSize [${outputSizeOption.join(',')}] decides the output padding)`,
        );
      }
      outputPadding = outputSizeOption.map((target, axis) => {
        const minimum = (inSize[axis] - 1) * stride[axis] - padBegin[axis] - padEnd[axis] + effective[axis];
        const maximum = minimum + Math.max(stride[axis], dilation[axis]) - 1;
        if (target < minimum || target > maximum) {
          fail(
            context,
            'outputSize',
            `outputSize [${outputSizeOption.join(',')}] is out of range: spatial dim ${axis} must lie in [${minimum}, ${maximum}]`,
          );
        }
        return target - minimum;
      });
    } else {
      checkOutputPadding(context, outputPadding, stride, dilation);
    }
  }
  const outSize = inSize.map((_, axis) => fullSize(axis) - padBegin[axis] - padEnd[axis]);
  checkOutputSize(
    context,
    outSize,
    (axis) => `padding ${padBegin[axis]} + ${padEnd[axis]} crops away the whole ${fullSize(axis)} positions`,
  );
  return finishInfo(common, options.bias, {
    transposed: true,
    outChannels,
    inChannelsPerGroup: layout.channels / groups,
    outChannelsPerGroup,
    outSize,
    padBegin,
    padEnd,
    outputPadding,
    paddingMode: 'zeros',
  });
}

/**
 * `outputSize` as spatial sizes: PyTorch's `output_size` may also be the full output shape
 * (`[N, C_out, ...spatial]`, or `[C_out, ...spatial]` for an unbatched input), whose leading
 * entries must then be the output's.
 */
function fullOrSpatialOutputSize(
  context: ShapeContext,
  outputSize: unknown,
  layout: Layout,
  outChannels: number,
): readonly number[] | undefined {
  if (outputSize === undefined) return undefined;
  const { spatialRank, batched, batch } = layout;
  const leading = batched ? [batch, outChannels] : [outChannels];
  if (
    !Array.isArray(outputSize) ||
    (outputSize.length !== spatialRank && outputSize.length !== spatialRank + leading.length)
  ) {
    fail(
      context,
      'outputSize',
      `outputSize must have one entry per spatial dim (${spatialRank}) or be the whole output shape (${spatialRank + leading.length} entries), got ${describeValue(outputSize)}`,
    );
  }
  if (!outputSize.every((extent) => Number.isInteger(extent) && extent > 0)) {
    fail(context, 'outputSize', `outputSize must be positive integers, got ${describeValue(outputSize)}`);
  }
  if (outputSize.length === spatialRank) return outputSize;
  if (leading.some((extent, axis) => outputSize[axis] !== extent)) {
    fail(
      context,
      'outputSize',
      `outputSize ${describeValue(outputSize)} is a whole output shape whose leading entries must be ${describeValue(leading)} (${batched ? 'batch, output channels' : 'output channels'})`,
    );
  }
  return outputSize.slice(leading.length);
}

function checkOutputPadding(
  context: ShapeContext,
  outputPadding: readonly number[],
  stride: readonly number[],
  dilation: readonly number[],
): void {
  for (let axis = 0; axis < outputPadding.length; axis++) {
    if (outputPadding[axis] >= Math.max(stride[axis], dilation[axis])) {
      fail(
        context,
        'outputPadding',
        `outputPadding [${outputPadding.join(',')}] must be smaller than either stride [${stride.join(',')}] or dilation [${dilation.join(',')}] on every spatial dim`,
      );
    }
  }
}

/**
 * The output shape of a transposed convolution.
 *
 * @example
 * ```ts
 * import { convTransposeOutputShape } from '@convkit/core/shape';
 * convTransposeOutputShape([1, 2, 3, 3], [2, 1, 3, 3], { stride: 2, outputPadding: 1 }); // [1, 1, 8, 8]
 * ```
 */
export function convTransposeOutputShape(
  ...[inputShape, weightShape, options]: ShapeArguments<ConvTransposeOptions>
): number[] {
  return [...convTransposeInfo(inputShape, weightShape, options, 'convTransposeOutputShape').outputShape];
}
