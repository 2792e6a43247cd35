import type { Gradients } from '../shape/backward-info.js';
import type { Tensor } from '../tensor.js';
import { type BackwardOptionsOf, type GradientNameOf, runBackwardOp } from './backward.js';
/**
 * The gradients of a separable convolution: of its input, of both weights and of both biases
 * (the table's names for `separableConv`'s tensors, with `grad` in front).
 *
 * @example
 * ```ts
 * import type { SeparableGradientName } from '@convkit/core';
 * const weightsOnly: SeparableGradientName[] = ['gradDepthwiseWeight', 'gradPointwiseWeight'];
 * weightsOnly.length; // 2
 * ```
 */
export type SeparableGradientName = GradientNameOf<'separableConv'>;

/**
 * Options of {@link separableConvBackward}: those of `separableConv` without the pointwise bias
 * (no gradient depends on it). The depthwise bias stays: the pointwise weight's gradient reads
 * the depthwise stage's output, bias included.
 *
 * @example
 * ```ts
 * import type { SeparableConvBackwardOptions } from '@convkit/core';
 * const options: SeparableConvBackwardOptions = { padding: 1, need: ['gradPointwiseWeight'] };
 * options.need; // ['gradPointwiseWeight']
 * ```
 */
export type SeparableConvBackwardOptions<Need extends string = SeparableGradientName> = BackwardOptionsOf<
  'separableConv',
  Need
>;

/**
 * The gradients of `separableConv` by the chain rule through its two stages: the pointwise
 * stage's backward (its input is the depthwise stage's output, recomputed here when a pointwise
 * weight gradient is asked for) hands its input gradient to the depthwise stage's backward.
 *
 * @throws {ConvError} naming `separableConvBackward` and the argument at fault, before either stage runs.
 * @example
 * ```ts
 * import { separableConvBackward, tensor } from '@convkit/core';
 * const input = tensor([1, 2, 3, 10, 20, 30], [1, 2, 3]);
 * const depthwise = tensor([1, 1, 1, 1], [2, 1, 2]);
 * const pointwise = tensor([1, 1], [1, 2, 1]);
 * const gradients = separableConvBackward(input, depthwise, pointwise, tensor([1, 1], [1, 1, 2]));
 * gradients.gradPointwiseWeight.data; // Float32Array [8, 80]
 * gradients.gradDepthwiseWeight.data; // Float32Array [3, 5, 30, 50]
 * gradients.gradInput.data; // Float32Array [1, 2, 1, 1, 2, 1]
 * ```
 */
export function separableConvBackward<const Need extends SeparableGradientName = SeparableGradientName>(
  input: Tensor,
  depthwiseWeight: Tensor,
  pointwiseWeight: Tensor,
  gradOutput: Tensor,
  options?: SeparableConvBackwardOptions<Need>,
): Gradients<Need, SeparableGradientName> {
  return runBackwardOp('separableConv', [input, depthwiseWeight, pointwiseWeight], gradOutput, options);
}
