import { tensor } from '@convkit/core';
import type { ConvBackend } from './backend';

// Three channels, each filtered by its own 3x3 kernel and never mixed:
// channel 0 is blurred, channel 1 sharpened, channel 2 shifted right.
export default async function depthwise(backend: ConvBackend) {
  const size = 4;
  const ramp = (index: number) => (index % size) + (Math.floor(index / size) % size);
  const input = tensor(
    Array.from({ length: 3 * size * size }, (_, index) => ramp(index)),
    [1, 3, size, size],
  );
  const ninth = 1 / 9;
  const weight = tensor(
    [
      ninth,
      ninth,
      ninth,
      ninth,
      ninth,
      ninth,
      ninth,
      ninth,
      ninth, // blur
      0,
      -1,
      0,
      -1,
      5,
      -1,
      0,
      -1,
      0, // sharpen
      0,
      0,
      0,
      1,
      0,
      0,
      0,
      0,
      0, // shift right
    ],
    [3, 1, 3, 3], // [C_in * multiplier, 1, kH, kW]
  );
  const output = await backend.depthwiseConv(input, weight, { padding: 'same' });
  return { input, weight, output };
}
