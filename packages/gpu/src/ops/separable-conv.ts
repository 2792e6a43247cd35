import { checkCall, separableInfo, type SeparableConvOptions, type Tensor } from '@convkit/core';
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
  input: Tensor,
  depthwiseWeight: Tensor,
  pointwiseWeight: Tensor,
  options?: SeparableConvOptions,
): Promise<Tensor> {
  const op = 'separableConv';
  checkCall(op, options, {
    input,
    depthwiseWeight,
    pointwiseWeight,
    depthwiseBias: options?.depthwiseBias,
    bias: options?.bias,
  });
  const { depthwise, pointwise } = separableInfo(op, input.shape, depthwiseWeight.shape, pointwiseWeight.shape, options ?? {});
  const middle = await runner.run(depthwise, input, depthwiseWeight, options?.depthwiseBias);
  return runner.run(pointwise, middle, pointwiseWeight, options?.bias);
}
