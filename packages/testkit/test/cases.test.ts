import { describe, expect, it } from 'vitest';
import {
  ERROR_CASES,
  HAND_CASES,
  convOutSize,
  convPaddingPairs,
  convTransposeOutSize,
  elementCount,
  fuzzCase,
  FUZZ_OPS,
  isValidConv,
  runFuzzCase,
  runOp,
} from '../src/index.js';

describe('the shared case data', () => {
  it('holds hand-worked cases whose expected tensors fill their shapes, and uniquely named error cases', () => {
    for (const entry of HAND_CASES)
      expect(entry.expected.data.length, entry.name).toBe(elementCount(entry.expected.shape));
    expect(new Set(HAND_CASES.map((entry) => entry.name)).size).toBe(HAND_CASES.length);
    expect(new Set(ERROR_CASES.map((entry) => entry.name)).size).toBe(ERROR_CASES.length);
    for (const entry of ERROR_CASES)
      expect(entry.message.startsWith(`${entry.errorOp ?? entry.op}: `), entry.name).toBe(true);
  });
});

describe("testkit's own validity rule (PyTorch's formulas)", () => {
  const geometry = { inSize: [5], kernelSize: [3], stride: [2], dilation: [2] };

  it('sizes a convolution: floor((5 + 1 + 1 - 2 * 2 - 1) / 2) + 1 = 2', () => {
    expect(convOutSize([[1, 1]], geometry)).toEqual([2]);
  });

  it("splits ONNX's same padding: out ceil(5 / 2) = 3, total (3 - 1) * 2 + 5 - 5 = 4", () => {
    expect(convPaddingPairs('same_upper', geometry)).toEqual([[2, 2]]);
    expect(convPaddingPairs('same_upper', { ...geometry, dilation: [1] })).toEqual([[1, 1]]);
    expect(convPaddingPairs('same_lower', { inSize: [4], kernelSize: [2], stride: [1], dilation: [1] })).toEqual([
      [1, 0],
    ]);
  });

  it("refuses 'same' with a stride, an empty output, and reflect padding as wide as the input", () => {
    expect(isValidConv('same', 'zeros', geometry)).toBe(false);
    expect(isValidConv(0, 'zeros', { ...geometry, inSize: [4] })).toBe(false);
    expect(isValidConv(3, 'reflect', { inSize: [3], kernelSize: [3], stride: [1], dilation: [1] })).toBe(false);
    expect(isValidConv(2, 'reflect', { inSize: [3], kernelSize: [3], stride: [1], dilation: [1] })).toBe(true);
    expect(isValidConv(3, 'circular', { inSize: [3], kernelSize: [3], stride: [1], dilation: [1] })).toBe(true);
  });

  it('sizes a transposed convolution: (2 - 1) * 2 - 0 - 0 + 1 * (3 - 1) + 1 + 1 = 6', () => {
    expect(convTransposeOutSize(0, [1], { inSize: [2], kernelSize: [3], stride: [2], dilation: [1] })).toEqual([6]);
    expect(
      convTransposeOutSize('same_lower', [0], { inSize: [2], kernelSize: [3], stride: [2], dilation: [1] }),
    ).toEqual([4]);
  });
});

describe('the generic runner', () => {
  it('calls family[op](...operands, options) with the family as this', () => {
    const family = {
      scale: 3,
      multiply(this: { scale: number }, value: number, options: { offset: number }) {
        return value * this.scale + options.offset;
      },
    };
    expect(runOp(family, 'multiply', [2], { offset: 1 })).toBe(7);
    expect(() => runOp(family, 'divide', [2])).toThrow("runOp: this backend offers no 'divide'");
  });

  it('hands a fuzz case its operands in order: three for a separable conv', () => {
    const seen: unknown[][] = [];
    const recorder = { separableConv: (...args: unknown[]) => seen.push(args) };
    runFuzzCase(recorder, fuzzCase('separableConv', 7), { algorithm: 'direct' });
    expect(seen[0].length).toBe(4);
    expect((seen[0][3] as { algorithm: string }).algorithm).toBe('direct');
  });

  it('draws reproducible cases for every op', () => {
    for (const op of FUZZ_OPS) expect(fuzzCase(op, 11).description).toBe(fuzzCase(op, 11).description);
  });
});
