import { describe, expect, it } from 'vitest';
import {
  col2im,
  conv,
  conv1d,
  conv2d,
  conv3d,
  convMatrix,
  convTranspose,
  convTranspose1d,
  convTranspose2d,
  convTranspose3d,
  depthwiseConv,
  fromOnnxConvAttributes,
  fromOnnxConvTransposeAttributes,
  im2col,
  pointwiseConv,
  separableConv,
  tensor,
  type ConvAlgorithm,
} from '@convkit/core';

// Expected values here are worked out by hand (shown in the comments), never by the code under test.
const algorithms: ConvAlgorithm[] = ['direct', 'auto'];

describe.each(algorithms)('padding modes, worked by hand (algorithm %s)', (algorithm) => {
  // Kernel [1, 10, 100] writes the three taps of each window as the digits of the output.
  const input = tensor([1, 2, 3, 4], [1, 1, 4]);
  const digits = tensor([1, 10, 100], [1, 1, 3]);

  it('reflect mirrors around the edge without repeating it: [3,2 | 1,2,3,4 | 3,2]', () => {
    expect(Array.from(conv1d(input, digits, { padding: 2, paddingMode: 'reflect', algorithm }).data)).toEqual([
      123, 212, 321, 432, 343, 234,
    ]);
  });

  it('replicate repeats the edge value: [1,1 | 1,2,3,4 | 4,4]', () => {
    expect(Array.from(conv1d(input, digits, { padding: 2, paddingMode: 'replicate', algorithm }).data)).toEqual([
      111, 211, 321, 432, 443, 444,
    ]);
  });

  it('circular wraps around: [3,4 | 1,2,3,4 | 1,2]', () => {
    expect(Array.from(conv1d(input, digits, { padding: 2, paddingMode: 'circular', algorithm }).data)).toEqual([
      143, 214, 321, 432, 143, 214,
    ]);
  });

  it('zeros pads with zeros: [0,0 | 1,2,3,4 | 0,0]', () => {
    expect(Array.from(conv1d(input, digits, { padding: 2, algorithm }).data)).toEqual([100, 210, 321, 432, 43, 4]);
  });

  it('applies each axis its own asymmetric reflect padding in 2-D', () => {
    // [[1,2,3],[4,5,6]] padded one row above and one column right, by reflection.
    const grid = tensor([1, 2, 3, 4, 5, 6], [1, 1, 2, 3]);
    const identity = tensor([1], [1, 1, 1, 1]);
    const padded = conv2d(grid, identity, {
      padding: [
        [1, 0],
        [0, 1],
      ],
      paddingMode: 'reflect',
      algorithm,
    });
    expect(padded.shape).toEqual([1, 1, 3, 4]);
    expect(Array.from(padded.data)).toEqual([4, 5, 6, 5, 1, 2, 3, 2, 4, 5, 6, 5]);
  });
});

describe.each(algorithms)('the documented examples hold (algorithm %s)', (algorithm) => {
  it('conv: a difference filter with padding 1', () => {
    expect(
      Array.from(
        conv(tensor([1, 2, 3, 4, 5], [1, 1, 5]), tensor([1, 0, -1], [1, 1, 3]), { padding: 1, algorithm }).data,
      ),
    ).toEqual([-2, -2, -2, -2, 4]);
  });

  it('conv1d, conv2d and conv3d on tiny sums', () => {
    expect(Array.from(conv1d(tensor([1, 2, 3, 4], [1, 1, 4]), tensor([1, 1], [1, 1, 2]), { algorithm }).data)).toEqual([
      3, 5, 7,
    ]);
    expect(
      Array.from(conv2d(tensor([1, 2, 3, 4], [1, 1, 2, 2]), tensor([1, 1, 1, 1], [1, 1, 2, 2]), { algorithm }).data),
    ).toEqual([10]);
    const cube = conv3d(
      tensor([1, 2, 3, 4, 5, 6, 7, 8], [1, 1, 2, 2, 2]),
      tensor(new Array(8).fill(1), [1, 1, 2, 2, 2]),
      { algorithm },
    );
    expect(cube.shape).toEqual([1, 1, 1, 1, 1]);
    expect(cube.data[0]).toBe(36);
  });

  it('convTranspose stamps the kernel two cells apart: 1*[1,2,3] + 10*[_,_,1,2,3]', () => {
    expect(
      Array.from(
        convTranspose(tensor([1, 10], [1, 1, 2]), tensor([1, 2, 3], [1, 1, 3]), { stride: 2, algorithm }).data,
      ),
    ).toEqual([1, 2, 13, 20, 30]);
    expect(
      Array.from(convTranspose1d(tensor([1, 2], [1, 1, 2]), tensor([1, 1], [1, 1, 2]), { stride: 2, algorithm }).data),
    ).toEqual([1, 1, 2, 2]);
    expect(
      Array.from(convTranspose2d(tensor([1], [1, 1, 1, 1]), tensor([1, 2, 3, 4], [1, 1, 2, 2]), { algorithm }).data),
    ).toEqual([1, 2, 3, 4]);
    expect(
      convTranspose3d(tensor([1], [1, 1, 1, 1, 1]), tensor(new Array(8).fill(1), [1, 1, 2, 2, 2]), { algorithm }).shape,
    ).toEqual([1, 1, 2, 2, 2]);
  });

  it('convTranspose with groups, output padding and bias', () => {
    // Two groups of one channel: channel 0 stamps [1,1], channel 1 stamps [2,-1]; stride 2, one extra cell, bias [0, 100].
    const out = convTranspose(tensor([1, 2, 3, 4], [1, 2, 2]), tensor([1, 1, 2, -1], [2, 1, 2]), {
      groups: 2,
      stride: 2,
      outputPadding: 1,
      bias: tensor([0, 100], [2]),
      algorithm,
    });
    expect(out.shape).toEqual([1, 2, 5]);
    expect(Array.from(out.data)).toEqual([1, 1, 2, 2, 0, 106, 97, 108, 96, 100]);
  });

  it('depthwiseConv keeps channels apart: sums for channel 0, differences for channel 1', () => {
    expect(
      Array.from(
        depthwiseConv(tensor([1, 2, 3, 10, 20, 30], [1, 2, 3]), tensor([1, 1, -1, 1], [2, 1, 2]), { algorithm }).data,
      ),
    ).toEqual([3, 5, 10, 10]);
  });

  it('depthwiseConv with a multiplier: output channel c * multiplier + j reads input channel c', () => {
    const out = depthwiseConv(tensor([1, 2, 10, 20], [2, 2]), tensor([1, 2, 3, 4], [4, 1, 1]), { algorithm });
    expect(Array.from(out.data)).toEqual([1, 2, 2, 4, 30, 60, 40, 80]);
  });

  it('pointwiseConv mixes channels per position', () => {
    expect(
      Array.from(pointwiseConv(tensor([1, 2, 3, 4], [1, 2, 2]), tensor([1, 1, 1, -1], [2, 2, 1]), { algorithm }).data),
    ).toEqual([4, 6, -2, -2]);
  });

  it('separableConv composes both stages', () => {
    expect(
      Array.from(
        separableConv(
          tensor([1, 2, 3, 10, 20, 30], [1, 2, 3]),
          tensor([1, 1, 1, 1], [2, 1, 2]),
          tensor([1, 1], [1, 2, 1]),
          { algorithm },
        ).data,
      ),
    ).toEqual([33, 55]);
  });
});

describe('the matrix view, worked by hand', () => {
  it('builds the 4x9 Toeplitz matrix of a 2x2 kernel over a 3x3 input', () => {
    const matrix = convMatrix([1, 1, 3, 3], tensor([1, 2, 3, 4], [1, 1, 2, 2]));
    expect(matrix.shape).toEqual([4, 9]);
    expect(Array.from(matrix.data)).toEqual([
      1, 2, 0, 3, 4, 0, 0, 0, 0, 0, 1, 2, 0, 3, 4, 0, 0, 0, 0, 0, 0, 1, 2, 0, 3, 4, 0, 0, 0, 0, 0, 1, 2, 0, 3, 4,
    ]);
  });

  it('unfolds windows with im2col and counts overlaps with col2im', () => {
    const columns = im2col(tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]), { kernelSize: [2, 2] });
    expect(columns.shape).toEqual([1, 4, 4]);
    expect(Array.from(columns.data)).toEqual([1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9]);
    const ones = tensor(new Array(9).fill(1), [1, 1, 3, 3]);
    const folded = col2im(im2col(ones, { kernelSize: [2, 2] }), { kernelSize: [2, 2], outputSize: [3, 3] });
    expect(Array.from(folded.data)).toEqual([1, 2, 1, 2, 4, 2, 1, 2, 1]);
  });
});

describe('the ONNX attribute adapters', () => {
  it('turn flat pads into [begin, end] pairs', () => {
    expect(fromOnnxConvAttributes({ pads: [1, 0, 2, 3], strides: [2, 2] })).toEqual({
      padding: [
        [1, 2],
        [0, 3],
      ],
      stride: [2, 2],
    });
  });

  it("read output_shape with any auto_pad but SAME_UPPER as 'same_lower'", () => {
    expect(fromOnnxConvTransposeAttributes({ strides: [3, 2], output_shape: [10, 8] })).toEqual({
      padding: 'same_lower',
      outputSize: [10, 8],
      stride: [3, 2],
    });
    expect(fromOnnxConvTransposeAttributes({ auto_pad: 'SAME_UPPER', output_shape: [6] }).padding).toBe('same_upper');
  });
});
