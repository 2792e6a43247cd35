import { tensor } from '@convkit/core';
import type { ConvBackend } from './backend';

// One output of a 3x3, stride-2, padding-1 convolution gets an upstream
// gradient of 1 (a one-hot gradOutput). Its input gradient is the kernel,
// stamped where that output read the input: the same as the transposed
// convolution of gradOutput. Its weight gradient is the input window it read.
export default async function gradients(backend: ConvBackend) {
  const input = tensor(
    Array.from({ length: 25 }, (_, index) => index + 1),
    [1, 1, 5, 5],
  );
  const weight = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]);
  const options = { stride: 2, padding: 1 };
  const gradOutput = tensor([0, 0, 0, 0, 1, 0, 0, 0, 0], [1, 1, 3, 3]);
  const { gradInput, gradWeight } = await backend.convBackward(input, weight, gradOutput, options);
  const transposed = await backend.convTranspose(gradOutput, weight, { ...options, outputSize: [5, 5] });
  return { input, weight, gradOutput, gradInput, transposed, gradWeight };
}
