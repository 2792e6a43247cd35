import { checkCall, convInfo, type ConvOptions, type Tensor } from '@convkit/core';
import { resolveCall, type GpuTensor, type WithGpuTensors } from '../gpu-tensor.js';
import type { ConvolutionRunner } from '../runner.js';

/**
 * {@link Gpu.conv}: validates through core's shape module (same `ConvError` messages as core's
 * `conv`), then runs the convolution kernel.
 *
 * @example
 * ```ts
 * import { tensor } from '@convkit/core';
 * import { createGpu } from '@convkit/gpu';
 * const gpu = await createGpu({ mode: 'cpu' });
 * const output = await gpu.conv(tensor([1, 2, 3, 4, 5], [1, 1, 5]), tensor([1, 0, -1], [1, 1, 3]), { padding: 1 });
 * output.data; // Float32Array [-2, -2, -2, -2, 4]
 * ```
 */
export async function conv(
  runner: ConvolutionRunner,
  input: Tensor | GpuTensor,
  weight: Tensor | GpuTensor,
  options?: WithGpuTensors<ConvOptions>,
): Promise<Tensor> {
  const op = 'conv';
  const call = resolveCall(runner, op, options, { input, weight, bias: options?.bias });
  checkCall(op, call.options, call.tensors);
  const { input: inputOperand, weight: weightOperand, bias: biasOperand } = call.operands;
  const info = convInfo(inputOperand.tensor.shape, weightOperand.tensor.shape, call.options ?? {}, op);
  return runner.run(info, inputOperand, weightOperand, biasOperand);
}
