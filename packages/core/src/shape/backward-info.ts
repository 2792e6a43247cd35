import { ConvError, formatShape } from '../errors.js';
import type { Tensor, TensorShape } from '../tensor.js';
import { convInfo } from './conv-info.js';
import { convTransposeInfo } from './conv-transpose-info.js';
import type { ConvInfo } from './types.js';

/**
 * The gradients a backward op can return: of the loss with respect to the input, the weight and
 * the bias of the forward op.
 *
 * @example
 * ```ts
 * import type { GradientName } from '@convkit/core';
 * const frozenLayer: GradientName[] = ['gradInput'];
 * frozenLayer[0]; // 'gradInput'
 * ```
 */
export type GradientName = 'gradInput' | 'gradWeight' | 'gradBias';

/**
 * Everything a backend needs to differentiate one validated convolution: the forward record and
 * the record of the convolution whose output is the input gradient. The input gradient of a
 * convolution is the transposed convolution of `gradOutput` with the same weight (it sends every
 * output's gradient back along the taps that read it); the input gradient of a transposed
 * convolution is the plain convolution of `gradOutput`. With a padding mode other than zeros the
 * transposed convolution produces the gradient of the *padded* input, whose border is then folded
 * back onto the elements it copies ({@link foldsPadding}).
 *
 * @example
 * ```ts
 * import { convInfo, gradientInfo } from '@convkit/core';
 * const { gradInput } = gradientInfo(convInfo([1, 2, 7, 7], [4, 2, 3, 3], { stride: 2, padding: 1 }));
 * gradInput.transposed; // true
 * gradInput.outputShape; // [1, 2, 7, 7]
 * ```
 */
export interface GradientInfo {
  readonly forward: ConvInfo;
  /** The convolution of `gradOutput` with the forward weight that yields the input gradient (or its padded form). */
  readonly gradInput: ConvInfo;
  /** True when `gradInput` computes the gradient of the padded input, to be folded back by `foldPaddingGradient`. */
  readonly foldsPadding: boolean;
}

/**
 * The record of the convolution that computes a forward record's input gradient (see {@link GradientInfo}).
 * Built through the shape module wherever the adjoint has non-negative padding; a transposed
 * convolution sized by `outputSize` past its full extent has an adjoint that crops (negative
 * padding), which no option can say, so that record is derived from the forward one.
 *
 * @example
 * ```ts
 * import { convTransposeInfo, gradientInfo } from '@convkit/core';
 * const forward = convTransposeInfo([1, 4, 3, 3], [4, 2, 4, 4], { stride: 2, padding: 1 });
 * gradientInfo(forward).gradInput.outputShape; // [1, 4, 3, 3]
 * ```
 */
export function gradientInfo(forward: ConvInfo): GradientInfo {
  const { op, stride, dilation, groups, padBegin, padEnd, outputShape, weightShape } = forward;
  if (!forward.transposed) {
    const foldsPadding = forward.paddingMode !== 'zeros';
    // A padding mode pads by copying; the transposed conv then yields the padded input's
    // gradient (padding 0, padded size) and the copies' gradients are summed back afterwards.
    const padding = foldsPadding ? 0 : padBegin.map((begin, axis) => [begin, padEnd[axis]] as [number, number]);
    const outputSize = foldsPadding
      ? forward.inSize.map((extent, axis) => extent + padBegin[axis] + padEnd[axis])
      : forward.inSize;
    const gradInput = convTransposeInfo(
      outputShape,
      weightShape,
      { stride, dilation, groups, padding, outputSize },
      op,
    );
    return Object.freeze({ forward, gradInput, foldsPadding });
  }
  // The adjoint reads gradOutput at `in * stride - padBegin + tap * dilation`; its end padding
  // absorbs the output padding, which no tap reads.
  const adjointEnd = padEnd.map((end, axis) => end - forward.outputPadding[axis]);
  if (padBegin.every((begin) => begin >= 0) && adjointEnd.every((end) => end >= 0)) {
    const padding = padBegin.map((begin, axis) => [begin, adjointEnd[axis]] as [number, number]);
    const gradInput = convInfo(outputShape, weightShape, { stride, dilation, groups, padding }, op);
    return Object.freeze({ forward, gradInput, foldsPadding: false });
  }
  const gradInput: ConvInfo = Object.freeze({
    ...forward,
    transposed: false,
    inChannels: forward.outChannels,
    outChannels: forward.inChannels,
    inChannelsPerGroup: forward.outChannelsPerGroup,
    outChannelsPerGroup: forward.inChannelsPerGroup,
    inSize: forward.outSize,
    outSize: forward.inSize,
    padEnd: Object.freeze(adjointEnd),
    outputPadding: Object.freeze(new Array<number>(forward.spatialRank).fill(0)),
    hasBias: false,
    inputShape: forward.outputShape,
    outputShape: forward.inputShape,
    key: `gradInput|${forward.key}`,
  });
  return Object.freeze({ forward, gradInput, foldsPadding: false });
}

/**
 * Throws unless `gradOutput` has the forward op's output shape.
 *
 * @throws {ConvError} naming `gradOutput`, the expected shape and the forward shapes.
 * @example
 * ```ts
 * import { checkGradOutput, convInfo, zeros } from '@convkit/core';
 * checkGradOutput(convInfo([1, 1, 5], [1, 1, 3]), zeros([1, 1, 4]));
 * // throws ConvError: conv: gradOutput must have the output's shape [1,1,3], got [1,1,4]; input [1,1,5], weight [1,1,3]
 * ```
 */
export function checkGradOutput(forward: ConvInfo, gradOutput: TensorShape): void {
  const want = forward.outputShape;
  const got = gradOutput.shape;
  if (got.length !== want.length || got.some((extent, axis) => extent !== want[axis])) {
    throw new ConvError(
      forward.op,
      'gradOutput',
      `gradOutput must have the output's shape ${formatShape(want)}, got ${formatShape(got)}; input ${formatShape(forward.inputShape)}, weight ${formatShape(forward.weightShape)}`,
    );
  }
}

/**
 * The option every backward op adds to its forward op's options: which gradients to compute
 * (all by default). A frozen layer needs only `['gradInput']`; the first layer of a network only
 * `['gradWeight', 'gradBias']`. Gradients not asked for are not computed and come back `undefined`.
 *
 * @example
 * ```ts
 * import type { BackwardOptions } from '@convkit/core';
 * const frozen: BackwardOptions<'gradInput'> = { need: ['gradInput'] };
 * frozen.need; // ['gradInput']
 * ```
 */
export interface BackwardOptions<Need extends string = GradientName> {
  readonly need?: readonly Need[];
}

/**
 * What a backward op returns: a tensor for every gradient in `Need`, `undefined` for the others.
 *
 * @example
 * ```ts
 * import { convBackward, tensor, type Gradients } from '@convkit/core';
 * const result: Gradients<'gradInput'> = convBackward(tensor([1, 2], [1, 1, 2]), tensor([1], [1, 1, 1]), tensor([1, 1], [1, 1, 2]), { need: ['gradInput'] });
 * result.gradWeight; // undefined
 * ```
 */
export type Gradients<Need extends All, All extends string = GradientName> = { readonly [Name in Need]: Tensor } & {
  readonly [Name in Exclude<All, Need>]?: undefined;
};

/**
 * Reads the `need` option: the set of gradients to compute, all of `names` when absent.
 *
 * @throws {ConvError} naming `need` when it is not an array of known gradient names.
 * @example
 * ```ts
 * import { readNeed } from '@convkit/core';
 * readNeed('convBackward', { need: ['gradWeight'] }).has('gradInput'); // false
 * readNeed('convBackward', { need: ['gradOutput'] });
 * // throws ConvError: convBackward: need must list gradients among 'gradInput', 'gradWeight', 'gradBias', got ['gradOutput']
 * ```
 */
export function readNeed<Name extends string = GradientName>(
  op: string,
  options: BackwardOptions<Name> | undefined,
  names: readonly Name[] = ['gradInput', 'gradWeight', 'gradBias'] as unknown as readonly Name[],
): ReadonlySet<Name> {
  const need = options?.need;
  if (need === undefined) return new Set(names);
  if (!Array.isArray(need) || !need.every((name) => names.includes(name))) {
    const shown = Array.isArray(need) ? `[${need.map((name) => `'${String(name)}'`).join(',')}]` : String(need);
    throw new ConvError(
      op,
      'need',
      `need must list gradients among ${names.map((name) => `'${name}'`).join(', ')}, got ${shown}`,
    );
  }
  return new Set(need);
}
