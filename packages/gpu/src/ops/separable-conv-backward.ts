import {
  checkCall,
  checkGradOutput,
  type Gradients,
  gradientInfo,
  readNeed,
  type SeparableConvBackwardOptions,
  type SeparableGradientName,
  separableInfo,
  type Tensor,
} from '@convkit/core';
import type { GradientRunner } from '../gradient-runner.js';
import { type GpuTensor, resolveCall, type WithGpuTensors } from '../gpu-tensor.js';

const SEPARABLE_GRADIENTS: readonly SeparableGradientName[] = [
  'gradInput',
  'gradDepthwiseWeight',
  'gradDepthwiseBias',
  'gradPointwiseWeight',
  'gradBias',
];

/**
 * {@link Gpu.separableConvBackward}: core's `separableConvBackward` on this backend. The depthwise
 * stage's output (needed only for the pointwise weight's gradient) runs on the forward kernel; the
 * pointwise stage's input gradient feeds the depthwise stage's backward.
 *
 * @example
 * ```ts
 * import { tensor } from '@convkit/core';
 * import { createGpu } from '@convkit/gpu';
 * const gpu = await createGpu({ mode: 'cpu' });
 * const input = tensor([1, 2, 3, 10, 20, 30], [1, 2, 3]);
 * const gradients = await gpu.separableConvBackward(input, tensor([1, 1, 1, 1], [2, 1, 2]), tensor([1, 1], [1, 2, 1]), tensor([1, 1], [1, 1, 2]));
 * gradients.gradPointwiseWeight.data; // Float32Array [8, 80]
 * ```
 */
export async function separableConvBackward<Need extends SeparableGradientName = SeparableGradientName>(
  gradients: GradientRunner,
  input: Tensor | GpuTensor,
  depthwiseWeight: Tensor | GpuTensor,
  pointwiseWeight: Tensor | GpuTensor,
  gradOutput: Tensor | GpuTensor,
  options?: WithGpuTensors<SeparableConvBackwardOptions<Need>>,
): Promise<Gradients<Need, SeparableGradientName>> {
  const op = 'separableConvBackward';
  const call = resolveCall(gradients.convolutions, op, options, {
    input,
    depthwiseWeight,
    pointwiseWeight,
    gradOutput,
    depthwiseBias: options?.depthwiseBias,
  });
  checkCall(op, call.options, call.tensors);
  const need = readNeed(op, call.options, SEPARABLE_GRADIENTS);
  const { need: _need, ...forwardOptions } = call.options ?? {};
  const operands = call.operands;
  const { depthwise, pointwise } = separableInfo(
    op,
    operands.input.tensor.shape,
    operands.depthwiseWeight.tensor.shape,
    operands.pointwiseWeight.tensor.shape,
    forwardOptions,
  );
  checkGradOutput(pointwise, operands.gradOutput.tensor);
  const middleGradient = need.has('gradInput') || need.has('gradDepthwiseWeight') || need.has('gradDepthwiseBias');
  const middle = need.has('gradPointwiseWeight')
    ? await gradients.convolutions.run(depthwise, operands.input, operands.depthwiseWeight, operands.depthwiseBias)
    : { shape: depthwise.outputShape, data: new Float32Array(0) };
  const second = await gradients.run(
    gradientInfo(pointwise),
    { input: { tensor: middle, device: null }, weight: operands.pointwiseWeight, gradOutput: operands.gradOutput },
    new Set([
      ...(middleGradient ? (['gradInput'] as const) : []),
      ...(need.has('gradPointwiseWeight') ? (['gradWeight'] as const) : []),
      ...(need.has('gradBias') ? (['gradBias'] as const) : []),
    ]),
  );
  const first = second.gradInput
    ? await gradients.run(
        gradientInfo(depthwise),
        {
          input: operands.input,
          weight: operands.depthwiseWeight,
          gradOutput: { tensor: { shape: depthwise.outputShape, data: second.gradInput }, device: null },
        },
        new Set([
          ...(need.has('gradInput') ? (['gradInput'] as const) : []),
          ...(need.has('gradDepthwiseWeight') ? (['gradWeight'] as const) : []),
          ...(need.has('gradDepthwiseBias') ? (['gradBias'] as const) : []),
        ]),
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
