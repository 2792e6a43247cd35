import { checkCall, pointwiseInfo, type PointwiseConvOptions, type Tensor } from '@convkit/core';
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
  input: Tensor,
  weight: Tensor,
  options?: PointwiseConvOptions,
): Promise<Tensor> {
  const op = 'pointwiseConv';
  checkCall(op, options, { input, weight, bias: options?.bias });
  const info = pointwiseInfo(op, input.shape, weight.shape, options ?? {});
  return runner.run(info, input, weight, options?.bias);
}
