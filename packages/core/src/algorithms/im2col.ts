import type { Geometry3d } from '../shape/geometry.js';

/** The unfold index of each geometry, built on first use: a call unfolds every sample and unit with one geometry. */
const unfoldIndices = new WeakMap<Geometry3d, Int32Array>();

/**
 * Where each column entry of one channel comes from: for every tap (in `(td, th, tw)` order) and
 * every output position, the input element within one channel's plane that it reads, or -1 where
 * it reads padding. {@link im2colSample} and {@link col2imSample} both walk it, so the adjoint
 * reads exactly the places the unfold wrote.
 */
function unfoldIndex(geometry: Geometry3d): Int32Array {
  const cached = unfoldIndices.get(geometry);
  if (cached) return cached;
  const { inSize, outSize, kernelSize, outPlane, taps, tapMaps } = geometry;
  const [, inH, inW] = inSize;
  const [outD, outH, outW] = outSize;
  const [kD, kH, kW] = kernelSize;
  const [mapD, mapH, mapW] = tapMaps;
  const index = new Int32Array(taps * outPlane);
  let entry = 0;
  for (let td = 0; td < kD; td++) {
    for (let th = 0; th < kH; th++) {
      for (let tw = 0; tw < kW; tw++) {
        for (let od = 0; od < outD; od++) {
          const id = mapD[od * kD + td];
          for (let oh = 0; oh < outH; oh++) {
            const ih = mapH[oh * kH + th];
            const valid = id >= 0 && ih >= 0;
            for (let ow = 0; ow < outW; ow++, entry++) {
              const iw = mapW[ow * kW + tw];
              index[entry] = valid && iw >= 0 ? (id * inH + ih) * inW + iw : -1;
            }
          }
        }
      }
    }
  }
  unfoldIndices.set(geometry, index);
  return index;
}

/**
 * Unfolds channels `[firstChannel, firstChannel + channels)` of one sample into columns:
 * `cols[(channel * taps + tap) * outPlane + position]`, following the tap maps (so padding modes
 * come for free).
 */
export function im2colSample(
  geometry: Geometry3d,
  input: Float32Array,
  inputOffset: number,
  channels: number,
  cols: Float32Array,
): void {
  const index = unfoldIndex(geometry);
  for (let channel = 0, column = 0; channel < channels; channel++) {
    const channelBase = inputOffset + channel * geometry.inPlane;
    for (let entry = 0; entry < index.length; entry++, column++) {
      const at = index[entry];
      cols[column] = at >= 0 ? input[channelBase + at] : 0;
    }
  }
}

/**
 * The adjoint of {@link im2colSample}: adds every column entry back onto the image position it
 * was read from (overlapping windows add up). `geometry` describes the convolution whose input
 * is the image.
 */
export function col2imSample(
  geometry: Geometry3d,
  cols: Float32Array,
  channels: number,
  image: Float32Array,
  imageOffset: number,
): void {
  const index = unfoldIndex(geometry);
  for (let channel = 0, column = 0; channel < channels; channel++) {
    const channelBase = imageOffset + channel * geometry.inPlane;
    for (let entry = 0; entry < index.length; entry++, column++) {
      const at = index[entry];
      if (at >= 0) image[channelBase + at] += cols[column];
    }
  }
}
