import type { Geometry3d } from '../shape/geometry.js';

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
  const { inSize, outSize, kernelSize, inPlane, outPlane, tapMaps } = geometry;
  const [, inH, inW] = inSize;
  const [outD, outH, outW] = outSize;
  const [kD, kH, kW] = kernelSize;
  const [mapD, mapH, mapW] = tapMaps;
  let row = 0;
  for (let channel = 0; channel < channels; channel++) {
    const channelBase = inputOffset + channel * inPlane;
    for (let td = 0; td < kD; td++) {
      for (let th = 0; th < kH; th++) {
        for (let tw = 0; tw < kW; tw++, row++) {
          let column = row * outPlane;
          for (let od = 0; od < outD; od++) {
            const id = mapD[od * kD + td];
            for (let oh = 0; oh < outH; oh++) {
              const ih = mapH[oh * kH + th];
              const rowBase = channelBase + (id * inH + ih) * inW;
              const valid = id >= 0 && ih >= 0;
              for (let ow = 0; ow < outW; ow++, column++) {
                const iw = mapW[ow * kW + tw];
                cols[column] = valid && iw >= 0 ? input[rowBase + iw] : 0;
              }
            }
          }
        }
      }
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
  const { inSize, outSize, kernelSize, inPlane, tapMaps } = geometry;
  const [, inH, inW] = inSize;
  const [outD, outH, outW] = outSize;
  const [kD, kH, kW] = kernelSize;
  const [mapD, mapH, mapW] = tapMaps;
  let column = 0;
  for (let channel = 0; channel < channels; channel++) {
    const channelBase = imageOffset + channel * inPlane;
    for (let td = 0; td < kD; td++) {
      for (let th = 0; th < kH; th++) {
        for (let tw = 0; tw < kW; tw++) {
          for (let od = 0; od < outD; od++) {
            const id = mapD[od * kD + td];
            for (let oh = 0; oh < outH; oh++) {
              const ih = mapH[oh * kH + th];
              const rowBase = channelBase + (id * inH + ih) * inW;
              const valid = id >= 0 && ih >= 0;
              for (let ow = 0; ow < outW; ow++, column++) {
                const iw = mapW[ow * kW + tw];
                if (valid && iw >= 0) image[rowBase + iw] += cols[column];
              }
            }
          }
        }
      }
    }
  }
}
