import type { ConvInfo } from '../shape/types.js';
import { sizeOf } from '../tensor.js';
import { padIndex } from '../shape/geometry.js';

/**
 * Sums the gradient of a padded input back onto the input: a padding mode (`'reflect'`,
 * `'replicate'`, `'circular'`) pads by copying input elements, so each copy's gradient belongs
 * to the element it copies. `padded` is `[N, C_in, ...(in + padBegin + padEnd)]` for the forward
 * record `forward`; the result has the forward input's shape.
 *
 * @example
 * ```ts
 * import { convInfo, foldPaddingGradient } from '@convkit/core';
 * const forward = convInfo([1, 1, 3], [1, 1, 3], { padding: 1, paddingMode: 'replicate' });
 * foldPaddingGradient(forward, new Float32Array([1, 2, 3, 4, 5])); // Float32Array [3, 3, 9]
 * ```
 */
export function foldPaddingGradient(forward: ConvInfo, padded: Float32Array): Float32Array {
  // Lift to 3-D as geometry3d does: leading dims of size 1 with no padding.
  const lift = (values: readonly number[], fill: number) => [
    ...new Array<number>(3 - forward.spatialRank).fill(fill),
    ...values,
  ];
  const inSize = lift(forward.inSize, 1);
  const padBegin = lift(forward.padBegin, 0);
  const padEnd = lift(forward.padEnd, 0);
  const paddedSize = inSize.map((extent, axis) => extent + padBegin[axis] + padEnd[axis]);
  const [mapD, mapH, mapW] = paddedSize.map((size, axis) =>
    Int32Array.from({ length: size }, (_, position) =>
      padIndex(position - padBegin[axis], inSize[axis], forward.paddingMode),
    ),
  );
  const [, inH, inW] = inSize;
  const [paddedD, paddedH, paddedW] = paddedSize;
  const inPlane = sizeOf(inSize);
  const planes = forward.batch * forward.inChannels;
  const gradInput = new Float32Array(planes * inPlane);
  let from = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * inPlane;
    for (let pd = 0; pd < paddedD; pd++) {
      for (let ph = 0; ph < paddedH; ph++) {
        const rowBase = base + (mapD[pd] * inH + mapH[ph]) * inW;
        for (let pw = 0; pw < paddedW; pw++, from++) gradInput[rowBase + mapW[pw]] += padded[from];
      }
    }
  }
  return gradInput;
}
