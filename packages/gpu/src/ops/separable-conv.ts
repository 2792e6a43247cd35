import { checkCall, separableInfo, type SeparableConvOptions, type Tensor } from '@convkit/core';
import { resolveCall, type GpuTensor, type WithGpuTensors } from '../gpu-tensor.js';
import type { ConvolutionRunner } from '../runner.js';

/**
 * {@link Gpu.separableConv}: validates both stages through core's `separableInfo` before either
 * runs (same `ConvError` messages as core's `separableConv`), then runs the depthwise stage and
 * the pointwise stage on its output.
 *
 * @example
 * ```ts
 * import { tensor } from '@convkit/core';
 * import { createGpu } from '@convkit/gpu';
 * const gpu = await createGpu({ mode: 'cpu' });
 * const input = tensor([1, 2, 3, 10, 20, 30], [1, 2, 3]);
 * const output = await gpu.separableConv(input, tensor([1, 1, 1, 1], [2, 1, 2]), tensor([1, 1], [1, 2, 1]));
 * output.data; // Float32Array [33, 55]
 * ```
 */
export async function separableConv(
  runner: ConvolutionRunner,
  input: Tensor | GpuTensor,
  depthwiseWeight: Tensor | GpuTensor,
  pointwiseWeight: Tensor | GpuTensor,
  options?: WithGpuTensors<SeparableConvOptions>,
): Promise<Tensor> {
  const op = 'separableConv';
  const call = resolveCall(runner, op, options, {
    input,
    depthwiseWeight,
    pointwiseWeight,
    depthwiseBias: options?.depthwiseBias,
    bias: options?.bias,
  });
  checkCall(op, call.options, call.tensors);
  const operands = call.operands;
  const { depthwise, pointwise } = separableInfo(
    op,
    operands.input.tensor.shape,
    operands.depthwiseWeight.tensor.shape,
    operands.pointwiseWeight.tensor.shape,
    call.options ?? {},
  );
  const middle = await runner.run(depthwise, operands.input, operands.depthwiseWeight, operands.depthwiseBias);
  return runner.run(pointwise, { tensor: middle, device: null }, operands.pointwiseWeight, operands.bias);
}
