import { describe, expect, it } from 'vitest';
import * as core from '@convkit/core';
import { GPU_TOLERANCE, compareTensors, mulberry32, randomTensor } from '@convkit/testkit';
import { NODE_MODES, describeGpu } from './node-modes.js';

const random = mulberry32(99);

// gpu.js stops a loop bounded by an argument after loopMaxIterations (1000); every loop of the
// kernel is bounded by a constant, so reductions longer than that must run to the end.
describe.each(NODE_MODES)('loops longer than 1000 iterations on %s', (mode) => {
  const gpu = describeGpu(mode);

  it('sum over 1500 input channels', async () => {
    const input = randomTensor(random, [1, 1500, 3]);
    const weight = randomTensor(random, [2, 1500, 2]);
    const comparison = compareTensors(await gpu().conv(input, weight), core.conv(input, weight), GPU_TOLERANCE);
    expect(comparison.ok, comparison.message).toBe(true);
  });

  it('sum over a 1-D kernel of 1200 taps', async () => {
    const input = randomTensor(random, [1, 1, 1300]);
    const weight = randomTensor(random, [1, 1, 1200]);
    const comparison = compareTensors(await gpu().conv(input, weight), core.conv(input, weight), GPU_TOLERANCE);
    expect(comparison.ok, comparison.message).toBe(true);
  });
});
