import { tensor } from '@convkit/core';
import type { ConvBackend } from './backend';

// Depthwise-separable: a 3x3 filter per channel, then a 1x1 conv that mixes
// the channels. 2 channels in, 3 out: 2*9 + 3*2 = 24 weights, not 3*2*9 = 54.
export default async function separable(backend: ConvBackend) {
  // Channel 0 counts up 0..15, channel 1 counts down 16..1.
  const cell = (index: number) => (index < 16 ? index : 32 - index);
  const input = tensor(
    Array.from({ length: 32 }, (_, i) => cell(i)),
    [1, 2, 4, 4],
  );
  const depthwiseWeight = tensor(
    [
      0,
      0,
      0,
      0,
      1,
      0,
      0,
      0,
      0, // channel 0: identity
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
      1, // channel 1: box sum
    ],
    [2, 1, 3, 3],
  );
  const pointwiseWeight = tensor([1, 0, 0, 1, 1, -1], [3, 2, 1, 1]);
  const output = await backend.separableConv(input, depthwiseWeight, pointwiseWeight, { padding: 1 });
  return { input, depthwiseWeight, pointwiseWeight, output };
}
