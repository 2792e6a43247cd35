import { checkCall, convInfo, type ConvOptions, type Tensor } from '@convkit/core';
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
export async function conv(runner: ConvolutionRunner, input: Tensor, weight: Tensor, options?: ConvOptions): Promise<Tensor> {
  const op = 'conv';
  checkCall(op, options, { input, weight, bias: options?.bias });
  const info = convInfo(input.shape, weight.shape, options ?? {}, op);
  return runner.run(info, input, weight, options?.bias);
}
