import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convInfo, convTransposeInfo, type ConvInfo } from '@convkit/core';
import { GPU_TOLERANCE, compareTensors, mulberry32, randomTensor } from '@convkit/testkit';
import { startBackend, type Backend } from '../src/backend.js';
import type { Operand } from '../src/gpu-tensor.js';
import { MAX_GENERATED_LINES, PackedConvolutions } from '../src/kernels/packed-conv-runner.js';
import { packedConvPlan } from '../src/kernels/packed-conv.js';
import { packedConvTransposePlan } from '../src/kernels/packed-conv-transpose.js';
import { ConvolutionRunner, DEFAULT_MAX_CACHED_KERNELS } from '../src/runner.js';

const random = mulberry32(15);

/** Shapes of every parameter class the packed generators specialise on. */
const SHAPES: { name: string; info: () => ConvInfo }[] = [
  { name: 'standard 3x3, padding 1', info: () => convInfo([1, 8, 9, 7], [6, 8, 3, 3], { padding: 1 }) },
  { name: 'strided and dilated', info: () => convInfo([2, 5, 11, 10], [4, 5, 3, 2], { stride: 2, dilation: [2, 1] }) },
  {
    name: 'grouped, reflect padding',
    info: () => convInfo([1, 6, 6, 6], [4, 3, 3, 3], { groups: 2, padding: 1, paddingMode: 'reflect' }),
  },
  { name: 'depthwise 1-D', info: () => convInfo([1, 5, 13], [5, 1, 3], { groups: 5, padding: 'same' }) },
  { name: 'pointwise', info: () => convInfo([1, 9, 5, 5], [3, 9, 1, 1], {}) },
  {
    name: '3-D, circular padding',
    info: () => convInfo([1, 2, 4, 5, 3], [3, 2, 2, 3, 2], { padding: 1, paddingMode: 'circular' }),
  },
  {
    name: 'transposed, stride 2',
    info: () => convTransposeInfo([1, 8, 4, 4], [8, 4, 4, 4], { stride: 2, padding: 1 }),
  },
  {
    name: 'transposed, grouped, stride 3, output padding',
    info: () => convTransposeInfo([2, 6, 5], [6, 3, 3], { stride: 3, padding: 1, outputPadding: 1, groups: 2 }),
  },
  {
    name: 'transposed, one input channel per group',
    info: () => convTransposeInfo([1, 2, 5, 4], [2, 3, 3, 3], { stride: 2, groups: 2, padding: 1 }),
  },
  {
    name: 'dilated along the width (2 column phases on WebGPU)',
    info: () => convInfo([1, 8, 9, 11], [4, 8, 3, 3], { padding: 2, dilation: 2 }),
  },
  {
    name: 'stride 2, dilation 3 (3 column phases on WebGPU)',
    info: () => convInfo([2, 4, 7, 26], [3, 4, 2, 3], { stride: 2, dilation: 3, padding: [0, 1] }),
  },
  { name: 'three input channels (one partly filled texel)', info: () => convInfo([1, 3, 6, 6], [2, 3, 3, 3], {}) },
  {
    name: 'transposed sized by outputSize (negative padding)',
    info: () => convTransposeInfo([1, 3, 3, 3], [3, 2, 3, 3], { stride: 2, outputSize: [8, 8] }),
  },
];

describe('the packed generators', () => {
  it('bound every loop by a constant (gpu.js silently stops an argument-bounded loop at 1000)', () => {
    for (const { info } of SHAPES) {
      for (const flat of [false, true]) {
        const shape = info();
        const plan = shape.transposed ? packedConvTransposePlan(shape, { flat }) : packedConvPlan(shape, { flat });
        for (const source of [plan.packSource, plan.convSource]) {
          for (const loop of source.match(/for \([^)]*\)/g) ?? []) {
            expect(loop).toMatch(/< this\.constants\.\w+;/);
          }
        }
      }
    }
  });
});

describe('the WebGPU generators', () => {
  /** Input floats one channel texel of the loop reads: `input[...]` loads in the generated source. */
  const inputLoads = (source: string) => source.match(/\binput\[/g)?.length ?? 0;

  it("give a dilated conv's 4 columns of a thread one shared row window (W6: 6 texels per kernel row, not 8)", () => {
    const info = convInfo([1, 256, 33, 33], [256, 256, 3, 3], { padding: 2, dilation: 2 });
    expect(inputLoads(packedConvPlan(info, { flat: true }).convSource)).toBe(3 * 6 * 4);
    expect(packedConvPlan(info, { flat: true }).convOutput).toEqual([33 * 9, 256, 1]);
  });

  it('give a transposed conv 4 same-phase columns per thread, sharing every weight tap (W7: 10 input and 4 weight texels)', () => {
    const info = convTransposeInfo([1, 128, 16, 16], [128, 64, 4, 4], { stride: 2, padding: 1 });
    const source = packedConvTransposePlan(info, { flat: true }).convSource;
    expect(inputLoads(source)).toBe(2 * 5 * 4);
    expect(source.match(/\bweight\[/g)?.length).toBe(4 * 4);
  });
});

/**
 * Runs a generated flat (WebGPU) kernel as plain JavaScript over its thread grid, the way gpu.js
 * dispatches it: `this.thread` and `this.constants` bound, `results` floats per thread in thread order.
 */
function emulate(
  source: string,
  output: readonly number[],
  constants: Record<string, number>,
  args: Float32Array[],
  results: number,
): Float32Array {
  const kernel = new Function(`return ${source}`)() as (...values: Float32Array[]) => number | number[];
  const [width, height, depth] = output;
  const out = new Float32Array(width * height * depth * results);
  for (let z = 0; z < depth; z++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const value = kernel.apply({ thread: { x, y, z }, constants }, args);
        out.set(typeof value === 'number' ? [value] : value, ((z * height + y) * width + x) * results);
      }
    }
  }
  return out;
}

describe('the packed layout on headlessgl', () => {
  let backend: Backend;
  let packed: PackedConvolutions;
  let general: ConvolutionRunner;
  beforeAll(async () => {
    backend = await startBackend('headlessgl');
    packed = new PackedConvolutions(backend, backend.maxElementsPerCall);
    general = new ConvolutionRunner(backend, backend.maxElementsPerCall, DEFAULT_MAX_CACHED_KERNELS, {
      packedLayout: false,
    });
  });
  afterAll(() => backend?.gpu.destroy());

  it.each(SHAPES.map((shape) => [shape.name, shape] as const))(
    '%s takes the packed path and matches the general kernel',
    async (_, { info }) => {
      const shape = info();
      expect(packed.fits(shape)).toBe(true);
      const input: Operand = { tensor: randomTensor(random, [...shape.inputShape]), device: null };
      const weight: Operand = { tensor: randomTensor(random, [...shape.weightShape]), device: null };
      const bias: Operand = { tensor: randomTensor(random, [shape.outChannels]), device: null };
      const got = await packed.run(shape, input, weight, bias);
      const want = await general.run(shape, input, weight, bias);
      const comparison = compareTensors(got, want, GPU_TOLERANCE);
      expect(comparison.ok, comparison.message).toBe(true);
    },
  );

  it.each(SHAPES.map((shape) => [shape.name, shape] as const))(
    '%s: the flat (WebGPU) sources, run as JavaScript, match the general kernel',
    async (_, { info }) => {
      const shape = info();
      const plan = shape.transposed
        ? packedConvTransposePlan(shape, { flat: true })
        : packedConvPlan(shape, { flat: true });
      const input = randomTensor(random, [...shape.inputShape]);
      const weight = randomTensor(random, [...shape.weightShape]);
      const bias = randomTensor(random, [shape.outChannels]);
      const [width, height, depth] = plan.packOutput;
      const packArgs = plan.zeroPadding ? [input.data] : [input.data, plan.paddedMaps];
      const packedInput = emulate(
        plan.packSource,
        [width * plan.packTexelFloats, height, depth],
        plan.constants,
        packArgs,
        1,
      );
      const packedBias = plan.packBias ? plan.packBias(bias.data) : bias.data;
      const raw = emulate(
        plan.convSource,
        plan.convOutput,
        plan.constants,
        [packedInput, plan.packWeight(weight.data), packedBias],
        4,
      );
      const got = { shape: [...shape.outputShape], data: plan.unpack(raw) };
      const operand = (tensor: typeof input): Operand => ({ tensor, device: null });
      const want = await general.run(shape, operand(input), operand(weight), operand(bias));
      const comparison = compareTensors(got, want, GPU_TOLERANCE);
      expect(comparison.ok, comparison.message).toBe(true);
    },
  );

  it(`leaves kernels longer than ${MAX_GENERATED_LINES} unrolled lines (a 1-D kernel of 1200 taps) to the general kernel`, () => {
    expect(packed.fits(convInfo([1, 1, 1300], [1, 1, 1200], {}))).toBe(false);
  });

  it('leaves dilated transposed convolutions to the general kernel, whose tap maps skip the stride gaps', () => {
    expect(packed.fits(convTransposeInfo([1, 2, 5], [2, 2, 3], { stride: 2, dilation: 2 }))).toBe(false);
  });
});
