import { describe, expect, it } from 'vitest';
import * as core from '@convkit/core';
import {
  fromOnnxConvAttributes,
  fromOnnxConvTransposeAttributes,
  type ConvAlgorithm,
  type Tensor,
} from '@convkit/core';
import { EXACT, HAND_CASES, compareTensors, runOp } from '@convkit/testkit';

// The hand-worked cases are data in @convkit/testkit (expected values worked out by hand, never by the
// code under test); the same list runs on every gpu mode. Core runs each on both algorithms.
const algorithms: ConvAlgorithm[] = ['direct', 'auto'];

describe.each(algorithms)('the hand-worked cases (algorithm %s)', (algorithm) => {
  it.each(HAND_CASES.map((entry) => [entry.name, entry] as const))('%s', (_, entry) => {
    const got = runOp<Tensor>(core, entry.op, entry.operands, { ...entry.options, algorithm });
    const comparison = compareTensors(got, entry.expected, EXACT);
    expect(comparison.ok, comparison.message).toBe(true);
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
