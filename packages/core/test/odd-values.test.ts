import { describe, expect, it } from 'vitest';
import * as core from '@convkit/core';
import type { ConvAlgorithm, Tensor } from '@convkit/core';
import { ODD_VALUE_CASES, sameValues } from '@convkit/testkit';

type AnyOp = (...args: unknown[]) => Tensor;

// 'direct' accumulates in float64 and rounds once; 'auto' accumulates in float32 (SIMD GEMM tiles).
const ACCUMULATION: Record<ConvAlgorithm, 'float64' | 'float32'> = { direct: 'float64', auto: 'float32' };

describe.each(['auto', 'direct'] as const)('odd values on core (algorithm %s)', (algorithm) => {
  const cases = ODD_VALUE_CASES.filter(
    (entry) => entry.backends === 'all' || entry.backends === ACCUMULATION[algorithm],
  );
  it.for(cases.map((entry) => [entry.name, entry] as const))('%s', ([, entry]) => {
    const op = (core as unknown as Record<string, AnyOp>)[entry.op];
    const got = op(...entry.operands, { ...entry.options, algorithm });
    expect(got.shape).toEqual(entry.expected.shape);
    expect(sameValues(got.data, entry.expected.data, 1e-5, 1e-5)).toBe('');
  });
});
