import { computeGradients } from '../algorithms/backward.js';
import {
  type BackwardOptions,
  checkGradOutput,
  type GradientName,
  type Gradients,
  gradientInfo,
  readNeed,
} from '../shape/backward-info.js';
import { checkCall } from '../shape/conv-info.js';
import type { ConvAlgorithm, ConvInfo } from '../shape/types.js';
import type { Tensor } from '../tensor.js';

/**
 * The body of every backward op: checks the options and the three tensors, lets `resolve`
 * validate the forward call through the shape module, checks `gradOutput` against the forward
 * output shape, then computes the gradients asked for. Nothing is allocated before validation has passed.
 */
export function runBackward<Need extends GradientName>(
  op: string,
  input: Tensor,
  weight: Tensor,
  gradOutput: Tensor,
  options: (BackwardOptions<Need> & { algorithm?: ConvAlgorithm }) | undefined,
  resolve: (inputShape: readonly number[], weightShape: readonly number[]) => ConvInfo,
): Gradients<Need> {
  const algorithm = checkCall(op, options, { input, weight, gradOutput });
  const need = readNeed(op, options);
  const forward = resolve(input.shape, weight.shape);
  checkGradOutput(forward, gradOutput);
  const data = computeGradients(gradientInfo(forward), input.data, weight.data, gradOutput.data, need, algorithm);
  const result: Partial<Record<GradientName, Tensor>> = {};
  if (data.gradInput) result.gradInput = { shape: forward.inputShape, data: data.gradInput };
  if (data.gradWeight) result.gradWeight = { shape: forward.weightShape, data: data.gradWeight };
  if (data.gradBias) result.gradBias = { shape: Object.freeze([forward.outChannels]), data: data.gradBias };
  return result as Gradients<Need>;
}
