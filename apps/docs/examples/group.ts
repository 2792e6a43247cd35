import { tensor } from '@convkit/core';
import type { ConvBackend } from './backend';

// Four channels in two groups of two: output channels 0-1 read only input
// channels 0-1, outputs 2-3 only inputs 2-3. Weight [C_out, C_in / groups, 2, 2].
export default async function groupConv(backend: ConvBackend) {
  // Channel c holds 10c, 10c + 1, ..., 10c + 8.
  const cell = (index: number) => Math.floor(index / 9) * 10 + (index % 9);
  const input = tensor(
    Array.from({ length: 36 }, (_, i) => cell(i)),
    [1, 4, 3, 3],
  );
  const weight = tensor(
    [
      1,
      0,
      0,
      0,
      /* | */ 0,
      0,
      0,
      0, // out 0 = top-left of in 0
      0,
      0,
      0,
      0,
      /* | */ 1,
      1,
      1,
      1, // out 1 = 2x2 sum of in 1
      1,
      0,
      0,
      0,
      /* | */ 0,
      0,
      0,
      0, // out 2 = top-left of in 2
      0,
      0,
      0,
      0,
      /* | */ 1,
      1,
      1,
      1, // out 3 = 2x2 sum of in 3
    ],
    [4, 2, 2, 2],
  );
  const output = await backend.conv(input, weight, { groups: 2 });
  return { input, weight, output };
}
