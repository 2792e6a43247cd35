import { describe, expect, it } from 'vitest';
import * as core from '@convkit/core';
import { GPU_TOLERANCE, compareTensors } from '@convkit/testkit';
import { NODE_MODES, describeGpu, seededTensors } from './node-modes.js';

const tensorOf = seededTensors(7);

/** Each op twice with different shapes, then the first shape again: the cache must never mix them up. */
const CALLS = [
  {
    op: 'conv',
    first: () => [tensorOf([1, 2, 6, 6]), tensorOf([3, 2, 3, 3]), { padding: 1, bias: tensorOf([3]) }],
    second: () => [
      tensorOf([2, 4, 5]),
      tensorOf([4, 2, 2]),
      { groups: 2, stride: 2, paddingMode: 'reflect', padding: 1 },
    ],
  },
  {
    op: 'convTranspose',
    first: () => [tensorOf([1, 2, 3, 3]), tensorOf([2, 3, 3, 3]), { stride: 2 }],
    second: () => [tensorOf([2, 2, 4]), tensorOf([2, 1, 3]), { stride: 3, padding: 1, outputPadding: 1, groups: 2 }],
  },
  {
    op: 'depthwiseConv',
    first: () => [tensorOf([1, 3, 7]), tensorOf([6, 1, 3]), { padding: 'same' }],
    second: () => [tensorOf([1, 2, 4, 4, 4]), tensorOf([2, 1, 2, 2, 2]), { dilation: 2, padding: 1 }],
  },
  {
    op: 'pointwiseConv',
    first: () => [tensorOf([1, 4, 3, 3]), tensorOf([2, 4, 1, 1]), {}],
    second: () => [tensorOf([3, 6]), tensorOf([4, 3, 1]), { stride: 2 }],
  },
  {
    op: 'separableConv',
    first: () => [tensorOf([1, 2, 5, 5]), tensorOf([4, 1, 3, 3]), tensorOf([3, 4, 1, 1]), { padding: 1 }],
    second: () => [tensorOf([1, 3, 9]), tensorOf([3, 1, 2]), tensorOf([2, 3, 1]), { stride: 2, bias: tensorOf([2]) }],
  },
] as const;

describe.each(NODE_MODES)('the kernel cache on %s', (mode) => {
  const gpu = describeGpu(mode);

  it.each(CALLS.map((call) => [call.op, call] as const))(
    '%s called with two shapes, then the first again, matches core each time',
    async (op, call) => {
      const apply = (api: unknown, args: readonly unknown[]) =>
        (api as Record<string, (...rest: unknown[]) => unknown>)[op](...args);
      const first = call.first();
      const second = call.second();
      const before = gpu().cachedKernels;
      for (const args of [first, second, first]) {
        const got = (await apply(gpu(), args)) as core.Tensor;
        const comparison = compareTensors(got, apply(core, args) as core.Tensor, GPU_TOLERANCE);
        expect(comparison.ok, comparison.message).toBe(true);
      }
      // One kernel per distinct shape record (two per separable call: its depthwise and pointwise stages).
      expect(gpu().cachedKernels - before).toBe(op === 'separableConv' ? 4 : 2);
    },
  );
});
