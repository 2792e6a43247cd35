import { beforeAll, describe, expect, it } from 'vitest';
import * as core from '@convkit/core';
import { MAX_ELEMENTS_PER_CALL } from '@convkit/gpu';
import { GPU_TOLERANCE, compareTensors, mulberry32, randomTensor } from '@convkit/testkit';
import { NODE_MODES, reportLine, describeGpu } from './node-modes.js';

const random = mulberry32(2024);
// 3 batch items of 2900 x 2900 = 8.41M elements: 25.2M in all, above the 2^24 one call may address,
// so the work is split (one batch item per call), and indices inside a call reach 2^23.
const input = randomTensor(random, [3, 1, 2900, 2900]);
const weight = randomTensor(random, [1, 1, 3, 3]);
const options = { padding: 1, bias: randomTensor(random, [1]) };
let expected: core.Tensor;

describe.each(NODE_MODES)('a tensor larger than one call can address on %s', (mode) => {
  const gpu = describeGpu(mode);
  beforeAll(() => {
    expected ??= core.conv(input, weight, options);
  });

  it('is split across calls and matches core everywhere, up to the last element', { timeout: 180_000 }, async () => {
    expect(input.data.length).toBeGreaterThan(MAX_ELEMENTS_PER_CALL);
    const comparison = compareTensors(await gpu().conv(input, weight, options), expected, GPU_TOLERANCE);
    console.log(reportLine('large conv2d [3,1,2900,2900]', mode, comparison.ok ? 1 : 0, 1, comparison.maxAbsError));
    expect(comparison.ok, comparison.message).toBe(true);
  });
});
