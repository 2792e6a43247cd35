import { tensor } from '@convkit/core';
import type { ConvBackend } from './backend';

// A stride-2 transposed conv with a 3x3 kernel of ones: every input cell
// paints a 3x3 patch of the output, the patches overlap where they meet, and
// an all-ones input shows the overlap counts 1, 2 and 4: the checkerboard.
// Output size: (2 - 1) * 2 + 3 = 5.
export default async function transposed(backend: ConvBackend) {
  const input = tensor([1, 1, 1, 1], [1, 1, 2, 2]);
  // Weight [C_in, C_out / groups, kH, kW].
  const weight = tensor(new Array(9).fill(1), [1, 1, 3, 3]);
  const output = await backend.convTranspose(input, weight, { stride: 2 });
  // outputPadding adds a row and a column at the end: 6x6, the size a
  // stride-2 conv of a 6x6 input came down from.
  const padded = await backend.convTranspose(input, weight, {
    stride: 2,
    outputPadding: 1,
  });
  return { input, weight, output, padded };
}
