import { convTranspose, tensor, type ReceptiveFieldLayer, type Tensor } from '@convkit/core';

/**
 * How many paths lead from each input cell to one output of the last layer: a one-hot gradient
 * sent back through every layer's adjoint, `convTranspose` with a kernel of ones (no padding).
 */
export function pathCounts(layers: readonly ReceptiveFieldLayer[]): Tensor {
  let gradient = tensor([1], [1, 1, 1]);
  for (const layer of [...layers].reverse()) {
    const ones = tensor(new Array<number>(layer.kernelSize).fill(1), [1, 1, layer.kernelSize]);
    gradient = convTranspose(gradient, ones, { stride: layer.stride ?? 1, dilation: layer.dilation ?? 1 });
  }
  return gradient;
}
