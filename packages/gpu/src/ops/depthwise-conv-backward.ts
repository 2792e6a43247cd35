import {
  type DepthwiseConvBackwardOptions,
  type GradientName,
  type Gradients,
  depthwiseInfo,
  type Tensor,
} from '@convkit/core';
import type { GradientRunner } from '../gradient-runner.js';
import type { GpuTensor } from '../gpu-tensor.js';
import { forwardOptions, runBackward } from './run-backward.js';

/**
 * {@link Gpu.depthwiseConvBackward}: core's `depthwiseConvBackward` on this backend, validated by core's shape module (same
 * `ConvError` messages); the input gradient runs on the forward convolution kernel, the weight
 * and bias gradients on their own kernels.
 *
 * @example
 * ```ts
 * import { tensor } from '@convkit/core';
 * import { createGpu } from '@convkit/gpu';
 * const gpu = await createGpu({ mode: 'cpu' });
 * const { gradWeight } = await gpu.depthwiseConvBackward(tensor([1, 2, 3, 10, 20, 30], [1, 2, 3]), tensor([1, 1, -1, 1], [2, 1, 2]), tensor([1, 1, 1, 1], [1, 2, 2]));
 * gradWeight.data; // Float32Array [3, 5, 30, 50]
 * ```
 */
export function depthwiseConvBackward<Need extends GradientName = GradientName>(
  gradients: GradientRunner,
  input: Tensor | GpuTensor,
  weight: Tensor | GpuTensor,
  gradOutput: Tensor | GpuTensor,
  options?: DepthwiseConvBackwardOptions<Need>,
): Promise<Gradients<Need>> {
  const op = 'depthwiseConvBackward';
  return runBackward(gradients, op, { input, weight, gradOutput }, options, (inputShape, weightShape) =>
    depthwiseInfo(op, inputShape, weightShape, forwardOptions(options)),
  );
}
