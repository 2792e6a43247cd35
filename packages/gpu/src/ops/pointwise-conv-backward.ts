import {
  type PointwiseConvBackwardOptions,
  type GradientName,
  type Gradients,
  pointwiseInfo,
  type Tensor,
} from '@convkit/core';
import type { GradientRunner } from '../gradient-runner.js';
import type { GpuTensor } from '../gpu-tensor.js';
import { forwardOptions, runBackward } from './run-backward.js';

/**
 * {@link Gpu.pointwiseConvBackward}: core's `pointwiseConvBackward` on this backend, validated by core's shape module (same
 * `ConvError` messages); the input gradient runs on the forward convolution kernel, the weight
 * and bias gradients on their own kernels.
 *
 * @example
 * ```ts
 * import { tensor } from '@convkit/core';
 * import { createGpu } from '@convkit/gpu';
 * const gpu = await createGpu({ mode: 'cpu' });
 * const { gradInput } = await gpu.pointwiseConvBackward(tensor([1, 2, 3, 4], [1, 2, 2]), tensor([1, 1, 1, -1], [2, 2, 1]), tensor([1, 0, 0, 1], [1, 2, 2]));
 * gradInput.data; // Float32Array [1, 1, 1, -1]
 * ```
 */
export function pointwiseConvBackward<Need extends GradientName = GradientName>(
  gradients: GradientRunner,
  input: Tensor | GpuTensor,
  weight: Tensor | GpuTensor,
  gradOutput: Tensor | GpuTensor,
  options?: PointwiseConvBackwardOptions<Need>,
): Promise<Gradients<Need>> {
  const op = 'pointwiseConvBackward';
  return runBackward(gradients, op, { input, weight, gradOutput }, options, (inputShape, weightShape) =>
    pointwiseInfo(op, inputShape, weightShape, forwardOptions(options)),
  );
}
