import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '@convkit/core';
import { createGpu, type Gpu } from '@convkit/gpu';
import { NODE_MODES } from './node-modes.js';

// The @example of every op's doc comment, checked on every Node backend, so the docs cannot rot.
describe.each(NODE_MODES)('the doc-comment examples on %s', (mode) => {
  let gpu: Gpu;
  beforeAll(async () => {
    gpu = await createGpu({ mode });
  });
  afterAll(() => gpu?.dispose());

  it('conv finds the slope of a ramp', async () => {
    const output = await gpu.conv(tensor([1, 2, 3, 4, 5], [1, 1, 5]), tensor([1, 0, -1], [1, 1, 3]), { padding: 1 });
    expect(Array.from(output.data)).toEqual([-2, -2, -2, -2, 4]);
  });

  it('conv1d, conv2d and conv3d check the rank and sum the windows', async () => {
    expect(Array.from((await gpu.conv1d(tensor([1, 2, 3, 4], [1, 1, 4]), tensor([1, 1], [1, 1, 2]))).data)).toEqual([
      3, 5, 7,
    ]);
    expect(
      Array.from((await gpu.conv2d(tensor([1, 2, 3, 4], [1, 1, 2, 2]), tensor([1, 1, 1, 1], [1, 1, 2, 2]))).data),
    ).toEqual([10]);
    const output = await gpu.conv3d(
      tensor([1, 2, 3, 4, 5, 6, 7, 8], [1, 1, 2, 2, 2]),
      tensor(new Array(8).fill(1), [1, 1, 2, 2, 2]),
    );
    expect(Array.from(output.data)).toEqual([36]);
  });

  it('convTranspose1d, convTranspose2d and convTranspose3d check the rank and stamp the kernel', async () => {
    const stamped = await gpu.convTranspose1d(tensor([1, 2], [1, 1, 2]), tensor([1, 1], [1, 1, 2]), { stride: 2 });
    expect(Array.from(stamped.data)).toEqual([1, 1, 2, 2]);
    const single = await gpu.convTranspose2d(tensor([1], [1, 1, 1, 1]), tensor([1, 2, 3, 4], [1, 1, 2, 2]));
    expect(Array.from(single.data)).toEqual([1, 2, 3, 4]);
    const cube = await gpu.convTranspose3d(tensor([1], [1, 1, 1, 1, 1]), tensor(new Array(8).fill(1), [1, 1, 2, 2, 2]));
    expect(cube.shape).toEqual([1, 1, 2, 2, 2]);
  });

  it('convTranspose stamps the kernel two cells apart', async () => {
    const output = await gpu.convTranspose(tensor([1, 10], [1, 1, 2]), tensor([1, 2, 3], [1, 1, 3]), { stride: 2 });
    expect(Array.from(output.data)).toEqual([1, 2, 13, 20, 30]);
  });

  it('depthwiseConv filters each channel on its own', async () => {
    const output = await gpu.depthwiseConv(tensor([1, 2, 3, 10, 20, 30], [1, 2, 3]), tensor([1, 1, -1, 1], [2, 1, 2]));
    expect(Array.from(output.data)).toEqual([3, 5, 10, 10]);
  });

  it('pointwiseConv mixes channels per position', async () => {
    const output = await gpu.pointwiseConv(tensor([1, 2, 3, 4], [1, 2, 2]), tensor([1, 1, 1, -1], [2, 2, 1]));
    expect(Array.from(output.data)).toEqual([4, 6, -2, -2]);
  });

  it('separableConv sums windows, then channels', async () => {
    const output = await gpu.separableConv(
      tensor([1, 2, 3, 10, 20, 30], [1, 2, 3]),
      tensor([1, 1, 1, 1], [2, 1, 2]),
      tensor([1, 1], [1, 2, 1]),
    );
    expect(Array.from(output.data)).toEqual([33, 55]);
  });
});
