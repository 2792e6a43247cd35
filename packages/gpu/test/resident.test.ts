import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  conv,
  convBackward,
  convInfo,
  depthwiseConv,
  pointwiseConv,
  separableConv,
  type ConvInfo,
  type ConvOptions,
  type Tensor,
} from '@convkit/core';
import { GPU_TOLERANCE, compareTensors } from '@convkit/testkit';
import type { GpuTensor } from '@convkit/gpu';
import { packedPointwisePlan, pointwisePlanApplies, UNROLLED_TEXELS } from '../src/kernels/packed-pointwise.js';
import { depthwisePlanApplies, packedDepthwisePlan } from '../src/kernels/packed-depthwise.js';
import { KeptTensor, type ColumnsOnDevice, type Operand } from '../src/gpu-tensor.js';
import { PackedConvolutions } from '../src/kernels/packed-conv-runner.js';
import { startBackend, type Backend } from '../src/backend.js';
import { describeGpu, NODE_MODES, seededTensors } from './node-modes.js';

const random = seededTensors(1515);

function expectClose(got: Tensor, want: Tensor): void {
  const comparison = compareTensors(got, want, GPU_TOLERANCE);
  expect(comparison.ok, comparison.message).toBe(true);
}

/**
 * Runs `info` on host operands with a grouped kernel opted in (`run`, then kept on the device in
 * the column layout of `extent` and read back once) and opted out, each against `want`.
 */
async function expectGroupedAndPlain(
  backend: Backend,
  info: ConvInfo,
  [x, weight, bias]: Tensor[],
  want: Tensor,
  extent: readonly number[],
  option: 'groupedPointwise' | 'groupedDepthwise',
): Promise<void> {
  const operands = [x, weight, bias].map((tensor): Operand => ({ tensor, device: null })) as [
    Operand,
    Operand,
    Operand,
  ];
  const grouped = new PackedConvolutions(backend, 2 ** 24, 32, { [option]: true });
  expectClose(await grouped.run(info, ...operands), want);
  const kept = await grouped.runToColumns(info, ...operands);
  expect(kept.extent).toEqual(extent);
  expectClose({ shape: want.shape, data: kept.read() }, want);
  const plain = new PackedConvolutions(backend, 2 ** 24, 32, { [option]: false });
  expectClose(await plain.run(info, ...operands), want);
}

/** Pointwise shapes of every class the generator specialises on: channel tails, odd widths, ranks, batches. */
const POINTWISE: { name: string; input: number[]; outChannels: number }[] = [
  { name: '8 channels (whole texels), width a multiple of 4', input: [1, 8, 4, 8], outChannels: 5 },
  { name: '9 channels (a one-lane tail), odd width', input: [2, 9, 3, 7], outChannels: 6 },
  { name: '3 channels (no whole texel)', input: [1, 3, 5, 5], outChannels: 4 },
  { name: '1-D', input: [1, 6, 11], outChannels: 3 },
  { name: '3-D', input: [1, 5, 2, 3, 6], outChannels: 2 },
];

describe('the pointwise generator', () => {
  it('takes only 1x1, stride 1, unpadded, ungrouped convolutions', () => {
    expect(pointwisePlanApplies(convInfo([1, 8, 5, 5], [4, 8, 1, 1], {}))).toBe(true);
    expect(pointwisePlanApplies(convInfo([1, 8, 5, 5], [4, 8, 1, 1], { dilation: 2 }))).toBe(true);
    expect(pointwisePlanApplies(convInfo([1, 8, 5, 5], [4, 8, 1, 1], { stride: 2 }))).toBe(false);
    expect(pointwisePlanApplies(convInfo([1, 8, 5, 5], [4, 4, 1, 1], { groups: 2 }))).toBe(false);
    expect(pointwisePlanApplies(convInfo([1, 8, 5, 5], [4, 8, 3, 3], {}))).toBe(false);
  });

  it('bounds every loop by a constant and reads only the real lanes of a partly filled texel', () => {
    for (const { input, outChannels } of POINTWISE) {
      const info: ConvInfo = convInfo(input, [outChannels, input[1], ...input.slice(2).map(() => 1)], {});
      for (const flat of [false, true]) {
        const plan = packedPointwisePlan(info, { flat });
        for (const source of [plan.packSource, plan.convSource]) {
          for (const loop of source.match(/for \([^)]*\)/g) ?? []) expect(loop).toMatch(/< this\.constants\.\w+;/);
        }
        const tail = input[1] % 4;
        // The tail's input texels are inTail0 .. inTail{tail - 1}, and no more.
        expect(plan.convSource.includes(`inTail${tail - 1}`)).toBe(tail > 0);
        expect(plan.convSource.includes(`inTail${tail}`)).toBe(false);
      }
    }
  });

  it('groups 4 output channels per thread on GL where they come in 4s, with a merge into the column layout', () => {
    for (const { input } of POINTWISE) {
      for (const outChannels of [4, 8, 5]) {
        const info = convInfo(input, [outChannels, input[1], ...input.slice(2).map(() => 1)], {});
        expect(packedPointwisePlan(info, { flat: true }).outputGroups).toBeUndefined();
        expect(packedPointwisePlan(info, { groups: false }).outputGroups).toBeUndefined();
        const plan = packedPointwisePlan(info);
        expect(plan.outputGroups === undefined).toBe(outChannels % 4 !== 0);
        if (!plan.outputGroups) continue;
        const { source, subKernels, output, mergeSource } = plan.outputGroups;
        const [blocks, rows] = plan.convOutput;
        expect(output).toEqual([blocks, rows, (input[0] * outChannels) / 4]);
        for (const loop of source.match(/for \([^)]*\)/g) ?? []) expect(loop).toMatch(/< this\.constants\.\w+;/);
        // Lanes 1-3 go to the sub-kernels, lane 0 is the return value; the merge reads all 4.
        expect(subKernels.map((sub) => sub.slice(0, sub.indexOf('('))).sort()).toEqual([
          'function lanes1',
          'function lanes2',
          'function lanes3',
        ]);
        for (const lane of [1, 2, 3]) expect(source).toContain(`lanes${lane}([sum${lane}_0 + shift${lane},`);
        expect(mergeSource.match(/lanes\d\[group\]/g)).toEqual([
          'lanes0[group]',
          'lanes1[group]',
          'lanes2[group]',
          'lanes3[group]',
        ]);
        const tail = input[1] % 4;
        expect(source.includes(`inTail${tail - 1}`)).toBe(tail > 0);
        expect(source.includes(`inTail${tail}`)).toBe(false);
      }
    }
  });
});

describe("the grouped pointwise kernel's channel loop", () => {
  it('is unrolled up to UNROLLED_TEXELS whole texels and a constant-bounded loop past them', () => {
    for (const inChannels of [UNROLLED_TEXELS * 4, UNROLLED_TEXELS * 4 + 4]) {
      const groups = packedPointwisePlan(convInfo([1, inChannels, 2, 5], [8, inChannels, 1, 1], {})).outputGroups;
      const loops = groups?.source.match(/for \([^)]*\)/g) ?? [];
      expect(loops.length).toBe(inChannels > UNROLLED_TEXELS * 4 ? 1 : 0);
      expect(groups?.source.includes('inT0_0')).toBe(inChannels <= UNROLLED_TEXELS * 4);
    }
  });
});

// WebGL2 takes the grouped kernel by default (the browser suite); headlessgl's context has draw
// buffers too, so the kernel map and merge run here against core, opted in.
describe('the grouped pointwise kernel on headlessgl', () => {
  let backend: Backend | undefined;
  beforeAll(async () => {
    backend = await startBackend('headlessgl');
  });
  afterAll(() => backend?.gpu.destroy());
  const looped = {
    name: `${UNROLLED_TEXELS * 4 + 4} channels (a loop, not unrolled)`,
    input: [1, UNROLLED_TEXELS * 4 + 4, 2, 5],
  };
  for (const { name, input } of [...POINTWISE, looped]) {
    it(`matches core and the one-channel kernel: ${name}, 8 output channels`, async () => {
      if (!backend) throw new Error('the headlessgl backend did not start');
      const [x, weight, bias] = [random(input), random([8, input[1], ...input.slice(2).map(() => 1)]), random([8])];
      const info = convInfo(x.shape, weight.shape, {});
      const want = pointwiseConv(x, weight, { bias });
      const extent = packedPointwisePlan(info).convOutput;
      await expectGroupedAndPlain(backend, info, [x, weight, bias], want, extent, 'groupedPointwise');
    });
  }
});

/** Depthwise shapes of every class the grouped depthwise generator specialises on. */
const DEPTHWISE: { name: string; input: number[]; kernel: number[]; options: ConvOptions }[] = [
  { name: '3x3, padding 1, width a multiple of 4', input: [1, 8, 6, 8], kernel: [3, 3], options: { padding: 1 } },
  { name: '3x3, odd width, batch 2', input: [2, 4, 5, 7], kernel: [3, 3], options: { padding: 1 } },
  { name: 'stride 2, unpadded', input: [1, 8, 9, 11], kernel: [3, 3], options: { stride: 2 } },
  { name: 'dilation 2, 5x3', input: [1, 4, 9, 10], kernel: [5, 3], options: { dilation: 2, padding: [4, 2] } },
  { name: 'reflect padding', input: [1, 4, 6, 7], kernel: [3, 3], options: { padding: 1, paddingMode: 'reflect' } },
  {
    name: 'circular padding, stride 2',
    input: [1, 8, 7, 6],
    kernel: [3, 3],
    options: { padding: 2, stride: 2, paddingMode: 'circular' },
  },
  { name: '1-D', input: [1, 12, 13], kernel: [5], options: { padding: 2 } },
  { name: '3-D', input: [2, 4, 3, 4, 5], kernel: [3, 2, 3], options: { padding: 1 } },
];

describe('the grouped depthwise generator', () => {
  it('takes depthwise convolutions (multiplier 1) with channels in 4s', () => {
    expect(depthwisePlanApplies(convInfo([1, 8, 5, 5], [8, 1, 3, 3], { groups: 8 }))).toBe(true);
    expect(depthwisePlanApplies(convInfo([1, 6, 5, 5], [6, 1, 3, 3], { groups: 6 }))).toBe(false);
    expect(depthwisePlanApplies(convInfo([1, 4, 5, 5], [8, 1, 3, 3], { groups: 4 }))).toBe(false);
    expect(depthwisePlanApplies(convInfo([1, 8, 5, 5], [8, 2, 3, 3], { groups: 4 }))).toBe(false);
    expect(depthwisePlanApplies(convInfo([1, 8, 5, 5], [8, 8, 3, 3], {}))).toBe(false);
    expect(() => packedDepthwisePlan(convInfo([1, 6, 5, 5], [6, 1, 3, 3], { groups: 6 }))).toThrow(/channels in 4s/);
  });

  it('uses all 4 lanes of every texel, packs the weight 4 channels per tap and merges into the column layout', () => {
    const info = convInfo([2, 8, 6, 6], [8, 1, 3, 3], { groups: 8, padding: 1 });
    const plan = packedDepthwisePlan(info);
    expect(plan.packOutput).toEqual([10, 8, 4]);
    expect(plan.outputGroups.output).toEqual([2, 6, 4]);
    expect(plan.convOutput).toEqual([2, 6, 16]);
    expect(plan.outputGroups.source).not.toMatch(/for \(/);
    for (const lane of [0, 1, 2, 3]) expect(plan.outputGroups.source).toContain(`in0_0_0[${lane}] * w0_0_0[${lane}]`);
    for (const lane of [1, 2, 3])
      expect(plan.outputGroups.source).toContain(`lanes${lane}([sum${lane}_0 + shift${lane},`);
    // Channel c, tap t lands in texel (floor(c / 4), t), lane c mod 4.
    const weight = Float32Array.from({ length: 8 * 9 }, (_, index) => index);
    const packed = plan.packWeight(weight);
    expect(packed.length).toBe(2 * 9 * 4);
    expect(Array.from(packed.subarray(0, 8))).toEqual([0, 9, 18, 27, 1, 10, 19, 28]);
    expect(Array.from(packed.subarray(9 * 4, 9 * 4 + 4))).toEqual([36, 45, 54, 63]);
  });
});

describe('the grouped depthwise kernel on headlessgl', () => {
  let backend: Backend | undefined;
  beforeAll(async () => {
    backend = await startBackend('headlessgl');
  });
  afterAll(() => backend?.gpu.destroy());
  for (const { name, input, kernel, options } of DEPTHWISE) {
    it(`matches core and the general kernel: ${name}`, async () => {
      if (!backend) throw new Error('the headlessgl backend did not start');
      const channels = input[1];
      const [x, weight, bias] = [random(input), random([channels, 1, ...kernel]), random([channels])];
      const info = convInfo(x.shape, weight.shape, { ...options, groups: channels });
      expect(depthwisePlanApplies(info)).toBe(true);
      const want = conv(x, weight, { ...options, groups: channels, bias });
      const extent = packedDepthwisePlan(info).convOutput;
      await expectGroupedAndPlain(backend, info, [x, weight, bias], want, extent, 'groupedDepthwise');
    });
  }

  it('feeds the grouped pointwise kernel on the device (separable)', async () => {
    if (!backend) throw new Error('the headlessgl backend did not start');
    const [x, depthwiseWeight, pointwiseWeight] = [random([1, 8, 7, 9]), random([8, 1, 3, 3]), random([8, 8, 1, 1])];
    const runner = new PackedConvolutions(backend, 2 ** 24, 32, { groupedDepthwise: true, groupedPointwise: true });
    const depthwiseInfo = convInfo(x.shape, depthwiseWeight.shape, { groups: 8, padding: 1 });
    const operand = (tensor: Tensor): Operand => ({ tensor, device: null });
    const hidden = await runner.runToColumns(depthwiseInfo, operand(x), operand(depthwiseWeight), undefined);
    const pointwiseInfo = convInfo(depthwiseInfo.outputShape, pointwiseWeight.shape, {});
    expect(runner.readsColumns(pointwiseInfo, hidden)).toBe(true);
    const hiddenOperand: Operand = {
      tensor: { shape: [...depthwiseInfo.outputShape], data: new Float32Array(0) },
      device: null,
      columns: hidden,
    };
    const got = await runner.run(pointwiseInfo, hiddenOperand, operand(pointwiseWeight), undefined);
    expectClose(got, separableConv(x, depthwiseWeight, pointwiseWeight, { padding: 1 }));
  });
});

for (const mode of NODE_MODES) {
  describe(`resident results and the pointwise kernel on ${mode}`, () => {
    const gpu = describeGpu(mode);

    it.each(POINTWISE.map((shape) => [shape.name, shape] as const))(
      'pointwiseConv, %s, matches core',
      async (_, { input, outChannels }) => {
        const x = random(input);
        const weight = random([outChannels, input[1], ...input.slice(2).map(() => 1)]);
        const bias = random([outChannels]);
        expectClose(await gpu().pointwiseConv(x, weight, { bias }), pointwiseConv(x, weight, { bias }));
      },
    );

    it('chains depthwise then pointwise on the device, with one read at the end', async () => {
      const x = random([1, 6, 9, 10]);
      const depthwiseWeight = random([6, 1, 3, 3]);
      const pointwiseWeight = random([5, 6, 1, 1]);
      const input = await gpu().upload(x);
      const hidden = await gpu().resident.depthwiseConv(input, depthwiseWeight, { padding: 1 });
      const readBack = hidden instanceof KeptTensor ? vi.spyOn(hidden.columns, 'read') : null;
      const output = await gpu().resident.pointwiseConv(hidden, pointwiseWeight);
      // The pointwise kernel read the depthwise result on the device: nothing came back to the host.
      if (readBack) expect(readBack).not.toHaveBeenCalled();
      // On GL the results stay in the column layout; elsewhere they are uploads of the host result.
      expect(hidden instanceof KeptTensor).toBe(mode === 'headlessgl');
      expect(output.resident).toBe(mode === 'headlessgl');
      expect(output.shape).toEqual([1, 5, 9, 10]);
      const want = pointwiseConv(depthwiseConv(x, depthwiseWeight, { padding: 1 }), pointwiseWeight);
      expectClose(await output.read(), want);
      // A second read gives the same data, as a fresh copy.
      const [first, second] = [await output.read(), await output.read()];
      expect(second.data).toEqual(first.data);
      expect(second.data).not.toBe(first.data);
      for (const handle of [input, hidden, output]) handle.dispose();
    });

    it('reads a kept result back where a kernel cannot read its layout (a padded 3x3 conv, a weight)', async () => {
      const x = random([1, 4, 6, 7]);
      const first = random([4, 4, 1, 1]);
      const second = random([3, 4, 3, 3]);
      const hidden = await gpu().resident.pointwiseConv(x, first);
      const want = conv(pointwiseConv(x, first), second, { padding: 1 });
      expectClose(await gpu().conv(hidden, second, { padding: 1 }), want);
      // As a weight: its shape [1, 4, 6, 7] read as a 2-D conv weight over a 4-channel input.
      const asWeight = await gpu().conv(random([1, 4, 8, 9]), hidden);
      expect(asWeight.shape).toEqual([1, 1, 3, 3]);
      hidden.dispose();
    });

    it('runs separableConv as depthwise then pointwise on the device, as core computes it', async () => {
      const x = random([2, 8, 7, 9]);
      const depthwiseWeight = random([8, 1, 3, 3]);
      const pointwiseWeight = random([4, 8, 1, 1]);
      const depthwiseBias = random([8]);
      const bias = random([4]);
      const options = { padding: 1, depthwiseBias, bias };
      const want = separableConv(x, depthwiseWeight, pointwiseWeight, options);
      // Every intermediate kept on the device is watched: none may be read back.
      const reads: unknown[] = [];
      const original = PackedConvolutions.prototype.runToColumns;
      const kept = vi.spyOn(PackedConvolutions.prototype, 'runToColumns').mockImplementation(async function (
        this: PackedConvolutions,
        ...args
      ): Promise<ColumnsOnDevice> {
        const columns = await original.apply(this, args);
        const read = () => {
          reads.push(args[0]);
          return columns.read();
        };
        return { ...columns, read };
      });
      expectClose(await gpu().separableConv(x, depthwiseWeight, pointwiseWeight, options), want);
      expect(kept).toHaveBeenCalledTimes(mode === 'headlessgl' ? 1 : 0);
      expect(reads).toEqual([]);
      kept.mockRestore();
      const result = await gpu().resident.separableConv(x, depthwiseWeight, pointwiseWeight, options);
      expectClose(await result.read(), want);
      result.dispose();
    });

    it('keeps the padding-NaN rule: a non-finite depthwise weight over padding gives NaN through the chain', async () => {
      const x = random([1, 4, 5, 5]);
      const depthwiseWeight = random([4, 1, 3, 3]);
      depthwiseWeight.data[0] = Number.POSITIVE_INFINITY;
      const pointwiseWeight = random([2, 4, 1, 1]);
      const want = separableConv(x, depthwiseWeight, pointwiseWeight, { padding: 1 });
      const got = await gpu().separableConv(x, depthwiseWeight, pointwiseWeight, { padding: 1 });
      expect(Array.from(got.data, Number.isNaN)).toEqual(Array.from(want.data, Number.isNaN));
    });

    it('computes a backward from a kept result as from its data (input and gradOutput)', async () => {
      const x = random([1, 4, 5, 6]);
      const first = random([4, 4, 1, 1]);
      const weight = random([3, 4, 3, 3]);
      const hidden = await gpu().resident.pointwiseConv(x, first);
      const hostHidden = pointwiseConv(x, first);
      const gradOutput = random([1, 3, 5, 6]);
      const options = { padding: 1, need: ['gradInput', 'gradWeight', 'gradBias'] as const };
      const want = convBackward(hostHidden, weight, gradOutput, options);
      const got = await gpu().convBackward(hidden, weight, gradOutput, options);
      for (const name of ['gradInput', 'gradWeight', 'gradBias'] as const) expectClose(got[name], want[name]);
      // And a kept result as the upstream gradient.
      const keptGrad = await gpu().resident.pointwiseConv(random([1, 3, 5, 6]), random([3, 3, 1, 1]));
      const hostGrad = await keptGrad.read();
      const upstream = await gpu().convBackward(hostHidden, weight, keptGrad, options);
      const wantUpstream = convBackward(hostHidden, weight, hostGrad, options);
      for (const name of ['gradInput', 'gradWeight', 'gradBias'] as const)
        expectClose(upstream[name], wantUpstream[name]);
      hidden.dispose();
      keptGrad.dispose();
    });

    it('rejects a disposed result, as an op argument and when read', async () => {
      const hidden: GpuTensor = await gpu().resident.pointwiseConv(random([1, 4, 2, 2]), random([4, 4, 1, 1]));
      hidden.dispose();
      expect(hidden.disposed).toBe(true);
      await expect(gpu().pointwiseConv(hidden, random([4, 4, 1, 1]))).rejects.toThrow(
        'pointwiseConv: input is a GpuTensor [1,4,2,2] that was disposed; upload it again with gpu.upload',
      );
      await expect(hidden.read()).rejects.toThrow('read: the GpuTensor [1,4,2,2] was disposed; it cannot be read');
    });
  });
}
