import { type ConvBackwardOptions, type GradientName, type Gradients, convInfo, type Tensor } from '@convkit/core';
import type { GradientRunner } from '../gradient-runner.js';
import type { GpuTensor } from '../gpu-tensor.js';
import { runBackward } from './run-backward.js';

/**
 * {@link Gpu.convBackward}: core's `convBackward` on this backend, validated by core's shape module (same
 * `ConvError` messages); the input gradient runs on the forward convolution kernel, the weight
 * and bias gradients on their own kernels.
 *
 * @example
 * ```ts
 * import { tensor } from '@convkit/core';
 * import { createGpu } from '@convkit/gpu';
 * const gpu = await createGpu({ mode: 'cpu' });
 * const { gradInput, gradWeight } = await gpu.convBackward(tensor([1, 2, 3, 4], [1, 1, 4]), tensor([1, -1], [1, 1, 2]), tensor([1, 1, 1], [1, 1, 3]));
 * gradInput.data; // Float32Array [1, 0, 0, -1]
 * gradWeight.data; // Float32Array [6, 9]
 * ```
 */
export function convBackward<Need extends GradientName = GradientName>(
  gradients: GradientRunner,
  input: Tensor | GpuTensor,
  weight: Tensor | GpuTensor,
  gradOutput: Tensor | GpuTensor,
  options?: ConvBackwardOptions<Need>,
): Promise<Gradients<Need>> {
  const op = 'convBackward';
  return runBackward(gradients, op, { input, weight, gradOutput }, options, (inputShape, weightShape) =>
    convInfo(inputShape, weightShape, options, op),
  );
}
