import { ConvError, formatShape } from '../errors.js';
import { checkShape, sizeOf } from '../tensor.js';
import type { Tensor } from '../tensor.js';
import {
  MAX_ELEMENTS,
  explicitPadding,
  fail,
  perDimIntegers,
  positiveInteger,
  type ShapeContext,
} from './normalize.js';
import type { ConvAlgorithm, ConvInfo, ConvOptions, ConvTransposeOptions, Padding, PaddingMode } from './types.js';

const PADDING_MODES: readonly PaddingMode[] = ['zeros', 'reflect', 'replicate', 'circular'];

/**
 * The span of input covered by one kernel application: `dilation * (kernel - 1) + 1`.
 *
 * @example
 * ```ts
 * import { effectiveKernelSize } from '@convkit/core/shape';
 * effectiveKernelSize(3, 2); // 5
 * effectiveKernelSize([3, 3], [1, 4]); // [3, 9]
 * ```
 */
export function effectiveKernelSize(kernelSize: number, dilation?: number): number;
export function effectiveKernelSize(kernelSize: readonly number[], dilation?: number | readonly number[]): number[];
export function effectiveKernelSize(
  kernelSize: number | readonly number[],
  dilation: number | readonly number[] = 1,
): number | number[] {
  if (typeof kernelSize === 'number') {
    const step = typeof dilation === 'number' ? dilation : dilation[0];
    return step * (kernelSize - 1) + 1;
  }
  return kernelSize.map((extent, axis) => {
    const step = typeof dilation === 'number' ? dilation : dilation[axis];
    return step * (extent - 1) + 1;
  });
}

/**
 * Geometry that {@link resolvePadding} needs: sizes per spatial dim.
 *
 * @example
 * ```ts
 * import type { PaddingGeometry } from '@convkit/core/shape';
 * const geometry: PaddingGeometry = { inSize: [224, 224], kernelSize: [7, 7], stride: 2 };
 * ```
 */
export interface PaddingGeometry {
  inSize: readonly number[];
  kernelSize: readonly number[];
  stride?: number | readonly number[];
  dilation?: number | readonly number[];
}

/**
 * Resolves any {@link Padding} of a convolution into begin/end amounts per spatial dim, with
 * PyTorch's `'same'` (stride 1 only, odd extra at the end) and ONNX's `'same_upper'` /
 * `'same_lower'` (output = ceil(in / stride), odd extra at the end / beginning).
 *
 * @throws {ConvError} for malformed padding, negative amounts, or `'same'` with a stride above 1.
 * @example
 * ```ts
 * import { resolvePadding } from '@convkit/core/shape';
 * resolvePadding('same_upper', { inSize: [5], kernelSize: [4], stride: [2] });
 * // { padBegin: [1], padEnd: [2] }
 * resolvePadding('same_lower', { inSize: [5], kernelSize: [4], stride: [2] });
 * // { padBegin: [2], padEnd: [1] }
 * resolvePadding([[0, 1], [2, 2]], { inSize: [5, 5], kernelSize: [3, 3] });
 * // { padBegin: [0, 2], padEnd: [1, 2] }
 * ```
 */
export function resolvePadding(
  padding: Padding | undefined,
  geometry: PaddingGeometry,
  op = 'conv',
): { padBegin: number[]; padEnd: number[] } {
  const spatialRank = geometry.kernelSize.length;
  const context: ShapeContext = { op, inputShape: geometry.inSize, weightShape: geometry.kernelSize };
  const stride = perDimIntegers(context, 'stride', geometry.stride, spatialRank, 1, 1);
  const dilation = perDimIntegers(context, 'dilation', geometry.dilation, spatialRank, 1, 1);
  return convPadding(context, padding, geometry.inSize, geometry.kernelSize, stride, dilation);
}

function convPadding(
  context: ShapeContext,
  padding: Padding | undefined,
  inSize: readonly number[],
  kernelSize: readonly number[],
  stride: readonly number[],
  dilation: readonly number[],
): { padBegin: number[]; padEnd: number[] } {
  if (typeof padding !== 'string') return explicitPadding(context, padding, kernelSize.length);
  const padBegin: number[] = [];
  const padEnd: number[] = [];
  for (let axis = 0; axis < kernelSize.length; axis++) {
    const span = dilation[axis] * (kernelSize[axis] - 1) + 1;
    let total: number;
    switch (padding) {
      case 'valid':
        total = 0;
        break;
      case 'same':
        if (stride.some((step) => step !== 1)) {
          fail(
            context,
            'padding',
            `padding 'same' (PyTorch) needs stride 1, got stride [${stride.join(',')}]; use 'same_upper' or 'same_lower' for strided same padding`,
          );
        }
        total = span - 1;
        break;
      case 'same_upper':
      case 'same_lower': {
        const outSize = Math.ceil(inSize[axis] / stride[axis]);
        total = Math.max(0, (outSize - 1) * stride[axis] + span - inSize[axis]);
        break;
      }
      default:
        fail(
          context,
          'padding',
          `unknown padding '${String(padding)}'; expected 'valid', 'same', 'same_upper', 'same_lower', a number, or one number or [begin, end] pair per spatial dim`,
        );
    }
    const half = Math.floor(total / 2);
    const begin = padding === 'same_lower' ? total - half : half;
    padBegin.push(begin);
    padEnd.push(total - begin);
  }
  return { padBegin, padEnd };
}

interface Layout {
  spatialRank: number;
  batched: boolean;
  batch: number;
  channels: number;
  inSize: number[];
  kernelSize: number[];
}

/** Checks the ranks of input and weight against each other and against the op's expected rank. */
function readLayout(context: ShapeContext, expectedSpatialRank: number | undefined, kernelLayout: string): Layout {
  const { inputShape, weightShape } = context;
  checkShape(context.op, 'input', inputShape);
  checkShape(context.op, 'weight', weightShape);
  const spatialRank = weightShape.length - 2;
  if (expectedSpatialRank !== undefined && spatialRank !== expectedSpatialRank) {
    fail(
      context,
      'weight',
      `weight must have ${expectedSpatialRank + 2} dims ${kernelLayout}, got ${weightShape.length}`,
    );
  }
  if (spatialRank < 1 || spatialRank > 3) {
    fail(context, 'weight', `weight must have 3, 4 or 5 dims ${kernelLayout}, got ${weightShape.length}`);
  }
  const batched = inputShape.length === spatialRank + 2;
  if (!batched && inputShape.length !== spatialRank + 1) {
    fail(
      context,
      'input',
      `input must have ${spatialRank + 2} dims (batched [N, C, ...]) or ${spatialRank + 1} (unbatched [C, ...]) to match a weight with ${spatialRank} spatial dims, got ${inputShape.length}`,
    );
  }
  const offset = batched ? 1 : 0;
  const layout: Layout = {
    spatialRank,
    batched,
    batch: batched ? inputShape[0] : 1,
    channels: inputShape[offset],
    inSize: inputShape.slice(offset + 1),
    kernelSize: weightShape.slice(2),
  };
  const emptyInput = inputShape.indexOf(0);
  if (emptyInput >= 0) fail(context, 'input', `input has an empty dim (input.shape[${emptyInput}] = 0)`);
  const emptyWeight = weightShape.indexOf(0);
  if (emptyWeight >= 0) fail(context, 'weight', `weight has an empty dim (weight.shape[${emptyWeight}] = 0)`);
  return layout;
}

function checkBias(context: ShapeContext, bias: Tensor | undefined, outChannels: number): boolean {
  if (bias === undefined || bias === null) return false;
  if (typeof bias !== 'object' || !Array.isArray(bias.shape)) {
    fail(context, 'bias', `bias must be a tensor { shape, data } of shape [${outChannels}]`);
  }
  if (bias.shape.length !== 1 || bias.shape[0] !== outChannels) {
    fail(context, 'bias', `bias must have shape [${outChannels}] (output channels), got ${formatShape(bias.shape)}`);
  }
  return true;
}

function checkElementCount(context: ShapeContext, arg: string, shape: readonly number[]): void {
  const count = sizeOf(shape);
  if (count > MAX_ELEMENTS) {
    fail(context, arg, `${arg} ${formatShape(shape)} would have ${count} elements, more than the limit of 2^31 - 1`);
  }
}

function checkOutputSize(context: ShapeContext, outSize: readonly number[], explain: (axis: number) => string): void {
  for (let axis = 0; axis < outSize.length; axis++) {
    if (outSize[axis] < 1) {
      fail(
        context,
        'input',
        `the output would be empty: spatial dim ${axis} has size ${outSize[axis]} (${explain(axis)})`,
      );
    }
  }
}

function freezeInfo(info: Omit<ConvInfo, 'key'>): ConvInfo {
  const key = [
    info.transposed ? 'T' : 'C',
    info.spatialRank,
    info.inputShape.join('x'),
    info.weightShape.join('x'),
    info.outputShape.join('x'),
    info.groups,
    info.stride.join(','),
    info.dilation.join(','),
    info.padBegin.join(','),
    info.padEnd.join(','),
    info.outputPadding.join(','),
    info.paddingMode,
    info.hasBias ? 'b' : '',
  ].join('|');
  const record: Record<string, unknown> = { ...info, key };
  for (const [name, value] of Object.entries(record)) {
    if (Array.isArray(value)) record[name] = Object.freeze(value);
  }
  return Object.freeze(record) as unknown as ConvInfo;
}

/** What a convolution and a transposed convolution validate alike: ranks, groups, stride, dilation. */
function readCommon(
  context: ShapeContext,
  options: { groups?: number; stride?: number | readonly number[]; dilation?: number | readonly number[] },
  expectedSpatialRank: number | undefined,
  kernelLayout: string,
) {
  const layout = readLayout(context, expectedSpatialRank, kernelLayout);
  return {
    layout,
    groups: positiveInteger(context, 'groups', options.groups, 1),
    stride: perDimIntegers(context, 'stride', options.stride, layout.spatialRank, 1, 1),
    dilation: perDimIntegers(context, 'dilation', options.dilation, layout.spatialRank, 1, 1),
  };
}

type ResolvedFields = Omit<
  ConvInfo,
  | 'key'
  | 'op'
  | 'spatialRank'
  | 'batched'
  | 'batch'
  | 'inChannels'
  | 'inSize'
  | 'kernelSize'
  | 'hasBias'
  | 'inputShape'
  | 'weightShape'
  | 'outputShape'
>;

/** Checks the bias and the element counts, then freezes the record. */
function finishInfo(context: ShapeContext, layout: Layout, bias: Tensor | undefined, fields: ResolvedFields): ConvInfo {
  const hasBias = checkBias(context, bias, fields.outChannels);
  const outputShape = layout.batched
    ? [layout.batch, fields.outChannels, ...fields.outSize]
    : [fields.outChannels, ...fields.outSize];
  checkElementCount(context, 'input', context.inputShape);
  checkElementCount(context, 'output', outputShape);
  return freezeInfo({
    ...fields,
    op: context.op,
    spatialRank: layout.spatialRank,
    batched: layout.batched,
    batch: layout.batch,
    inChannels: layout.channels,
    inSize: layout.inSize,
    kernelSize: layout.kernelSize,
    hasBias,
    inputShape: [...context.inputShape],
    weightShape: [...context.weightShape],
    outputShape,
  });
}

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
export function convInfo(
  inputShape: readonly number[],
  weightShape: readonly number[],
  options: ConvOptions = {},
  op = 'conv',
  expectedSpatialRank?: number,
): ConvInfo {
  const context: ShapeContext = { op, inputShape, weightShape };
  const { layout, groups, stride, dilation } = readCommon(
    context,
    options,
    expectedSpatialRank,
    '([C_out, C_in/groups, ...kernel])',
  );
  const { spatialRank, inSize, kernelSize } = layout;
  const paddingMode = options.paddingMode ?? 'zeros';
  if (!PADDING_MODES.includes(paddingMode)) {
    fail(
      context,
      'paddingMode',
      `paddingMode must be one of ${PADDING_MODES.map((m) => `'${m}'`).join(', ')}, got '${String(paddingMode)}'`,
    );
  }
  const outChannels = weightShape[0];
  const inChannelsPerGroup = weightShape[1];
  if (layout.channels % groups !== 0) {
    fail(context, 'groups', `input channels (${layout.channels}) must be divisible by groups (${groups})`);
  }
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
  const effective = effectiveKernelSize(kernelSize, dilation);
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
  return finishInfo(context, layout, options.bias, {
    transposed: false,
    outChannels,
    groups,
    inChannelsPerGroup,
    outChannelsPerGroup: outChannels / groups,
    outSize,
    effectiveKernelSize: effective,
    stride,
    dilation,
    padBegin,
    padEnd,
    outputPadding: new Array<number>(spatialRank).fill(0),
    paddingMode,
  });
}

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
 * convTransposeInfo([1, 128, 16, 16], [128, 64, 4, 4], { stride: 2, padding: 1 }).outputShape;
 * ```
 */
export function convTransposeInfo(
  inputShape: readonly number[],
  weightShape: readonly number[],
  options: ConvTransposeOptions = {},
  op = 'convTranspose',
  expectedSpatialRank?: number,
): ConvInfo {
  const context: ShapeContext = { op, inputShape, weightShape };
  const { layout, groups, stride, dilation } = readCommon(
    context,
    options,
    expectedSpatialRank,
    '([C_in, C_out/groups, ...kernel])',
  );
  const { spatialRank, inSize, kernelSize } = layout;
  const unsupportedMode = (options as { paddingMode?: unknown }).paddingMode;
  if (unsupportedMode !== undefined && unsupportedMode !== 'zeros') {
    fail(
      context,
      'paddingMode',
      `paddingMode '${String(unsupportedMode)}' is not supported by transposed convolution, only 'zeros' (as in PyTorch)`,
    );
  }
  if (weightShape[0] !== layout.channels) {
    fail(context, 'weight', `weight.shape[0] (${weightShape[0]}) must equal input channels (${layout.channels})`);
  }
  if (layout.channels % groups !== 0) {
    fail(context, 'groups', `input channels (${layout.channels}) must be divisible by groups (${groups})`);
  }
  const outChannelsPerGroup = weightShape[1];
  const outChannels = outChannelsPerGroup * groups;
  const effective = effectiveKernelSize(kernelSize, dilation);
  const outputSizeOption = options.outputSize;
  if (outputSizeOption !== undefined) {
    if (!Array.isArray(outputSizeOption) || outputSizeOption.length !== spatialRank) {
      fail(
        context,
        'outputSize',
        `outputSize must have one entry per spatial dim (${spatialRank}), got ${JSON.stringify(outputSizeOption)}`,
      );
    }
    if (!outputSizeOption.every((extent) => Number.isInteger(extent) && extent > 0)) {
      fail(context, 'outputSize', `outputSize must be positive integers, got [${outputSizeOption.join(',')}]`);
    }
  }
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
      const half = Math.floor(total / 2);
      const begin = padding === 'same_upper' ? half : total - half;
      padBegin.push(begin);
      padEnd.push(total - begin);
    }
  } else {
    if (padding === 'valid') {
      ({ padBegin, padEnd } = explicitPadding(context, undefined, spatialRank));
    } else if (typeof padding === 'string') {
      fail(
        context,
        'padding',
        `unknown padding '${String(padding)}'; expected 'valid', 'same_upper', 'same_lower', a number, or one number or [begin, end] pair per spatial dim`,
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
  return finishInfo(context, layout, options.bias, {
    transposed: true,
    outChannels,
    groups,
    inChannelsPerGroup: layout.channels / groups,
    outChannelsPerGroup,
    outSize,
    effectiveKernelSize: effective,
    stride,
    dilation,
    padBegin,
    padEnd,
    outputPadding,
    paddingMode: 'zeros',
  });
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
 * The output shape of a convolution (`[N, C_out, ...out]`, or `[C_out, ...out]` unbatched).
 *
 * @example
 * ```ts
 * import { convOutputShape } from '@convkit/core/shape';
 * convOutputShape([1, 64, 56, 56], [64, 64, 3, 3], { padding: 1 }); // [1, 64, 56, 56]
 * convOutputShape([1, 1, 7], [1, 1, 3], { dilation: 2 }); // [1, 1, 3]
 * ```
 */
export function convOutputShape(
  inputShape: readonly number[],
  weightShape: readonly number[],
  options: ConvOptions = {},
): number[] {
  return [...convInfo(inputShape, weightShape, options, 'convOutputShape').outputShape];
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
  inputShape: readonly number[],
  weightShape: readonly number[],
  options: ConvTransposeOptions = {},
): number[] {
  return [...convTransposeInfo(inputShape, weightShape, options, 'convTransposeOutputShape').outputShape];
}

/**
 * Throws unless `tensor.data` is a Float32Array whose length matches `tensor.shape`.
 *
 * @example
 * ```ts
 * import { checkTensor } from '@convkit/core';
 * checkTensor('myOp', 'input', { shape: [2, 2], data: new Float32Array(3) });
 * // throws ConvError: myOp: input.data has 3 elements but input [2,2] needs 4
 * ```
 */
export function checkTensor(op: string, arg: string, value: Tensor | undefined): void {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object' || !Array.isArray(value.shape)) {
    throw new ConvError(op, arg, `${arg} must be a tensor { shape, data: Float32Array }, got ${String(value)}`);
  }
  checkShape(op, `${arg}.shape`, value.shape);
  if (!(value.data instanceof Float32Array)) {
    throw new ConvError(op, arg, `${arg}.data must be a Float32Array; ${arg} ${formatShape(value.shape)}`);
  }
  const expected = sizeOf(value.shape);
  if (value.data.length !== expected) {
    throw new ConvError(
      op,
      arg,
      `${arg}.data has ${value.data.length} elements but ${arg} ${formatShape(value.shape)} needs ${expected}`,
    );
  }
}

const ALGORITHMS: readonly ConvAlgorithm[] = ['auto', 'direct'];

/**
 * The checks every op runs before the shape module: `options` is an options object (or
 * undefined), every named tensor is a well-formed tensor, and `options.algorithm` is valid.
 * Returns the algorithm to use. `@convkit/gpu` runs the same checks, so both packages reject a
 * malformed call with the same message.
 *
 * @throws {ConvError} naming the op and the argument at fault.
 * @example
 * ```ts
 * import { checkCall, tensor } from '@convkit/core';
 * checkCall('conv', { algorithm: 'direct' }, { input: tensor([1], [1, 1, 1]) }); // 'direct'
 * checkCall('conv', [], {}); // throws ConvError: conv: options must be an object, got an array
 * ```
 */
export function checkCall(
  op: string,
  options: unknown,
  tensors: Readonly<Record<string, Tensor | undefined>>,
): ConvAlgorithm {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new ConvError(
      op,
      'options',
      `options must be an object, got ${Array.isArray(options) ? 'an array' : String(options)}`,
    );
  }
  for (const [arg, value] of Object.entries(tensors)) checkTensor(op, arg, value);
  const algorithm = (options as { algorithm?: unknown } | undefined)?.algorithm;
  if (algorithm === undefined) return 'auto';
  if (!ALGORITHMS.includes(algorithm as ConvAlgorithm)) {
    throw new ConvError(op, 'algorithm', `algorithm must be 'auto' or 'direct', got ${JSON.stringify(algorithm)}`);
  }
  return algorithm as ConvAlgorithm;
}
