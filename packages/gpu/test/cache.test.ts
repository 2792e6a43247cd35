import { describe, expect, it } from 'vitest';
import * as core from '@convkit/core';
import { createGpu, DEFAULT_MAX_CACHED_KERNELS, MAX_ELEMENTS_PER_CALL } from '@convkit/gpu';
import { startBackend } from '../src/backend.js';
import { ConvolutionRunner } from '../src/runner.js';
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

  it('counts one kernel for a shape record run on a plain and on an uploaded input', async () => {
    const [input, weight] = [tensorOf([1, 4, 6, 6]), tensorOf([2, 4, 3, 3])];
    const before = gpu().cachedKernels;
    await gpu().conv(input, weight);
    const handle = await gpu().upload(input);
    await gpu().conv(handle, weight);
    // On the packed path (headlessgl) the upload adds a pack kernel for a device input, compiled
    // and evicted with the record's convolution kernel; on cpu and webasm the upload is a host copy.
    expect(gpu().cachedKernels - before).toBe(1);
    handle.dispose();
  });
});

/** Shapes that differ only in their input width: one shape record (and one kernel) each. */
const widthCall = (width: number) => {
  const input = tensorOf([1, 1, width]);
  const weight = tensorOf([1, 1, 3]);
  return { input, weight, info: core.convInfo(input.shape, weight.shape, {}, 'conv') };
};

/** A runner on the cpu backend that counts the kernels it compiles. */
async function countingRunner(maxCachedKernels: number) {
  const backend = await startBackend('cpu');
  const createKernel = backend.gpu.createKernel.bind(backend.gpu);
  const counter = { compiled: 0 };
  backend.gpu.createKernel = ((...args: Parameters<typeof createKernel>) => {
    counter.compiled += 1;
    return createKernel(...args);
  }) as typeof backend.gpu.createKernel;
  const runner = new ConvolutionRunner(backend, MAX_ELEMENTS_PER_CALL, maxCachedKernels);
  const run = ({ input, weight, info }: ReturnType<typeof widthCall>) =>
    runner.run(info, { tensor: input, device: null }, { tensor: weight, device: null }, undefined);
  return { backend, runner, counter, run };
}

describe('the kernel cache size', () => {
  it('cycling through one shape more than the cache holds recompiles on few calls, not on every call', async () => {
    const { backend, counter, run } = await countingRunner(DEFAULT_MAX_CACHED_KERNELS);
    const calls = Array.from({ length: DEFAULT_MAX_CACHED_KERNELS + 1 }, (_, index) => widthCall(4 + index));
    for (const call of calls) await run(call);
    const afterFirstRound = counter.compiled;
    for (let round = 0; round < 4; round++) for (const call of calls) await run(call);
    // Strict LRU would recompile on all 4 * 33 = 132 later calls; a random pick among the older
    // three quarters keeps about 90% of them.
    expect(afterFirstRound).toBe(calls.length);
    expect(counter.compiled - afterFirstRound).toBeLessThan(132 / 4);
    await backend.gpu.destroy();
  });

  it('never evicts a shape used on every other call while a stream of new shapes passes', async () => {
    const { backend, counter, run } = await countingRunner(4);
    const hot = widthCall(3);
    await run(hot);
    for (let index = 0; index < 40; index++) {
      await run(widthCall(10 + index));
      const before = counter.compiled;
      await run(hot);
      expect(counter.compiled).toBe(before);
    }
    await backend.gpu.destroy();
  });

  it('frees what it evicts on the cpu backend: gpu.js keeps no destroyed kernel', async () => {
    const { backend, runner, run } = await countingRunner(3);
    const kernels = (backend.gpu as unknown as { kernels: unknown[] }).kernels;
    const baseline = kernels.length;
    for (let index = 0; index < 50; index++) await run(widthCall(4 + index));
    expect(runner.cachedKernels).toBe(3);
    // The probe kernel of startBackend, plus the three cached ones: none of the 47 destroyed.
    expect(kernels.length - baseline).toBe(3);
    await backend.gpu.destroy();
  });

  it('createGpu({ maxCachedKernels }) bounds the cache, and rejects a size that is not a positive integer', async () => {
    const gpu = await createGpu({ mode: 'cpu', maxCachedKernels: 2 });
    for (let index = 0; index < 5; index++) {
      const { input, weight } = widthCall(4 + index);
      await gpu.conv(input, weight);
    }
    expect(gpu.cachedKernels).toBe(2);
    await gpu.dispose();
    await expect(createGpu({ mode: 'cpu', maxCachedKernels: 0 })).rejects.toThrow(
      'createGpu: maxCachedKernels must be a positive integer, got 0',
    );
  });
});
