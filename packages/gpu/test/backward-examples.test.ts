import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '@convkit/core';
import { createGpu, type Gpu } from '@convkit/gpu';
import { NODE_MODES } from './node-modes.js';

// The @example of every backward op's doc comment, checked on every Node backend.
describe.each(NODE_MODES)('the backward doc-comment examples on %s', (mode) => {
  let gpu: Gpu;
  beforeAll(async () => {
    gpu = await createGpu({ mode });
  });
  afterAll(() => gpu?.dispose());

  it('convBackward sends the gradient back along the taps', async () => {
    const { gradInput, gradWeight, gradBias } = await gpu.convBackward(
      tensor([1, 2, 3, 4], [1, 1, 4]),
      tensor([1, -1], [1, 1, 2]),
      tensor([1, 1, 1], [1, 1, 3]),
    );
    expect(Array.from(gradInput.data)).toEqual([1, 0, 0, -1]);
    expect(Array.from(gradWeight.data)).toEqual([6, 9]);
    expect(Array.from(gradBias.data)).toEqual([3]);
  });

  it('convTransposeBackward reads the gradient where each input stamped the kernel', async () => {
    const { gradInput, gradWeight } = await gpu.convTransposeBackward(
      tensor([1, 10], [1, 1, 2]),
      tensor([1, 2, 3], [1, 1, 3]),
      tensor([1, 0, 0, 0, 1], [1, 1, 5]),
      { stride: 2 },
    );
    expect(Array.from(gradInput.data)).toEqual([1, 3]);
    expect(Array.from(gradWeight.data)).toEqual([1, 0, 10]);
  });

  it('depthwiseConvBackward correlates each channel with its own gradient', async () => {
    const { gradWeight } = await gpu.depthwiseConvBackward(
      tensor([1, 2, 3, 10, 20, 30], [1, 2, 3]),
      tensor([1, 1, -1, 1], [2, 1, 2]),
      tensor([1, 1, 1, 1], [1, 2, 2]),
    );
    expect(Array.from(gradWeight.data)).toEqual([3, 5, 30, 50]);
  });

  it('pointwiseConvBackward applies the transposed channel mix', async () => {
    const { gradInput } = await gpu.pointwiseConvBackward(
      tensor([1, 2, 3, 4], [1, 2, 2]),
      tensor([1, 1, 1, -1], [2, 2, 1]),
      tensor([1, 0, 0, 1], [1, 2, 2]),
    );
    expect(Array.from(gradInput.data)).toEqual([1, 1, 1, -1]);
  });

  it('separableConvBackward returns the gradients of both stages', async () => {
    const gradients = await gpu.separableConvBackward(
      tensor([1, 2, 3, 10, 20, 30], [1, 2, 3]),
      tensor([1, 1, 1, 1], [2, 1, 2]),
      tensor([1, 1], [1, 2, 1]),
      tensor([1, 1], [1, 1, 2]),
    );
    expect(Array.from(gradients.gradPointwiseWeight.data)).toEqual([8, 80]);
    expect(Array.from(gradients.gradDepthwiseWeight.data)).toEqual([3, 5, 30, 50]);
    expect(Array.from(gradients.gradInput.data)).toEqual([1, 2, 1, 1, 2, 1]);
  });
});
