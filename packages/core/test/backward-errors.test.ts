import { describe, expect, it } from 'vitest';
import {
  ConvError,
  conv2dBackward,
  convBackward,
  convTransposeBackward,
  depthwiseConvBackward,
  separableConvBackward,
  zeros,
} from '@convkit/core';

function thrown(call: () => unknown): ConvError {
  try {
    call();
  } catch (error) {
    if (error instanceof ConvError) return error;
    throw error;
  }
  throw new Error('expected a ConvError');
}

describe('backward ops refuse bad calls with messages that name the argument', () => {
  it('a gradOutput of the wrong shape names gradOutput and the expected shape', () => {
    const error = thrown(() => convBackward(zeros([1, 2, 5, 5]), zeros([3, 2, 3, 3]), zeros([1, 3, 5, 5])));
    expect(error.op).toBe('convBackward');
    expect(error.arg).toBe('gradOutput');
    expect(error.message).toBe(
      "convBackward: gradOutput must have the output's shape [1,3,3,3], got [1,3,5,5]; input [1,2,5,5], weight [3,2,3,3]",
    );
  });

  it('the transposed op checks gradOutput against its own output shape, outputPadding included', () => {
    expect(() =>
      convTransposeBackward(zeros([1, 1, 3]), zeros([1, 1, 3]), zeros([1, 1, 7]), { stride: 2, outputPadding: 1 }),
    ).toThrow(
      "convTransposeBackward: gradOutput must have the output's shape [1,1,8], got [1,1,7]; input [1,1,3], weight [1,1,3]",
    );
  });

  it('forward validation runs first, under the backward op name', () => {
    expect(() => conv2dBackward(zeros([1, 1, 5]), zeros([1, 1, 3]), zeros([1, 1, 3]))).toThrow(
      'conv2dBackward: weight must have 4 dims ([C_out, C_in/groups, ...kernel]), got 3; input [1,1,5], weight [1,1,3]',
    );
    expect(() => depthwiseConvBackward(zeros([1, 2, 5]), zeros([2, 2, 3]), zeros([1, 2, 3]))).toThrow(
      'depthwiseConvBackward: weight.shape[1] must be 1 (weight is [C_in * multiplier, 1, ...kernel]), got 2; input [1,2,5], weight [2,2,3]',
    );
  });

  it('need lists only known gradients', () => {
    expect(() =>
      convBackward(zeros([1, 1, 5]), zeros([1, 1, 3]), zeros([1, 1, 3]), {
        need: ['gradOutput' as 'gradInput'],
      }),
    ).toThrow("convBackward: need must list gradients among 'gradInput', 'gradWeight', 'gradBias', got ['gradOutput']");
    expect(() =>
      separableConvBackward(zeros([1, 2, 5]), zeros([2, 1, 3]), zeros([1, 2, 1]), zeros([1, 1, 3]), {
        need: ['gradWeight' as 'gradInput'],
      }),
    ).toThrow(
      "separableConvBackward: need must list gradients among 'gradInput', 'gradDepthwiseWeight', 'gradPointwiseWeight', 'gradDepthwiseBias', 'gradBias', got ['gradWeight']",
    );
  });

  it('a malformed gradOutput tensor is refused like any tensor argument', () => {
    expect(() =>
      convBackward(zeros([1, 1, 5]), zeros([1, 1, 3]), { shape: [1, 1, 3], data: new Float32Array(2) }),
    ).toThrow('convBackward: gradOutput.data has 2 elements but gradOutput [1,1,3] needs 3');
  });
});

describe('need computes only what is asked', () => {
  it('leaves the gradients not asked for undefined', () => {
    const result = convBackward(zeros([1, 1, 5]), zeros([1, 1, 3]), zeros([1, 1, 3]), { need: ['gradInput'] });
    expect(result.gradInput.shape).toEqual([1, 1, 5]);
    expect(result.gradWeight).toBeUndefined();
    expect(result.gradBias).toBeUndefined();
  });

  it('unbatched inputs give unbatched input gradients', () => {
    const { gradInput, gradWeight, gradBias } = convBackward(zeros([2, 5]), zeros([3, 2, 3]), zeros([3, 3]));
    expect(gradInput.shape).toEqual([2, 5]);
    expect(gradWeight.shape).toEqual([3, 2, 3]);
    expect(gradBias.shape).toEqual([3]);
  });
});
