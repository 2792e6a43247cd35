import { describe, expect, it } from 'vitest';
import type { Tensor } from '@convkit/core';
import { GPU_TOLERANCE, HAND_CASES, compareTensors, runOp } from '@convkit/testkit';
import { NODE_MODES, describeGpu } from './node-modes.js';

// Core's hand-worked cases (data in @convkit/testkit), on every Node backend.
const gpuCases = HAND_CASES.filter((entry) => entry.backends === 'all');

describe.each(NODE_MODES)('the hand-worked cases on %s', (mode) => {
  const gpu = describeGpu(mode);

  it.for(gpuCases.map((entry) => [entry.name, entry] as const))('%s', async ([, entry]) => {
    const got = await runOp<Promise<Tensor>>(gpu(), entry.op, entry.operands, entry.options);
    const comparison = compareTensors(got, entry.expected, GPU_TOLERANCE);
    expect(comparison.ok, comparison.message).toBe(true);
  });
});
