import { describe, expect, it } from 'vitest';
import * as core from '@convkit/core';
import {
  convInfo,
  convTransposeInfo,
  fromOnnxConvAttributes,
  fromOnnxConvTransposeAttributes,
  fromOnnxPads,
  toOnnxPads,
  toOnnxConvAttributes,
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

describe('the inverse ONNX helpers', () => {
  it('turn [begin, end] pairs into flat pads and back', () => {
    expect(toOnnxPads({ padBegin: [1, 0], padEnd: [2, 3] })).toEqual([1, 0, 2, 3]);
    expect(fromOnnxPads([1, 0, 2, 3])).toEqual([
      [1, 2],
      [0, 3],
    ]);
    expect(() => fromOnnxPads([1, 0, 2])).toThrow(
      'fromOnnxPads: pads must have an even length (begins then ends), got [1,0,2]',
    );
  });

  it('write the node of a resolved conv, which fromOnnxConvAttributes reads back to the same record', () => {
    // 'same_upper' on 5 with kernel 4, stride 2: out 3, total (3 - 1) * 2 + 4 - 5 = 3, so [1, 2].
    const info = convInfo([1, 2, 5], [3, 2, 4], { stride: 2, padding: 'same_upper' });
    const attributes = toOnnxConvAttributes(info);
    expect(attributes).toEqual({ kernel_shape: [4], strides: [2], dilations: [1], group: 1, pads: [1, 2] });
    expect(toOnnxConvAttributes(info, { padding: 'same_upper' }).auto_pad).toBe('SAME_UPPER');
    expect(convInfo([1, 2, 5], [3, 2, 4], fromOnnxConvAttributes(attributes)).key).toBe(info.key);
  });

  it('write output_padding only for a transposed node that has one', () => {
    const info = convTransposeInfo([1, 1, 3], [1, 1, 3], { stride: 2, padding: 1, outputPadding: 1 });
    const attributes = toOnnxConvAttributes(info);
    expect(attributes).toEqual({
      kernel_shape: [3],
      strides: [2],
      dilations: [1],
      group: 1,
      pads: [1, 1],
      output_padding: [1],
    });
    expect(convTransposeInfo([1, 1, 3], [1, 1, 3], fromOnnxConvTransposeAttributes(attributes)).outSize).toEqual([6]);
    expect(toOnnxConvAttributes(convTransposeInfo([1, 1, 3], [1, 1, 3], { stride: 2 })).output_padding).toBeUndefined();
  });
});
