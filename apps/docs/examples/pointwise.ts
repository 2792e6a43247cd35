import { tensor } from '@convkit/core';
import type { ConvBackend } from './backend';

// A 1x1 convolution mixes channels at every pixel and never looks at its
// neighbours: here an RGB image becomes [luma, red minus blue].
export default async function pointwise(backend: ConvBackend) {
  const rgb = tensor(
    [
      1,
      1,
      0,
      0, // red
      0,
      1,
      1,
      0, // green
      0,
      0,
      1,
      1, // blue
    ],
    [1, 3, 2, 2],
  );
  const mix = tensor(
    [
      0.299,
      0.587,
      0.114, // luma
      1,
      0,
      -1, // red minus blue
    ],
    [2, 3, 1, 1], // [C_out, C_in, 1, 1]
  );
  const output = await backend.pointwiseConv(rgb, mix);
  return { rgb, mix, output };
}
