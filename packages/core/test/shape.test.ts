import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  adjointGeometry,
  convFlops,
  convInfo,
  convMacs,
  convOutputShape,
  convParams,
  convTransposeInfo,
  convTransposeOutputShape,
  effectiveKernelSize,
  geometry3d,
  receptiveField,
  resolvePadding,
  splitSamePadding,
  weightStrides,
  type ConvLayerSpec,
} from '@convkit/core/shape';
import { fromOnnxPads, toOnnxPads } from '@convkit/core';

describe('parameter counts', () => {
  it('counts 4608 weights for a 3x3 conv 16->32 and 656 for its depthwise-separable form', () => {
    expect(convParams({ inChannels: 16, outChannels: 32, kernelSize: 3 })).toBe(4608);
    expect(convParams({ kind: 'separable', inChannels: 16, outChannels: 32, kernelSize: 3 })).toBe(
      3 * 3 * 16 + 16 * 32,
    );
    expect(convParams({ kind: 'separable', inChannels: 16, outChannels: 32, kernelSize: 3 })).toBe(656);
  });

  it('counts 589824 weights for a 3x3 conv 256->256 and one eighth of that with 8 groups', () => {
    expect(convParams({ inChannels: 256, outChannels: 256, kernelSize: 3 })).toBe(589824);
    expect(convParams({ inChannels: 256, outChannels: 256, kernelSize: 3, groups: 8 })).toBe(589824 / 8);
  });

  it('counts depthwise, pointwise and transposed weights by their own layouts', () => {
    expect(convParams({ kind: 'depthwise', inChannels: 144, kernelSize: 3 })).toBe(144 * 9);
    expect(convParams({ kind: 'depthwise', inChannels: 8, multiplier: 3, kernelSize: [5] })).toBe(8 * 3 * 5);
    expect(convParams({ kind: 'pointwise', inChannels: 144, outChannels: 24 })).toBe(144 * 24);
    expect(convParams({ kind: 'convTranspose', inChannels: 128, outChannels: 64, kernelSize: 4 })).toBe(128 * 64 * 16);
    expect(convParams({ kind: 'conv', inChannels: 4, outChannels: 8, kernelSize: [3, 3, 3] })).toBe(8 * 4 * 27);
  });
});

interface Workload {
  id: string;
  op: string;
  N: number;
  C_in: number;
  C_out: number;
  H: number;
  W: number;
  kH: number;
  kW: number;
  stride: number[];
  pads: number[];
  dilation: number[];
  groups: number;
  H_out: number;
  W_out: number;
  MACs: number;
  GFLOP: number;
  parts?: string[];
}

const workloads = (
  JSON.parse(readFileSync(new URL('../../../fixtures/workloads.json', import.meta.url), 'utf8')) as {
    workloads: Workload[];
  }
).workloads;

function layerOf(workload: Workload): ConvLayerSpec {
  return {
    kind: workload.op === 'conv_transpose' ? 'convTranspose' : 'conv',
    inChannels: workload.C_in,
    outChannels: workload.C_out,
    kernelSize: [workload.kH, workload.kW],
    groups: workload.groups,
    stride: workload.stride,
    dilation: workload.dilation,
    padding: fromOnnxPads(workload.pads),
    inputSize: [workload.H, workload.W],
    batch: workload.N,
  };
}

describe('MACs and FLOPs agree with the benchmark workloads', () => {
  for (const workload of workloads.filter((entry) => entry.op !== 'separable')) {
    it(`${workload.id}: ${workload.MACs} MACs, output ${workload.H_out}x${workload.W_out}`, () => {
      const layer = layerOf(workload);
      expect(convMacs(layer)).toBe(workload.MACs);
      expect(convFlops(layer)).toBeCloseTo(workload.GFLOP * 1e9, 0);
      const weightShape =
        layer.kind === 'convTranspose'
          ? [workload.C_in, workload.C_out / workload.groups, workload.kH, workload.kW]
          : [workload.C_out, workload.C_in / workload.groups, workload.kH, workload.kW];
      const inputShape = [workload.N, workload.C_in, workload.H, workload.W];
      const info =
        layer.kind === 'convTranspose'
          ? convTransposeInfo(inputShape, weightShape, layer as never)
          : convInfo(inputShape, weightShape, layer);
      expect(info.outSize).toEqual([workload.H_out, workload.W_out]);
    });
  }

  it('W4: a separable layer adds its depthwise and pointwise MACs', () => {
    const separable = workloads.find((entry) => entry.id === 'W4');
    expect(separable, 'W4 in workloads.json').toBeDefined();
    expect(
      convMacs({ kind: 'separable', inChannels: 144, outChannels: 24, kernelSize: 3, padding: 1, inputSize: [56, 56] }),
    ).toBe(separable?.MACs);
  });

  it('asks for the input size when counting MACs', () => {
    expect(() => convMacs({ inChannels: 3, outChannels: 8, kernelSize: 3 })).toThrow(
      'convMacs: inputSize (spatial, e.g. [56, 56]) is needed to count MACs and FLOPs',
    );
  });
});

describe('receptive field of stacked layers', () => {
  it('grows 3, 7, 15 for 3x3 convs with dilation 1, 2, 4', () => {
    expect(receptiveField([1, 2, 4].map((dilation) => ({ kernelSize: 3, dilation }))).map((step) => step.size)).toEqual(
      [3, 7, 15],
    );
  });

  it('is 9, not 13, for two 3x3 convs with dilation 2', () => {
    expect(
      receptiveField([
        { kernelSize: 3, dilation: 2 },
        { kernelSize: 3, dilation: 2 },
      ]).map((step) => step.size),
    ).toEqual([5, 9]);
  });

  it('multiplies the jump by each stride and shifts the start by the padding', () => {
    // Two 3x3 stride-2 convs with padding 1 (the usual downsampling pair).
    const steps = receptiveField([
      { kernelSize: 3, stride: 2, padding: 1 },
      { kernelSize: 3, stride: 2, padding: 1 },
    ]);
    expect(steps).toEqual([
      { size: 3, jump: 2, start: 0 },
      { size: 7, jump: 4, start: 0 },
    ]);
    expect(receptiveField([{ kernelSize: 4, stride: 1 }])[0].start).toBe(1.5);
  });
});

describe('output sizes and padding rules', () => {
  it('follows PyTorch: floor((in + pads - dilation*(k-1) - 1) / stride) + 1', () => {
    expect(convOutputShape([1, 3, 224, 224], [64, 3, 7, 7], { stride: 2, padding: 3 })).toEqual([1, 64, 112, 112]);
    expect(convOutputShape([1, 1, 10], [1, 1, 3], { stride: 3 })).toEqual([1, 1, 3]);
    expect(convOutputShape([1, 1, 7], [1, 1, 3], { dilation: 3 })).toEqual([1, 1, 1]);
    expect(convOutputShape([2, 5], [4, 2, 3], { padding: [[2, 0]] })).toEqual([4, 5]);
  });

  it("splits PyTorch 'same' with the odd extra at the end", () => {
    expect(resolvePadding('same', { inSize: [8, 8], kernelSize: [4, 3], dilation: [1, 2] })).toEqual({
      padBegin: [1, 2],
      padEnd: [2, 2],
    });
  });

  it("puts the odd extra of 'same_upper' at the end and of 'same_lower' at the beginning (ONNX), with output ceil(in / stride)", () => {
    const geometry = { inSize: [5], kernelSize: [4], stride: [2] };
    expect(resolvePadding('same_upper', geometry)).toEqual({ padBegin: [1], padEnd: [2] });
    expect(resolvePadding('same_lower', geometry)).toEqual({ padBegin: [2], padEnd: [1] });
    expect(convOutputShape([1, 1, 5], [1, 1, 4], { stride: 2, padding: 'same_upper' })).toEqual([1, 1, 3]);
  });

  it("clamps the total padding of 'same_upper' at zero when the stride skips past the kernel (TensorFlow's 'same')", () => {
    expect(resolvePadding('same_upper', { inSize: [7], kernelSize: [1], stride: [3] })).toEqual({
      padBegin: [0],
      padEnd: [0],
    });
  });

  it('computes the dilated kernel span', () => {
    expect(effectiveKernelSize(3, 2)).toBe(5);
    expect(effectiveKernelSize([3, 3, 1], [1, 4, 7])).toEqual([3, 9, 1]);
  });

  it('reads unbatched inputs and keeps them unbatched', () => {
    const info = convInfo([3, 9, 9], [6, 3, 3, 3]);
    expect(info.batched).toBe(false);
    expect(info.outputShape).toEqual([6, 7, 7]);
  });

  it('returns a frozen record whose key separates different calls', () => {
    const info = convInfo([1, 4, 9, 9], [4, 2, 3, 3], { groups: 2, padding: 1 });
    expect(Object.isFrozen(info)).toBe(true);
    expect(Object.isFrozen(info.padBegin)).toBe(true);
    expect(info.key).not.toBe(
      convInfo([1, 4, 9, 9], [4, 2, 3, 3], {
        groups: 2,
        padding: [
          [1, 0],
          [1, 1],
        ],
      }).key,
    );
  });
});

describe('transposed output sizes', () => {
  it('is (in - 1) * stride - pads + dilation * (k - 1) + outputPadding + 1', () => {
    expect(convTransposeOutputShape([1, 128, 16, 16], [128, 64, 4, 4], { stride: 2, padding: 1 })).toEqual([
      1, 64, 32, 32,
    ]);
    expect(convTransposeOutputShape([1, 2, 3, 3], [2, 1, 3, 3], { stride: 2, outputPadding: 1 })).toEqual([1, 1, 8, 8]);
    expect(convTransposeOutputShape([1, 4, 5], [4, 3, 3], { stride: 2, padding: [[2, 0]], groups: 2 })).toEqual([
      1, 6, 9,
    ]);
  });

  it('accepts an output padding below the dilation though not below the stride (PyTorch allows either)', () => {
    expect(convTransposeOutputShape([1, 1, 4], [1, 1, 3], { stride: 1, dilation: 3, outputPadding: 2 })).toEqual([
      1, 1, 12,
    ]);
  });

  it("turns PyTorch's outputSize into output padding", () => {
    const info = convTransposeInfo([1, 1, 4], [1, 1, 3], { stride: 3, padding: 1, outputSize: [12] });
    expect(info.outputPadding).toEqual([2]);
    expect(info.outSize).toEqual([12]);
  });

  it("turns ONNX's output_shape into padding, negative where the output must grow", () => {
    // total = 2 * (3 - 1) + 3 - 9 = -2: both sides extend the output by one.
    const info = convTransposeInfo([1, 1, 3], [1, 1, 3], { stride: 2, padding: 'same_upper', outputSize: [9] });
    expect(info.padBegin).toEqual([-1]);
    expect(info.padEnd).toEqual([-1]);
    expect(info.outSize).toEqual([9]);
    // total = 2 * (3 - 1) + 3 - 6 = 1: the odd one goes at the end (upper) or the beginning (lower).
    expect(
      convTransposeInfo([1, 1, 3], [1, 1, 3], { stride: 2, padding: 'same_upper', outputSize: [6] }).padEnd,
    ).toEqual([1]);
    expect(
      convTransposeInfo([1, 1, 3], [1, 1, 3], { stride: 2, padding: 'same_lower', outputSize: [6] }).padBegin,
    ).toEqual([1]);
  });

  it("makes 'same_upper' without an outputSize give in * stride", () => {
    expect(convTransposeOutputShape([1, 1, 5, 3], [1, 1, 3, 3], { stride: [2, 3], padding: 'same_upper' })).toEqual([
      1, 1, 10, 9,
    ]);
  });
});

describe('the shape record key', () => {
  it('is built from every field of the record except the op name, so a new field cannot be left out', () => {
    const info = convInfo([1, 4, 9, 9], [4, 2, 3, 3], { groups: 2, padding: 1 });
    const fields = Object.keys(info).filter((name) => name !== 'op' && name !== 'key');
    expect(info.key.split('|').map((entry) => entry.split('=')[0])).toEqual(fields);
  });

  it('is shared by two ops with the same geometry, which compute the same thing', () => {
    expect(convInfo([1, 2, 5], [2, 2, 3], {}, 'conv1d').key).toBe(convInfo([1, 2, 5], [2, 2, 3]).key);
  });

  it('separates a convolution from the transposed convolution of the same shapes', () => {
    expect(convInfo([1, 2, 5], [2, 2, 3]).key).not.toBe(convTransposeInfo([1, 2, 5], [2, 2, 3]).key);
  });
});

describe('adjointGeometry', () => {
  it('is the frozen, self-consistent convolution whose adjoint the transposed conv is', () => {
    const info = convTransposeInfo([2, 4, 3, 5], [4, 3, 3, 2], { stride: [2, 1], padding: 1, groups: 2 });
    const adjoint = adjointGeometry(info);
    expect(Object.isFrozen(adjoint)).toBe(true);
    expect(Object.isFrozen(adjoint.inSize)).toBe(true);
    expect(adjoint.transposed).toBe(false);
    expect(adjoint.key.startsWith('transposed=false|')).toBe(true);
    expect([adjoint.inChannels, adjoint.outChannels]).toEqual([info.outChannels, info.inChannels]);
    expect([adjoint.inSize, adjoint.outSize]).toEqual([info.outSize, info.inSize]);
    // Convolving the transposed output with the same geometry lands back on the transposed input's size.
    const conv = convInfo([2, info.outChannels, ...info.outSize], [info.inChannels, 3, 3, 2], {
      stride: [2, 1],
      padding: 1,
      groups: 2,
    });
    expect(conv.outSize).toEqual(adjoint.outSize);
    expect(geometry3d(adjoint).tapMaps).toEqual(geometry3d(conv).tapMaps);
  });
});

describe('weightStrides', () => {
  it('walks a conv weight [C_out, C_in/g, k] and a transposed weight [C_in, C_out/g, k]', () => {
    expect(weightStrides(convInfo([1, 4, 5], [6, 2, 3], { groups: 2 }), 3)).toEqual({
      group: 18,
      outChannel: 6,
      inChannel: 3,
    });
    expect(weightStrides(convTransposeInfo([1, 4, 5], [4, 3, 3], { groups: 2 }), 3)).toEqual({
      group: 18,
      outChannel: 3,
      inChannel: 9,
    });
  });
});

describe('splitSamePadding', () => {
  it('puts an odd extra at the end, or at the beginning for same_lower, for conv and transposed conv alike', () => {
    expect(splitSamePadding(5, 'same_upper')).toEqual([2, 3]);
    expect(splitSamePadding(5, 'same_lower')).toEqual([3, 2]);
    expect(splitSamePadding(-3, 'same_upper')).toEqual([-2, -1]);
    expect(convInfo([1, 1, 5], [1, 1, 4], { stride: 2, padding: 'same_lower' }).padBegin).toEqual([2]);
    expect(convTransposeInfo([1, 1, 5], [1, 1, 4], { stride: 2, padding: 'same_lower' }).padBegin).toEqual([1]);
  });
});

describe('fromOnnxPads and toOnnxPads', () => {
  it('turn flat pads into [begin, end] pairs and a record back into flat pads', () => {
    expect(fromOnnxPads([1, 0, 2, 3])).toEqual([
      [1, 2],
      [0, 3],
    ]);
    expect(toOnnxPads(convInfo([1, 1, 5, 5], [1, 1, 3, 3], { padding: fromOnnxPads([1, 0, 2, 3]) }))).toEqual([
      1, 0, 2, 3,
    ]);
  });
});
