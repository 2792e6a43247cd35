import { tensor } from '@convkit/core';
import type { ConvBackend } from './backend';

// A 5x5 image, dark on the left and bright on the right, and two 3x3 Sobel
// filters stacked as two output channels: weight [C_out = 2, C_in = 1, 3, 3].
export default async function standardConv(backend: ConvBackend) {
  const image = tensor([0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1], [1, 1, 5, 5]);
  const sobel = tensor(
    [
      -1,
      0,
      1,
      -2,
      0,
      2,
      -1,
      0,
      1, // finds vertical edges
      -1,
      -2,
      -1,
      0,
      0,
      0,
      1,
      2,
      1, // finds horizontal edges
    ],
    [2, 1, 3, 3],
  );
  // padding 1 keeps the 5x5 size: out = (5 + 2*1 - 3) / 1 + 1 = 5.
  const edges = await backend.conv(image, sobel, { padding: 1 });
  return { image, sobel, edges };
}
