import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '@convkit/core';
import type { GpuMode } from '@convkit/gpu';
import { ODD_VALUE_CASES, sameValues } from '@convkit/testkit';
import { NODE_MODES, describeGpu } from './node-modes.js';

type AnyOp = (...args: unknown[]) => Promise<Tensor>;

// gpu.js's cpu mode runs the kernel as JavaScript (float64 sums); the others accumulate in float32.
const FLOAT64_MODES: readonly GpuMode[] = ['cpu'];

// The rule any kernel must keep (see ODD_VALUE_CASES): 0 * Inf = NaN over zero padding, the same
// NaN/±Infinity pattern as core on every mode, for plain and uploaded weights.
describe.each(NODE_MODES)('odd values on %s', (mode) => {
  const gpu = describeGpu(mode);

  it(mode === 'headlessgl' ? 'flushes subnormal values to zero' : 'keeps subnormal values', async () => {
    // 1e-40 and 1e-41 are float32 subnormals (below 2^-126); the identity kernel passes them through.
    const input = tensor([1e-40, 1e-41, 2], [1, 1, 3]);
    const got = await gpu().conv(input, tensor([1], [1, 1, 1]));
    expect(Array.from(got.data)).toEqual(mode === 'headlessgl' ? [0, 0, 2] : Array.from(input.data));
  });

  const cases = ODD_VALUE_CASES.filter((entry) => entry.backends === 'all' || FLOAT64_MODES.includes(mode));
  it.for(cases.map((entry) => [entry.name, entry] as const))('%s', async ([, entry]) => {
    const op = (gpu() as unknown as Record<string, AnyOp>)[entry.op].bind(gpu());
    const got = await op(...entry.operands, entry.options);
    expect(got.shape).toEqual(entry.expected.shape);
    expect(sameValues(got.data, entry.expected.data, 1e-4, 1e-4)).toBe('');
    const [input, weight] = entry.operands;
    const uploaded = await op(input, await gpu().upload(tensor(weight.data, weight.shape)), entry.options);
    expect(sameValues(uploaded.data, entry.expected.data, 1e-4, 1e-4)).toBe('');
  });
});
