import { tensor } from '@convkit/core';
import type { ConvBackend } from './backend';

// A 3x3 kernel with dilation 2 covers a 5x5 window (2*(3-1)+1 = 5) with only
// 9 weights. On a 7x7 input with no padding the output is 7 - 5 + 1 = 3 wide.
export default async function dilated(backend: ConvBackend) {
  const input = tensor(
    Array.from({ length: 49 }, (_, index) => index),
    [1, 1, 7, 7],
  );
  const diagonal = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  const weight = tensor(diagonal, [1, 1, 3, 3]);
  const output = await backend.conv(input, weight, { dilation: 2 });
  return { input, weight, output };
}
