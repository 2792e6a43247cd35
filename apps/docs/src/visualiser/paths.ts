import { convBackward, effectiveKernelSize, tensor, zeros, type ReceptiveFieldLayer, type Tensor } from '@convkit/core';

/**
 * How many paths lead from each input cell to one output of the last layer: the effective
 * receptive field, a one-hot upstream gradient back-propagated through every layer with
 * `convBackward` (only its input gradient, of a kernel of ones, no padding). Each layer's input is
 * the smallest that yields the gradient's size; its values do not enter the input gradient.
 */
export function pathCounts(layers: readonly ReceptiveFieldLayer[]): Tensor {
  let gradient = tensor([1], [1, 1, 1]);
  for (const layer of [...layers].reverse()) {
    const stride = layer.stride ?? 1;
    const dilation = layer.dilation ?? 1;
    const ones = tensor(new Array<number>(layer.kernelSize).fill(1), [1, 1, layer.kernelSize]);
    const inputSize = (gradient.shape[2] - 1) * stride + effectiveKernelSize(layer.kernelSize, dilation);
    gradient = convBackward(zeros([1, 1, inputSize]), ones, gradient, {
      stride,
      dilation,
      need: ['gradInput'],
    }).gradInput;
  }
  return gradient;
}
