import { checkCall, convTransposeInfo, type ConvTransposeOptions, type Tensor } from '@convkit/core';
import { resolveCall, type GpuTensor, type WithGpuTensors } from '../gpu-tensor.js';
import type { ConvolutionRunner } from '../runner.js';

/**
 * {@link Gpu.convTranspose}: validates through core's shape module (same `ConvError` messages as
 * core's `convTranspose`), then runs the convolution kernel in its gather form.
 *
 * @example
 * ```ts
 * import { tensor } from '@convkit/core';
 * import { createGpu } from '@convkit/gpu';
 * const gpu = await createGpu({ mode: 'cpu' });
 * const output = await gpu.convTranspose(tensor([1, 10], [1, 1, 2]), tensor([1, 2, 3], [1, 1, 3]), { stride: 2 });
 * output.data; // Float32Array [1, 2, 13, 20, 30]
 * ```
 */
export async function convTranspose(
  runner: ConvolutionRunner,
  input: Tensor | GpuTensor,
  weight: Tensor | GpuTensor,
  options?: WithGpuTensors<ConvTransposeOptions>,
): Promise<Tensor> {
  const op = 'convTranspose';
  const call = resolveCall(runner, op, options, { input, weight, bias: options?.bias });
  checkCall(op, call.options, call.tensors);
  const { input: inputOperand, weight: weightOperand, bias: biasOperand } = call.operands;
  const info = convTransposeInfo(inputOperand.tensor.shape, weightOperand.tensor.shape, call.options ?? {}, op);
  return runner.run(info, inputOperand, weightOperand, biasOperand);
}
