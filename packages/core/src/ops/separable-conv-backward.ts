import { computeGradients } from '../algorithms/backward.js';
import { checkGradOutput, type Gradients, gradientInfo, readNeed } from '../shape/backward-info.js';
import { checkCall } from '../shape/conv-info.js';
import type { Tensor } from '../tensor.js';
import { execute } from './run.js';
import { type SeparableConvOptions, separableInfo } from './separable-conv.js';

/**
 * The gradients of a separable convolution: of its input, of both weights and of both biases.
 *
 * @example
 * ```ts
 * import type { SeparableGradientName } from '@convkit/core';
 * const weightsOnly: SeparableGradientName[] = ['gradDepthwiseWeight', 'gradPointwiseWeight'];
 * ```
 */
export type SeparableGradientName =
  | 'gradInput'
  | 'gradDepthwiseWeight'
  | 'gradDepthwiseBias'
  | 'gradPointwiseWeight'
  | 'gradBias';

const SEPARABLE_GRADIENTS: readonly SeparableGradientName[] = [
  'gradInput',
  'gradDepthwiseWeight',
  'gradDepthwiseBias',
  'gradPointwiseWeight',
  'gradBias',
];

/**
 * Options of {@link separableConvBackward}: those of `separableConv` without the pointwise bias
 * (no gradient depends on it). The depthwise bias stays: the pointwise weight's gradient reads
 * the depthwise stage's output, bias included.
 *
 * @example
 * ```ts
 * import type { SeparableConvBackwardOptions } from '@convkit/core';
 * const options: SeparableConvBackwardOptions = { padding: 1, need: ['gradPointwiseWeight'] };
 * ```
 */
export type SeparableConvBackwardOptions<Need extends SeparableGradientName = SeparableGradientName> = Omit<
  SeparableConvOptions,
  'bias'
> & { readonly need?: readonly Need[] };

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
  options: SeparableConvBackwardOptions<Need> = {},
): Gradients<Need, SeparableGradientName> {
  const op = 'separableConvBackward';
  const algorithm = checkCall(op, options, {
    input,
    depthwiseWeight,
    pointwiseWeight,
    gradOutput,
    depthwiseBias: options?.depthwiseBias,
  });
  const need = readNeed(op, options, SEPARABLE_GRADIENTS);
  const { need: _need, ...forwardOptions } = options;
  const { depthwise, pointwise } = separableInfo(op, input.shape, depthwiseWeight.shape, pointwiseWeight.shape, {
    ...forwardOptions,
  });
  checkGradOutput(pointwise, gradOutput);
  const needsMiddleGradient = need.has('gradInput') || need.has('gradDepthwiseWeight') || need.has('gradDepthwiseBias');
  // Only the pointwise weight's gradient reads the depthwise output; nothing else pays for it.
  const middle = need.has('gradPointwiseWeight')
    ? execute(depthwise, input, depthwiseWeight, options.depthwiseBias, algorithm).data
    : new Float32Array(0);
  const second = computeGradients(
    gradientInfo(pointwise),
    middle,
    pointwiseWeight.data,
    gradOutput.data,
    new Set([
      ...(needsMiddleGradient ? (['gradInput'] as const) : []),
      ...(need.has('gradPointwiseWeight') ? (['gradWeight'] as const) : []),
      ...(need.has('gradBias') ? (['gradBias'] as const) : []),
    ]),
    algorithm,
  );
  const first =
    needsMiddleGradient && second.gradInput
      ? computeGradients(
          gradientInfo(depthwise),
          input.data,
          depthwiseWeight.data,
          second.gradInput,
          new Set([
            ...(need.has('gradInput') ? (['gradInput'] as const) : []),
            ...(need.has('gradDepthwiseWeight') ? (['gradWeight'] as const) : []),
            ...(need.has('gradDepthwiseBias') ? (['gradBias'] as const) : []),
          ]),
          algorithm,
        )
      : {};
  const result: Partial<Record<SeparableGradientName, Tensor>> = {};
  if (first.gradInput) result.gradInput = { shape: depthwise.inputShape, data: first.gradInput };
  if (first.gradWeight) result.gradDepthwiseWeight = { shape: depthwise.weightShape, data: first.gradWeight };
  if (first.gradBias) result.gradDepthwiseBias = { shape: [depthwise.outChannels], data: first.gradBias };
  if (second.gradWeight) result.gradPointwiseWeight = { shape: pointwise.weightShape, data: second.gradWeight };
  if (second.gradBias) result.gradBias = { shape: [pointwise.outChannels], data: second.gradBias };
  return result as Gradients<Need, SeparableGradientName>;
}
