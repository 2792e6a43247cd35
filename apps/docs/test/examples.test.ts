import { readFileSync } from 'node:fs';
import * as core from '@convkit/core';
import { conv, convTranspose, depthwiseConv, pointwiseConv, tensor, type Tensor } from '@convkit/core';
import { compareTensors, CPU_TOLERANCE } from '@convkit/testkit';
import { describe, expect, it } from 'vitest';
import type { Example, ExampleResult } from '../examples/backend';
import depthwise from '../examples/depthwise';
import dilated from '../examples/dilated';
import gradients from '../examples/gradients';
import group from '../examples/group';
import network from '../examples/network';
import pointwise from '../examples/pointwise';
import separable from '../examples/separable';
import standard from '../examples/standard';
import resizeConvolve from '../examples/resize-convolve';
import restore from '../examples/restore';
import toeplitz from '../examples/toeplitz';
import transposed from '../examples/transposed';
import zeroInsertion from '../examples/zero-insertion';
import { compileExample } from '../src/live/compile';
import { coreBackend } from '../src/live/core-backend';
import { maxDifference } from '../src/live/compare';

const examples: Record<string, Example> = {
  standard,
  depthwise,
  pointwise,
  separable,
  group,
  dilated,
  transposed,
  toeplitz,
  restore,
  'zero-insertion': zeroInsertion,
  gradients,
  'resize-convolve': resizeConvolve,
  network,
};

function expectClose(got: Tensor, want: Tensor): void {
  const report = compareTensors(got, want, CPU_TOLERANCE);
  expect(report.ok, report.message).toBe(true);
}

function rows(output: Tensor): number[][] {
  const width = output.shape.at(-1) ?? 1;
  return Array.from({ length: output.data.length / width }, (_, row) =>
    Array.from(output.data.subarray(row * width, (row + 1) * width)),
  );
}

describe('every live example', () => {
  for (const [name, example] of Object.entries(examples)) {
    it(`${name}: the text the page compiles gives what the imported module gives`, async () => {
      const source = readFileSync(new URL(`../examples/${name}.ts`, import.meta.url), 'utf8');
      const compiled = compileExample(source, { '@convkit/core': core });
      const [fromPage, fromModule] = await Promise.all([compiled(coreBackend), example(coreBackend)]);
      expect(Object.keys(fromPage)).toEqual(Object.keys(fromModule));
      expect(maxDifference(fromPage, fromModule)).toBe(0);
    });

    it(`${name}: runs on an asynchronous backend as on core (the GPU column's contract)`, async () => {
      const asyncBackend = {
        ...coreBackend,
        ...Object.fromEntries(
          [...core.OP_NAMES, ...core.BACKWARD_NAMES].map((op) => [
            op,
            // biome-ignore lint/performance/noDynamicNamespaceImportAccess: a test of every op by name; tree-shaking is moot here
            async (...args: unknown[]) => (core[op] as (...a: unknown[]) => Tensor)(...args),
          ]),
        ),
      } as unknown as Parameters<Example>[0];
      expect(maxDifference(await example(coreBackend), await example(asyncBackend))).toBe(0);
    });
  }
});

describe('what each example shows', () => {
  it('standard: the Sobel filters mark the vertical and the horizontal edge', async () => {
    const { image, sobel, edges } = await standard(coreBackend);
    expect(edges.shape).toEqual([1, 2, 5, 5]);
    expectClose(edges, conv(image, sobel, { padding: 1, algorithm: 'direct' }));
    expect(rows(edges)[0]).toEqual([0, 3, 3, 0, -3]); // first row of the vertical-edge channel
  });

  it('depthwise: each channel gets its own filter, the same as conv with groups = channels', async () => {
    const { input, weight, output } = await depthwise(coreBackend);
    expect(output.shape).toEqual([1, 3, 4, 4]);
    expectClose(output, conv(input, weight, { groups: 3, padding: 'same', algorithm: 'direct' }));
    // channel 2 is shifted right by one: its first row is [0, x0, x1, x2]
    expect(rows(output)[8]).toEqual([0, ...rows(input)[8].slice(0, 3)]);
  });

  it('pointwise: a 1x1 conv computes luma and red minus blue at every pixel', async () => {
    const { rgb, mix, output } = await pointwise(coreBackend);
    expectClose(output, conv(rgb, mix, { algorithm: 'direct' }));
    expect(Array.from(output.data.subarray(4))).toEqual([1, 1, -1, -1]);
    expect(output.data[0]).toBeCloseTo(0.299, 6);
  });

  it('separable: equals a pointwise conv of a depthwise conv', async () => {
    const { input, depthwiseWeight, pointwiseWeight, output } = await separable(coreBackend);
    const middle = depthwiseConv(input, depthwiseWeight, { padding: 1, algorithm: 'direct' });
    expectClose(output, pointwiseConv(middle, pointwiseWeight, { algorithm: 'direct' }));
    expect(output.shape).toEqual([1, 3, 4, 4]);
  });

  it('group: each half of the output reads only its half of the input', async () => {
    const { output } = await group(coreBackend);
    expect(output.shape).toEqual([1, 4, 2, 2]);
    expect(rows(output)).toEqual([
      [0, 1],
      [3, 4], // top-left of channel 0
      [48, 52],
      [60, 64], // 2x2 sums of channel 1 (10..18)
      [20, 21],
      [23, 24], // top-left of channel 2
      [128, 132],
      [140, 144], // 2x2 sums of channel 3 (30..38)
    ]);
  });

  it('dilated: a 3x3 kernel with dilation 2 sums cells two apart along the diagonal', async () => {
    const { output } = await dilated(coreBackend);
    expect(output.shape).toEqual([1, 1, 3, 3]);
    // output (0, 0) = x[0,0] + x[2,2] + x[4,4] = 0 + 16 + 32
    expect(rows(output)[0]).toEqual([48, 51, 54]);
  });

  it('transposed: a stride-2 transposed conv of ones shows the 1-2-4 checkerboard', async () => {
    const { input, weight, output, padded } = await transposed(coreBackend);
    // Each output cell counts the kernel stamps over it: 1 or 2 along each axis, multiplied across the axes.
    const perAxis = [1, 1, 2, 1, 1];
    expect(rows(output)).toEqual(perAxis.map((down) => perAxis.map((across) => down * across)));
    expect(padded.shape).toEqual([1, 1, 6, 6]);
    expect(rows(padded)[5]).toEqual([0, 0, 0, 0, 0, 0]);
    expectClose(output, convTranspose(input, weight, { stride: 2, algorithm: 'direct' }));
  });
});

describe('the concept examples', () => {
  it('toeplitz: C x is the convolution and C^T y the transposed convolution', async () => {
    const { C, convolved, Cx, transposed: adjoint, CTy } = await toeplitz(coreBackend);
    expect(C.shape).toEqual([4, 9]);
    expectClose(Cx, convolved);
    expectClose(CTy, adjoint);
    expect(Array.from(convolved.data)).toEqual([37, 47, 67, 77]);
  });

  it('zero-insertion: a stride-1 conv of the zero-spread input with the flipped kernel is the transposed conv', async () => {
    const { transposed: direct, asConv } = await zeroInsertion(coreBackend);
    expect(direct.shape).toEqual([1, 1, 3, 3]);
    expectClose(asConv, direct);
    // the centre output sums x * w over the four input cells: 1*9 + 2*7 + 3*3 + 4*1
    expect(direct.data[4]).toBe(36);
  });

  it('restore: the transposed conv brings back the 4x4 shape but not the values', async () => {
    const { x, down, up } = await restore(coreBackend);
    expect(down.shape).toEqual([1, 1, 2, 2]);
    expect(up.shape).toEqual(x.shape);
    expect(Array.from(up.data)).not.toEqual(Array.from(x.data));
  });
});

describe('the live runner', () => {
  it('reports an example without a default export by saying what it expects', () => {
    expect(() => compileExample('export const x = 1;', {})).toThrow(/must `export default` an async function/);
  });

  it('names the module an example may not import', () => {
    expect(() =>
      compileExample("import { gpu } from 'somewhere'; export default async () => gpu;", { '@convkit/core': core }),
    ).toThrow(/cannot import 'somewhere'; available: @convkit\/core/);
  });

  it('reads results of different shapes as infinitely far apart', () => {
    const a: ExampleResult = { y: tensor([1, 2], [2]) };
    const b: ExampleResult = { y: tensor([1, 2], [1, 2]) };
    expect(maxDifference(a, b)).toBe(Infinity);
  });
});

describe('the gradients example', () => {
  it('the input gradient of a one-hot upstream gradient is the kernel stamped where that output read: the transposed convolution', async () => {
    const { gradInput, transposed, gradWeight } = await gradients(coreBackend);
    expect(maxDifference({ gradInput }, { gradInput: transposed })).toBe(0);
    // the centre output (1, 1) reads input rows 1-3, columns 1-3 (stride 2, padding 1)
    expect(rows(gradInput)).toEqual([
      [0, 0, 0, 0, 0],
      [0, 1, 2, 3, 0],
      [0, 4, 5, 6, 0],
      [0, 7, 8, 9, 0],
      [0, 0, 0, 0, 0],
    ]);
    // and its weight gradient is that input window
    expect(rows(gradWeight)).toEqual([
      [7, 8, 9],
      [12, 13, 14],
      [17, 18, 19],
    ]);
  });
});

describe('the checkerboard page', () => {
  it('a stride-2 3x3 transposed conv leaves 1-2-4 overlaps; resize then convolve leaves an even 9 inside', async () => {
    const { transposed, resizeThenConv } = await resizeConvolve(coreBackend);
    expect(new Set(rows(transposed)[2])).toEqual(new Set([2, 4]));
    expect(rows(transposed)[1]).toEqual([1, 1, 2, 1, 2, 1, 2, 1, 1]);
    expect(resizeThenConv.shape).toEqual([1, 1, 8, 8]);
    expect(
      rows(resizeThenConv)
        .slice(1, 7)
        .every((row) => row.slice(1, 7).every((value) => value === 9)),
    ).toBe(true);
  });

  it('network: the chain kept on the device computes the 4 layers as plain core ops, with 1 upload and 1 readback', async () => {
    const { input, output, transfers } = await network(coreBackend);
    const stem = tensor([1, 0, -1, 2, 0, -2, 1, 0, -1, 1, 2, 1, 0, 0, 0, -1, -2, -1], [2, 1, 3, 3]);
    const blur = tensor(new Array(18).fill(1 / 9), [2, 1, 3, 3]);
    const mix = tensor([1, 1, 1, -1, 0.5, 0.5], [3, 2, 1, 1]);
    const up = tensor([1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4], [3, 1, 2, 2]);
    const hidden = conv(input, stem, { padding: 1, algorithm: 'direct' });
    const blurred = depthwiseConv(hidden, blur, { padding: 1, algorithm: 'direct' });
    const mixed = pointwiseConv(blurred, mix, { algorithm: 'direct' });
    expect(output.shape).toEqual([1, 1, 8, 8]);
    expectClose(output, convTranspose(mixed, up, { stride: 2, algorithm: 'direct' }));
    expect(rows(transfers)).toEqual([
      [1, 1],
      [4, 4],
    ]);
  });

  it('network: core as the backend keeps no handle alive, and a disposed handle says so', async () => {
    const handle = await coreBackend.upload(tensor([1, 2, 3], [1, 1, 3]));
    const result = await coreBackend.resident.conv(handle, tensor([1, 1], [1, 1, 2]));
    expect(Array.from((await result.read()).data)).toEqual([3, 5]);
    // A handle as a tensor-valued option reads as its tensor too.
    const bias = await coreBackend.upload(tensor([10], [1]));
    const biased = await coreBackend.resident.conv(handle, tensor([1, 1], [1, 1, 2]), { bias });
    expect(Array.from((await biased.read()).data)).toEqual([13, 15]);
    handle.dispose();
    expect(handle.disposed).toBe(true);
    await expect(coreBackend.resident.conv(handle, tensor([1, 1], [1, 1, 2]))).rejects.toThrow(
      'conv: input is a disposed host tensor handle; upload the tensor again',
    );
    bias.dispose();
    await expect(
      coreBackend.resident.conv(tensor([1, 2, 3], [1, 1, 3]), tensor([1, 1], [1, 1, 2]), { bias }),
    ).rejects.toThrow('conv: bias is a disposed host tensor handle; upload the tensor again');
  });

  it('network: runs on a @convkit/gpu instance (cpu mode) as on core', async () => {
    const { createGpu } = await import('@convkit/gpu');
    const gpu = await createGpu({ mode: 'cpu' });
    try {
      const onGpu = await network(gpu);
      const onCore = await network(coreBackend);
      expectClose(onGpu.output, onCore.output);
      expect(Array.from(onGpu.transfers.data)).toEqual(Array.from(onCore.transfers.data));
    } finally {
      gpu.dispose();
    }
  });
});
