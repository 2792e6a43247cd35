import { checkCall, depthwiseInfo, type DepthwiseConvOptions, type Tensor } from '@convkit/core';
import { resolveCall, type GpuTensor, type WithGpuTensors } from '../gpu-tensor.js';
import type { ConvolutionRunner } from '../runner.js';

/**
 * {@link Gpu.depthwiseConv}: validates through core's `depthwiseInfo` (same `ConvError` messages as
 * core's `depthwiseConv`), then runs the convolution kernel with one group per input channel.
 *
 * @example
 * ```ts
 * import { tensor } from '@convkit/core';
 * import { createGpu } from '@convkit/gpu';
 * const gpu = await createGpu({ mode: 'cpu' });
 * const output = await gpu.depthwiseConv(tensor([1, 2, 3, 10, 20, 30], [1, 2, 3]), tensor([1, 1, -1, 1], [2, 1, 2]));
 * output.data; // Float32Array [3, 5, 10, 10]
 * ```
 */
export async function depthwiseConv(
  runner: ConvolutionRunner,
  input: Tensor | GpuTensor,
  weight: Tensor | GpuTensor,
  options?: WithGpuTensors<DepthwiseConvOptions>,
): Promise<Tensor> {
  const op = 'depthwiseConv';
  const call = resolveCall(runner, op, options, { input, weight, bias: options?.bias });
  checkCall(op, call.options, call.tensors);
  const { input: inputOperand, weight: weightOperand, bias: biasOperand } = call.operands;
  const info = depthwiseInfo(op, inputOperand.tensor.shape, weightOperand.tensor.shape, call.options ?? {});
  return runner.run(info, inputOperand, weightOperand, biasOperand);
}
