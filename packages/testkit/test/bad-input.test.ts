import { describe, expect, it } from 'vitest';
import {
  ACCEPTED_CASES,
  BAD_INPUT_CASES,
  ODD_VALUE_CASES,
  invalidCalls,
  mulberry32,
  sameValues,
} from '../src/index.js';

describe('the bad-input data', () => {
  it('names every refusal by its op, and within 400 characters', () => {
    for (const entry of BAD_INPUT_CASES) {
      expect(entry.message.startsWith(`${entry.op}: `) || entry.op === 'resolvePadding', entry.name).toBe(true);
      expect(entry.message.length, entry.name).toBeLessThanOrEqual(400);
    }
  });

  it('gives accepted cases values that fill their output shape', () => {
    for (const entry of ACCEPTED_CASES) {
      const size = entry.outputShape.reduce((product, extent) => product * extent, 1);
      if (entry.outputData) expect(entry.outputData.length, entry.name).toBe(size);
    }
  });

  it('gives odd-value cases expected tensors that fill their shape', () => {
    for (const entry of ODD_VALUE_CASES) {
      const size = entry.expected.shape.reduce((product, extent) => product * extent, 1);
      expect(entry.expected.data.length, entry.name).toBe(size);
    }
  });
});

describe('sameValues', () => {
  it('matches NaN with NaN and each infinity with itself only', () => {
    const want = new Float32Array([Number.NaN, Number.POSITIVE_INFINITY, 1]);
    expect(sameValues(new Float32Array([Number.NaN, Number.POSITIVE_INFINITY, 1 + 1e-7]), want, 1e-5, 0)).toBe('');
    expect(sameValues(new Float32Array([0, Number.POSITIVE_INFINITY, 1]), want, 1e-5, 0)).toBe(
      'index 0: got 0, want NaN',
    );
    expect(sameValues(new Float32Array([Number.NaN, Number.NEGATIVE_INFINITY, 1]), want, 1e-5, 0)).toBe(
      'index 1: got -Infinity, want Infinity',
    );
    expect(sameValues(new Float32Array(2), want, 0, 0)).toBe('length 2 != 3');
  });
});

describe('invalidCalls', () => {
  it('draws the same calls from the same seed, each with one named fault and options last', () => {
    const first = invalidCalls(mulberry32(3), 50);
    const second = invalidCalls(mulberry32(3), 50);
    expect(first.map((call) => `${call.op} ${call.fault}`)).toEqual(second.map((call) => `${call.op} ${call.fault}`));
    expect(new Set(first.map((call) => call.op)).size).toBeGreaterThan(3);
    expect(new Set(invalidCalls(mulberry32(5), 400).map((call) => call.fault)).size).toBeGreaterThan(40);
  });
});
