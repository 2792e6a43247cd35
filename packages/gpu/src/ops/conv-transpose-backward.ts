import {
  type ConvTransposeBackwardOptions,
  type GradientName,
  type Gradients,
  convTransposeInfo,
  type Tensor,
} from '@convkit/core';
import type { GradientRunner } from '../gradient-runner.js';
import type { GpuTensor } from '../gpu-tensor.js';
import { runBackward } from './run-backward.js';

/**
 * {@link Gpu.convTransposeBackward}: core's `convTransposeBackward` on this backend, validated by core's shape module (same
 * `ConvError` messages); the input gradient runs on the forward convolution kernel, the weight
 * and bias gradients on their own kernels.
 *
 * @example
 * ```ts
 * import { tensor } from '@convkit/core';
 * import { createGpu } from '@convkit/gpu';
 * const gpu = await createGpu({ mode: 'cpu' });
 * const { gradInput } = await gpu.convTransposeBackward(tensor([1, 10], [1, 1, 2]), tensor([1, 2, 3], [1, 1, 3]), tensor([1, 0, 0, 0, 1], [1, 1, 5]), { stride: 2 });
 * gradInput.data; // Float32Array [1, 3]
 * ```
 */
export function convTransposeBackward<Need extends GradientName = GradientName>(
  gradients: GradientRunner,
  input: Tensor | GpuTensor,
  weight: Tensor | GpuTensor,
  gradOutput: Tensor | GpuTensor,
  options?: ConvTransposeBackwardOptions<Need>,
): Promise<Gradients<Need>> {
  const op = 'convTransposeBackward';
  return runBackward(gradients, op, { input, weight, gradOutput }, options, (inputShape, weightShape) =>
    convTransposeInfo(inputShape, weightShape, options, op),
  );
}
