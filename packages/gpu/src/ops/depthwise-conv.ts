import { checkCall, depthwiseInfo, type DepthwiseConvOptions, type Tensor } from '@convkit/core';
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
  input: Tensor,
  weight: Tensor,
  options?: DepthwiseConvOptions,
): Promise<Tensor> {
  const op = 'depthwiseConv';
  checkCall(op, options, { input, weight, bias: options?.bias });
  const info = depthwiseInfo(op, input.shape, weight.shape, options ?? {});
  return runner.run(info, input, weight, options?.bias);
}
