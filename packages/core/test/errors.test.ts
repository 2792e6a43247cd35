import { describe, expect, it } from 'vitest';
import {
  ConvError,
  sizeOf,
  col2im,
  conv,
  conv1d,
  conv2d,
  convMatrix,
  convTranspose,
  convTranspose2d,
  depthwiseConv,
  im2col,
  pointwiseConv,
  receptiveField,
  separableConv,
  tensor,
  type Tensor,
} from '@convkit/core';

function filled(shape: number[]): Tensor {
  return { shape, data: new Float32Array(sizeOf(shape)).fill(1) };
}

/** Runs `call`, expects a ConvError, and returns it for assertions on its fields. */
function convError(call: () => unknown): ConvError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(ConvError);
    return error as ConvError;
  }
  throw new Error('expected a ConvError, but the call returned');
}

const x = filled([1, 8, 5, 5]);

describe('ConvError', () => {
  it('carries the op, the argument and a message naming both shapes', () => {
    const error = convError(() => conv2d(x, filled([4, 3, 3, 3]), { groups: 2 }));
    expect(error.name).toBe('ConvError');
    expect(error.op).toBe('conv2d');
    expect(error.arg).toBe('weight');
    expect(error.message).toBe(
      'conv2d: weight.shape[1] * groups (3 * 2 = 6) must equal input channels (8); input [1,8,5,5], weight [4,3,3,3]',
    );
  });
});

describe('rank errors', () => {
  it('refuses an input whose rank does not fit the weight', () => {
    const error = convError(() => conv(filled([1, 1, 1, 5, 5]), filled([1, 1, 3, 3])));
    expect(error.arg).toBe('input');
    expect(error.message).toBe(
      'conv: input must have 4 dims (batched [N, C, ...]) or 3 (unbatched [C, ...]) to match a weight with 2 spatial dims, got 5; input [1,1,1,5,5], weight [1,1,3,3]',
    );
  });

  it('refuses a weight of the wrong rank for a rank-specific op', () => {
    expect(() => conv1d(x, filled([1, 8, 3, 3]))).toThrow(
      'conv1d: weight must have 3 dims ([C_out, C_in/groups, ...kernel]), got 4; input [1,8,5,5], weight [1,8,3,3]',
    );
    expect(() => convTranspose2d(filled([1, 2, 3]), filled([2, 1, 3]))).toThrow(
      'convTranspose2d: weight must have 4 dims ([C_in, C_out/groups, ...kernel]), got 3; input [1,2,3], weight [2,1,3]',
    );
  });

  it('refuses a weight with more than 3 spatial dims', () => {
    expect(() => conv(filled([1, 1, 2, 2, 2, 2]), filled([1, 1, 1, 1, 1, 1]))).toThrow(
      'conv: weight must have 3, 4 or 5 dims ([C_out, C_in/groups, ...kernel]), got 6',
    );
  });
});

describe('channel and group errors', () => {
  it('refuses input channels not divisible by groups', () => {
    const error = convError(() => conv2d(x, filled([3, 8, 3, 3]), { groups: 3 }));
    expect(error.arg).toBe('groups');
    expect(error.message).toBe(
      'conv2d: input channels (8) must be divisible by groups (3); input [1,8,5,5], weight [3,8,3,3]',
    );
  });

  it('refuses output channels not divisible by groups', () => {
    expect(() => conv2d(x, filled([3, 4, 3, 3]), { groups: 2 })).toThrow(
      'conv2d: weight.shape[0] (output channels, 3) must be divisible by groups (2); input [1,8,5,5], weight [3,4,3,3]',
    );
  });

  it('refuses a weight whose input channels do not match the input', () => {
    expect(() => conv2d(x, filled([4, 6, 3, 3]))).toThrow(
      'conv2d: weight.shape[1] * groups (6 * 1 = 6) must equal input channels (8); input [1,8,5,5], weight [4,6,3,3]',
    );
  });

  it('refuses a transposed weight whose first dim is not the input channels', () => {
    expect(() => convTranspose(filled([1, 4, 3, 3]), filled([2, 2, 3, 3]))).toThrow(
      'convTranspose: weight.shape[0] (2) must equal input channels (4); input [1,4,3,3], weight [2,2,3,3]',
    );
  });

  it('refuses a bias that is not [C_out]', () => {
    expect(() => conv2d(x, filled([4, 8, 3, 3]), { bias: filled([8]) })).toThrow(
      'conv2d: bias must have shape [4] (output channels), got [8]; input [1,8,5,5], weight [4,8,3,3]',
    );
  });
});

describe('option errors', () => {
  const w = filled([4, 8, 3, 3]);

  it('refuses a non-integer stride', () => {
    const error = convError(() => conv2d(x, w, { stride: 1.5 }));
    expect(error.arg).toBe('stride');
    expect(error.message).toBe('conv2d: stride must be positive integers, got 1.5; input [1,8,5,5], weight [4,8,3,3]');
  });

  it('refuses a non-positive dilation', () => {
    expect(() => conv2d(x, w, { dilation: [1, 0] })).toThrow('conv2d: dilation must be positive integers, got [1,0]');
  });

  it('refuses zero, fractional or NaN groups', () => {
    expect(() => conv2d(x, w, { groups: 0 })).toThrow('conv2d: groups must be a positive integer, got 0');
    expect(() => conv2d(x, w, { groups: 1.5 })).toThrow('conv2d: groups must be a positive integer, got 1.5');
    expect(() => conv2d(x, w, { groups: Number.NaN })).toThrow('conv2d: groups must be a positive integer, got NaN');
  });

  it('refuses Infinity and NaN in options', () => {
    expect(() => conv2d(x, w, { stride: Number.POSITIVE_INFINITY })).toThrow(
      'conv2d: stride must be positive integers, got Infinity',
    );
    expect(() => conv2d(x, w, { padding: Number.NaN })).toThrow(
      'conv2d: padding must be a non-negative integer, got NaN',
    );
  });

  it('refuses negative padding', () => {
    expect(() => conv2d(x, w, { padding: -1 })).toThrow('conv2d: padding must be a non-negative integer, got -1');
    expect(() =>
      conv2d(x, w, {
        padding: [
          [0, -1],
          [1, 1],
        ],
      }),
    ).toThrow(
      'conv2d: padding entries must be non-negative integers or [begin, end] pairs of them, got [[0,-1],[1,1]]',
    );
  });

  it('refuses a padding list of the wrong length, and points out ONNX flat pads', () => {
    expect(() => conv2d(x, w, { padding: [1, 1, 1] })).toThrow(
      'conv2d: padding must have one entry per spatial dim (2), got 3: [1,1,1]; input [1,8,5,5], weight [4,8,3,3]',
    );
    expect(() => conv2d(x, w, { padding: [1, 0, 1, 0] })).toThrow(
      'conv2d: padding must have one entry per spatial dim (2), got 4: [1,0,1,0] (asymmetric padding is written as [begin, end] pairs, not ONNX flat pads)',
    );
  });

  it('refuses a stride list of the wrong length', () => {
    expect(() => conv2d(x, w, { stride: [1, 1, 1] })).toThrow(
      'conv2d: stride must have one entry per spatial dim (2), got 3: [1,1,1]',
    );
  });

  it("refuses PyTorch's 'same' with a stride", () => {
    expect(() => conv2d(x, w, { padding: 'same', stride: 2 })).toThrow(
      "conv2d: padding 'same' (PyTorch) needs stride 1, got stride [2,2]; use 'same_upper' or 'same_lower' for strided same padding",
    );
  });

  it('refuses an unknown padding string or padding mode', () => {
    expect(() => conv2d(x, w, { padding: 'full' as never })).toThrow("conv2d: unknown padding 'full'");
    expect(() => conv2d(x, w, { paddingMode: 'mirror' as never })).toThrow(
      "conv2d: paddingMode must be one of 'zeros', 'reflect', 'replicate', 'circular', got 'mirror'",
    );
  });

  it('refuses reflect padding as large as the input, as PyTorch does', () => {
    expect(() => conv1d(filled([1, 1, 3]), filled([1, 1, 3]), { padding: 3, paddingMode: 'reflect' })).toThrow(
      "conv1d: paddingMode 'reflect' needs padding of at most 2 on spatial dim 0 (input size 3), got [3, 3]; input [1,1,3], weight [1,1,3]",
    );
  });

  it('refuses a padding mode on a transposed convolution', () => {
    expect(() => convTranspose(filled([1, 1, 3]), filled([1, 1, 3]), { paddingMode: 'reflect' } as never)).toThrow(
      "convTranspose: paddingMode 'reflect' is not supported by transposed convolution, only 'zeros' (as in PyTorch)",
    );
  });

  it("refuses 'same' on a transposed convolution", () => {
    expect(() => convTranspose(filled([1, 1, 3]), filled([1, 1, 3]), { padding: 'same' as never })).toThrow(
      "convTranspose: padding 'same' is not defined for transposed convolution; use 'same_upper' or 'same_lower' (ONNX) or explicit padding",
    );
  });

  it('refuses options that are not an object, and an unknown algorithm', () => {
    expect(() => conv2d(x, w, 3 as never)).toThrow('conv2d: options must be an object, got 3');
    expect(() => conv2d(x, w, { algorithm: 'winograd' as never })).toThrow(
      `conv2d: algorithm must be 'auto' or 'direct', got "winograd"`,
    );
  });
});

describe('output size errors', () => {
  it('refuses an output that would be empty', () => {
    const error = convError(() => conv2d(filled([1, 1, 2, 5]), filled([1, 1, 3, 3])));
    expect(error.arg).toBe('input');
    expect(error.message).toBe(
      'conv2d: the output would be empty: spatial dim 0 has size 0 (input 2 + padding 0 + 0 is smaller than the dilated kernel 3); input [1,1,2,5], weight [1,1,3,3]',
    );
  });

  it('refuses a transposed output cropped away entirely', () => {
    expect(() => convTranspose(filled([1, 1, 1]), filled([1, 1, 2]), { padding: 1 })).toThrow(
      'convTranspose: the output would be empty: spatial dim 0 has size 0 (padding 1 + 1 crops away the whole 2 positions)',
    );
  });

  it('refuses an outputPadding not below the stride or the dilation', () => {
    const error = convError(() => convTranspose(filled([1, 1, 3]), filled([1, 1, 3]), { stride: 2, outputPadding: 2 }));
    expect(error.arg).toBe('outputPadding');
    expect(error.message).toBe(
      'convTranspose: outputPadding [2] must be smaller than either stride [2] or dilation [1] on every spatial dim; input [1,1,3], weight [1,1,3]',
    );
  });

  it('refuses an outputSize out of range', () => {
    expect(() =>
      convTranspose(filled([1, 1, 4]), filled([1, 1, 3]), { stride: 3, padding: 1, outputSize: [13] }),
    ).toThrow(
      'convTranspose: outputSize [13] is out of range: spatial dim 0 must lie in [10, 12]; input [1,1,4], weight [1,1,3]',
    );
  });

  it('refuses outputSize together with outputPadding', () => {
    expect(() =>
      convTranspose(filled([1, 1, 4]), filled([1, 1, 3]), { stride: 3, outputSize: [12], outputPadding: 1 }),
    ).toThrow('convTranspose: give either outputSize or outputPadding, not both');
  });

  it('refuses an outputSize of the wrong length', () => {
    expect(() => convTranspose(filled([1, 1, 4]), filled([1, 1, 3]), { outputSize: [6, 6] })).toThrow(
      'convTranspose: outputSize must have one entry per spatial dim (1), got [6,6]',
    );
  });

  it('refuses a tensor beyond 2^31 elements before allocating anything', () => {
    const error = convError(() => convTranspose(filled([1, 1, 2, 2]), filled([1, 1, 1, 1]), { stride: 2 ** 16 }));
    expect(error.arg).toBe('output');
    expect(error.message).toBe(
      'convTranspose: output [1,1,65537,65537] would have 4295098369 elements, more than the limit of 2^31 - 1; input [1,1,2,2], weight [1,1,1,1]',
    );
  });
});

describe('tensor errors', () => {
  it('refuses data whose length does not match the shape', () => {
    const error = convError(() => conv2d({ shape: [1, 8, 5, 5], data: new Float32Array(199) }, filled([4, 8, 3, 3])));
    expect(error.arg).toBe('input');
    expect(error.message).toBe('conv2d: input.data has 199 elements but input [1,8,5,5] needs 200');
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow('tensor: data length 3 does not match shape [2,2] (4 elements)');
  });

  it('refuses data that is not a Float32Array', () => {
    expect(() => conv2d({ shape: [1, 1, 1, 1], data: [1] as never }, filled([1, 1, 1, 1]))).toThrow(
      'conv2d: input.data must be a Float32Array; input [1,1,1,1]',
    );
  });

  it('refuses NaN, fractional and negative dims in shapes', () => {
    expect(() => conv2d({ shape: [1, Number.NaN, 5, 5], data: new Float32Array(0) }, filled([1, 1, 3, 3]))).toThrow(
      'conv2d: input.shape[1] must be a non-negative integer, got NaN; input.shape [1,NaN,5,5]',
    );
    expect(() => tensor([], [2, -1])).toThrow('tensor: shape[1] must be a non-negative integer, got -1; shape [2,-1]');
  });

  it('refuses empty dims', () => {
    expect(() => conv2d(filled([0, 8, 5, 5]), filled([4, 8, 3, 3]))).toThrow(
      'conv2d: input has an empty dim (input.shape[0] = 0); input [0,8,5,5], weight [4,8,3,3]',
    );
  });
});

describe('errors of the specialised ops', () => {
  it('depthwiseConv refuses a weight that is not [C_in * multiplier, 1, ...k]', () => {
    expect(() => depthwiseConv(x, filled([8, 2, 3, 3]))).toThrow(
      'depthwiseConv: weight.shape[1] must be 1 (weight is [C_in * multiplier, 1, ...kernel]), got 2; input [1,8,5,5], weight [8,2,3,3]',
    );
    expect(() => depthwiseConv(x, filled([12, 1, 3, 3]))).toThrow(
      'depthwiseConv: weight.shape[0] (12) must be a multiple of the input channels (8), as weight is [C_in * multiplier, 1, ...kernel]',
    );
  });

  it('depthwiseConv refuses a groups option', () => {
    expect(() => depthwiseConv(x, filled([8, 1, 3, 3]), { groups: 8 } as never)).toThrow(
      'depthwiseConv: depthwiseConv takes no groups option (one group per input channel, always)',
    );
  });

  it('pointwiseConv refuses a kernel wider than 1 and spatial options', () => {
    expect(() => pointwiseConv(x, filled([4, 8, 1, 3]))).toThrow(
      'pointwiseConv: every kernel dim of a pointwise weight must be 1, got weight.shape[3] = 3; input [1,8,5,5], weight [4,8,1,3]',
    );
    expect(() => pointwiseConv(x, filled([4, 8, 1, 1]), { padding: 1 } as never)).toThrow(
      'pointwiseConv: a pointwise (1x1) convolution takes no padding; use conv for that',
    );
  });

  it('separableConv checks the pointwise stage before running the depthwise one', () => {
    const error = convError(() => separableConv(x, filled([8, 1, 3, 3]), filled([4, 6, 1, 1])));
    expect(error.op).toBe('separableConv');
    expect(error.message).toBe(
      'separableConv: weight.shape[1] * groups (6 * 1 = 6) must equal input channels (8); input [1,8,3,3], weight [4,6,1,1]',
    );
  });

  it('convMatrix refuses a matrix that would not fit in memory', () => {
    expect(() => convMatrix([1, 64, 64, 64], filled([64, 64, 3, 3]))).toThrow(
      'convMatrix: the matrix would be 246016 x 262144 = 64491618304 entries, more than the limit of 33554432; input [1,64,64,64], weight [64,64,3,3]',
    );
  });

  it('im2col and col2im refuse malformed geometry', () => {
    expect(() => im2col(x, { kernelSize: 3 as never })).toThrow(
      'im2col: kernelSize must be an array of 1 to 3 positive integers, got 3',
    );
    expect(() => col2im(filled([1, 9, 5]), { kernelSize: [3, 3], outputSize: [5, 5] })).toThrow(
      'col2im: columns [1,9,5] have 5 window positions, but kernel [3,3] over [5,5] with this stride, padding and dilation slides to 9 (3x3)',
    );
  });

  it('receptiveField refuses a zero stride', () => {
    expect(() => receptiveField([{ kernelSize: 3, stride: 0 }])).toThrow(
      'receptiveField: layers[0].stride must be an integer >= 1, got 0',
    );
  });
});
