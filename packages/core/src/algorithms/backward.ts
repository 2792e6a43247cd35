import type { GradientInfo, GradientName } from '../shape/backward-info.js';
import type { ConvAlgorithm } from '../shape/types.js';
import { biasGradient, directBackward } from './direct-backward.js';
import { fastInputGradient, fastWeightGradient } from './fast-backward.js';

/** The gradients of one validated call, as flat data in the shapes of input, weight and bias. */
export interface GradientData {
  gradInput?: Float32Array;
  gradWeight?: Float32Array;
  gradBias?: Float32Array;
}

/**
 * Computes the gradients `need` asks for: with `'direct'` the reference loop (one pass for both
 * tap-wise gradients); with `'auto'` the input gradient as a forward convolution of `gradOutput`
 * and the weight gradient as a GEMM against im2col columns. The bias gradient is a plain sum either way.
 */
export function computeGradients(
  gradient: GradientInfo,
  input: Float32Array,
  weight: Float32Array,
  gradOutput: Float32Array,
  need: ReadonlySet<GradientName>,
  algorithm: ConvAlgorithm,
): GradientData {
  const info = gradient.forward;
  const result: GradientData = {};
  if (algorithm === 'direct') {
    const tapWise = directBackward(info, input, weight, gradOutput, {
      input: need.has('gradInput'),
      weight: need.has('gradWeight'),
    });
    result.gradInput = tapWise.gradInput;
    result.gradWeight = tapWise.gradWeight;
  } else {
    if (need.has('gradInput')) result.gradInput = fastInputGradient(gradient, weight, gradOutput);
    if (need.has('gradWeight')) result.gradWeight = fastWeightGradient(info, input, gradOutput);
  }
  if (need.has('gradBias')) result.gradBias = biasGradient(info, gradOutput);
  return result;
}
