import { tensor } from '@convkit/core';
import type { ConvBackend } from './backend';

// A transposed conv is an ordinary stride-1 conv in disguise: put stride - 1
// zeros between the input cells, pad by kernel - 1 - padding on each side,
// and slide the kernel flipped (rotated 180 degrees). Same 3x3 result.
export default async function zeroInsertion(backend: ConvBackend) {
  const stride = 2;
  const padding = 1;
  const x = tensor([1, 2, 3, 4], [1, 1, 2, 2]);
  const w = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]);
  // Output size: (2 - 1) * 2 - 2 * 1 + 3 = 3.
  const transposed = await backend.convTranspose(x, w, { stride, padding });

  const size = (2 - 1) * stride + 1; // 2 cells and 1 zero between them: 3
  const spread = new Float32Array(size * size);
  for (let row = 0; row < 2; row++) {
    for (let column = 0; column < 2; column++) {
      spread[row * stride * size + column * stride] = x.data[row * 2 + column];
    }
  }
  const zeroInserted = tensor(spread, [1, 1, size, size]);
  const flipped = tensor(Array.from(w.data).reverse(), [1, 1, 3, 3]);
  const asConv = await backend.conv(zeroInserted, flipped, { padding: 3 - 1 - padding });
  return { x, w, transposed, zeroInserted, flipped, asConv };
}
