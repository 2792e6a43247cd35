import { tensor, type Tensor } from '@convkit/core';
import type { ConvBackend } from './backend';

const ones = (shape: number[]): Tensor => tensor(new Array(shape.reduce((a, b) => a * b, 1)).fill(1), shape);

// Distill's fix for the checkerboard: resize first, then convolve with stride 1.
export default async function resizeThenConvolve(backend: ConvBackend) {
  const image = ones([1, 1, 4, 4]);
  const kernel = ones([1, 1, 3, 3]);
  // Upsampling by a stride-2, 3x3 transposed conv: overlaps of 1, 2 and 4 (the checkerboard).
  const transposed = await backend.convTranspose(image, kernel, { stride: 2 });
  // Nearest-neighbour resize x2 is itself a transposed conv: a 2x2 kernel of ones, stride 2 (no overlap).
  const resized = await backend.convTranspose(image, ones([1, 1, 2, 2]), { stride: 2 });
  // Then an ordinary stride-1 conv: every interior cell gets all 9 taps, so no pattern.
  const resizeThenConv = await backend.conv(resized, kernel, { padding: 1 });
  return { transposed, resizeThenConv };
}
