import { checkCall, pointwiseInfo, type PointwiseConvOptions, type Tensor } from '@convkit/core';
import { resolveCall, type GpuTensor, type WithGpuTensors } from '../gpu-tensor.js';
import type { ConvolutionRunner } from '../runner.js';

/**
 * {@link Gpu.pointwiseConv}: validates through core's `pointwiseInfo` (same `ConvError` messages as
 * core's `pointwiseConv`), then runs the convolution kernel with a 1x1 kernel.
 *
 * @example
 * ```ts
 * import { tensor } from '@convkit/core';
 * import { createGpu } from '@convkit/gpu';
 * const gpu = await createGpu({ mode: 'cpu' });
 * const output = await gpu.pointwiseConv(tensor([1, 2, 3, 4], [1, 2, 2]), tensor([1, 1, 1, -1], [2, 2, 1]));
 * output.data; // Float32Array [4, 6, -2, -2]
 * ```
 */
export async function pointwiseConv(
  runner: ConvolutionRunner,
  input: Tensor | GpuTensor,
  weight: Tensor | GpuTensor,
  options?: WithGpuTensors<PointwiseConvOptions>,
): Promise<Tensor> {
  const op = 'pointwiseConv';
  const call = resolveCall(runner, op, options, { input, weight, bias: options?.bias });
  checkCall(op, call.options, call.tensors);
  const { input: inputOperand, weight: weightOperand, bias: biasOperand } = call.operands;
  const info = pointwiseInfo(op, inputOperand.tensor.shape, weightOperand.tensor.shape, call.options ?? {});
  return runner.run(info, inputOperand, weightOperand, biasOperand);
}
