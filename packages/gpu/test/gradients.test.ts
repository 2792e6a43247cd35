import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  conv,
  conv1dBackward,
  conv2dBackward,
  conv3dBackward,
  convBackward,
  convTranspose1dBackward,
  convTranspose2dBackward,
  convTranspose3dBackward,
  convTranspose,
  depthwiseConv,
  pointwiseConv,
  separableConv,
  convTransposeBackward,
  depthwiseConvBackward,
  pointwiseConvBackward,
  separableConvBackward,
  type Tensor,
} from '@convkit/core';
import { createGpu, type Gpu } from '@convkit/gpu';
import { GPU_TOLERANCE, compareTensors, fuzzCase, mulberry32, randomTensor } from '@convkit/testkit';
import { compareGradientCase } from '../../testkit/src/gradient-compare.js';
import { loadGradientCases } from '../../testkit/src/gradients.js';
import { NODE_MODES, reportLine } from './node-modes.js';

const cases = loadGradientCases();
const NAMES = ['gradInput', 'gradWeight', 'gradBias'] as const;

/** A backward call's input, weight and gradOutput of these shapes, from seeds 1, 2 and 3. */
function seededOperands(input: number[], weight: number[], gradOutput: number[]): [Tensor, Tensor, Tensor] {
  return [
    randomTensor(mulberry32(1), input),
    randomTensor(mulberry32(2), weight),
    randomTensor(mulberry32(3), gradOutput),
  ];
}
const coreBackwardByName: Record<
  string,
  (input: Tensor, weight: Tensor, gradOutput: Tensor, options: object) => unknown
> = {
  conv1dBackward,
  conv2dBackward,
  conv3dBackward,
  convTranspose1dBackward,
  convTranspose2dBackward,
  convTranspose3dBackward,
};
type Result = Record<string, Tensor | undefined>;

describe.each(NODE_MODES)('gradients on %s', (mode) => {
  let gpu: Gpu;
  let passed = 0;
  let maxError = 0;

  beforeAll(async () => {
    gpu = await createGpu({ mode });
  });

  afterAll(async () => {
    console.log(reportLine('gradients', mode, passed, cases.length, maxError));
    await gpu?.dispose();
  });

  it.each(cases.map((entry) => [entry.id, entry] as const))("%s matches PyTorch's gradients", async (_, entry) => {
    const comparison = await compareGradientCase(gpu, entry, GPU_TOLERANCE);
    maxError = Math.max(maxError, comparison.maxAbsError);
    expect(comparison.ok, comparison.message).toBe(true);
    passed += 1;
  });

  const single = {
    conv: [conv, convBackward],
    convTranspose: [convTranspose, convTransposeBackward],
    depthwiseConv: [depthwiseConv, depthwiseConvBackward],
    pointwiseConv: [pointwiseConv, pointwiseConvBackward],
  } as const;
  type Call = (...args: unknown[]) => unknown;
  for (const [op, [forward, coreBackward]] of Object.entries(single)) {
    it(`${op}: random cases (every option) equal core's gradients, with need honoured`, async () => {
      const method = `${op}Backward` as 'convBackward';
      for (let seed = 1; seed <= 10; seed++) {
        const {
          operands: [input, weight],
          options,
          description,
        } = fuzzCase(op as keyof typeof single, seed, 1024);
        const { bias: _bias, ...rest } = options;
        const output = (forward as Call)(input, weight, rest) as Tensor;
        const gradOutput = randomTensor(mulberry32(seed ^ 0x9e3779b9), output.shape);
        const want = (coreBackward as Call)(input, weight, gradOutput, { ...rest, algorithm: 'direct' }) as Result;
        const got = (await (gpu[method] as Call)(input, weight, gradOutput, rest)) as Result;
        for (const name of NAMES) {
          const comparison = compareTensors(got[name] as Tensor, want[name] as Tensor, GPU_TOLERANCE);
          expect(comparison.ok, `${name}: ${description}: ${comparison.message}`).toBe(true);
        }
        const only = (await (gpu[method] as Call)(input, weight, gradOutput, {
          ...rest,
          need: ['gradWeight'],
        })) as Result;
        expect(only.gradInput, description).toBeUndefined();
        expect(compareTensors(only.gradWeight as Tensor, want.gradWeight as Tensor, GPU_TOLERANCE).ok).toBe(true);
      }
    });
  }

  it("separableConv: random cases equal core's gradients of the input, both weights and both biases", async () => {
    for (let seed = 1; seed <= 8; seed++) {
      const {
        operands: [input, weight, pointwiseWeight],
        options,
        description,
      } = fuzzCase('separableConv', seed, 1024);
      const { bias: _bias, ...rest } = options;
      const output = separableConv(input, weight, pointwiseWeight as Tensor, rest);
      const gradOutput = randomTensor(mulberry32(seed), output.shape);
      const want = separableConvBackward(input, weight, pointwiseWeight as Tensor, gradOutput, rest) as Result;
      const got = (await gpu.separableConvBackward(
        input,
        weight,
        pointwiseWeight as Tensor,
        gradOutput,
        rest,
      )) as Result;
      for (const name of ['gradInput', 'gradDepthwiseWeight', 'gradDepthwiseBias', 'gradPointwiseWeight', 'gradBias']) {
        const comparison = compareTensors(got[name] as Tensor, want[name] as Tensor, GPU_TOLERANCE);
        expect(comparison.ok, `${name}: ${description}: ${comparison.message}`).toBe(true);
      }
    }
  });

  it("refuses a gradOutput of the wrong shape with core's message", async () => {
    await expect(gpu.convBackward(...seededOperands([1, 2, 5], [3, 2, 3], [1, 3, 5]))).rejects.toThrow(
      "convBackward: gradOutput must have the output's shape [1,3,3], got [1,3,5]; input [1,2,5], weight [3,2,3]",
    );
  });

  it("every rank-checked backward entry point equals core's and rejects a wrong rank with core's message", async () => {
    for (const rank of [1, 2, 3] as const) {
      const spatial = new Array<number>(rank).fill(4);
      const input = randomTensor(mulberry32(rank), [1, 2, ...spatial]);
      const weight = randomTensor(mulberry32(rank + 10), [2, 2, ...new Array<number>(rank).fill(2)]);
      const gradOutput = randomTensor(mulberry32(rank + 20), [1, 2, ...new Array<number>(rank).fill(3)]);
      const pairs = [
        [`conv${rank}dBackward`, coreBackwardByName[`conv${rank}dBackward`]],
        [`convTranspose${rank}dBackward`, coreBackwardByName[`convTranspose${rank}dBackward`]],
      ] as const;
      for (const [method, coreBackward] of pairs) {
        const transposed = method.startsWith('convTranspose');
        const upstream = transposed
          ? randomTensor(mulberry32(rank + 30), [1, 2, ...new Array<number>(rank).fill(5)])
          : gradOutput;
        const want = coreBackward(input, weight, upstream, {}) as Result;
        const got = (await (gpu[method as 'convBackward'] as Call)(input, weight, upstream, {})) as Result;
        for (const name of NAMES) {
          expect(compareTensors(got[name] as Tensor, want[name] as Tensor, GPU_TOLERANCE).ok, `${method} ${name}`).toBe(
            true,
          );
        }
      }
    }
    await expect(gpu.conv2dBackward(...seededOperands([1, 1, 5], [1, 1, 3], [1, 1, 3]))).rejects.toThrow(
      'conv2dBackward: weight must have 4 dims ([C_out, C_in/groups, ...kernel]), got 3; input [1,1,5], weight [1,1,3]',
    );
  });

  it('splits the weight gradient over batch items when one call cannot hold them all', async () => {
    const small = await createGpu({ mode, maxElementsPerCall: 64 });
    try {
      const input = randomTensor(mulberry32(4), [5, 2, 6]);
      const weight = randomTensor(mulberry32(5), [3, 2, 3]);
      const gradOutput = randomTensor(mulberry32(6), [5, 3, 4]);
      const want = convBackward(input, weight, gradOutput) as Result;
      const got = (await small.convBackward(input, weight, gradOutput)) as Result;
      for (const name of NAMES) {
        const comparison = compareTensors(got[name] as Tensor, want[name] as Tensor, GPU_TOLERANCE);
        expect(comparison.ok, `${name}: ${comparison.message}`).toBe(true);
      }
    } finally {
      await small.dispose();
    }
  });
});
