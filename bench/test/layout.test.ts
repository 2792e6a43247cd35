import { describe, expect, it } from 'vitest';
import { nchwToNhwc, nhwcToNchw, transpose4d } from '../src/engines/engine.js';

// One image, 2 channels of 2 x 3: value = 100 * channel + 10 * row + column, so each value names its place.
const NCHW = Float32Array.from([0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112]);
const NHWC = Float32Array.from([0, 100, 1, 101, 2, 102, 10, 110, 11, 111, 12, 112]);

describe('layout helpers', () => {
  it('nchwToNhwc puts the channels innermost', () => {
    expect(Array.from(nchwToNhwc(NCHW, [1, 2, 2, 3]))).toEqual(Array.from(NHWC));
  });

  it('nhwcToNchw undoes nchwToNhwc, taking the NCHW shape', () => {
    expect(Array.from(nhwcToNchw(NHWC, [1, 2, 2, 3]))).toEqual(Array.from(NCHW));
  });

  it('transpose4d reverses the axes of a [1, 1, 2, 3] array as a 3 x 2 transpose', () => {
    expect(Array.from(transpose4d(Float32Array.from([1, 2, 3, 4, 5, 6]), [1, 1, 2, 3], [3, 2, 1, 0]))).toEqual([
      1, 4, 2, 5, 3, 6,
    ]);
  });

  it("transpose4d maps tfjs's [kH, kW, in, out] filter gradient to [out, in, kH, kW]", () => {
    // kH = 1, kW = 2, in = 2, out = 3: value = 100 * w + 10 * in + out.
    const hwio = Float32Array.from([0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112]);
    expect(Array.from(transpose4d(hwio, [1, 2, 2, 3], [3, 2, 0, 1]))).toEqual([
      0, 100, 10, 110, 1, 101, 11, 111, 2, 102, 12, 112,
    ]);
  });
});
