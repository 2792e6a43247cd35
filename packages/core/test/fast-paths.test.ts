import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import * as core from '@convkit/core';
import { conv, convTranspose, convTransposeInfo, type Tensor } from '@convkit/core';
import {
  CPU_TOLERANCE,
  FUZZ_OPS,
  compareTensors,
  fuzzCase,
  mulberry32,
  randomTensor,
  runFuzzCase,
  type FuzzCase,
  type Tolerance,
} from '@convkit/testkit';
import { KC, MC, NC, PREPACK_A_FLOATS } from '../src/algorithms/gemm-blocked.js';
import { type CpuKernelPath, cpuKernelPath, forceCpuKernelPath, wasmKernels } from '../src/algorithms/wasm-kernels.js';
import { STAGE_FLOATS, zeroFloats } from '../src/algorithms/wasm-packing.js';
import { assembleKernels, GENERATED_PATH, WAT_PATH } from '../scripts/assemble-wasm.js';

/**
 * The fast paths ('auto') against the reference loop ('direct'), on every kernel path: relaxed
 * SIMD (FMA), the SIMD128 fallback, and the scalar TypeScript one that engines without
 * WebAssembly SIMD run.
 */

/** A fuzz case on core's op of the table, with the algorithm asked for. */
function runFuzz(entry: FuzzCase, algorithm: 'auto' | 'direct'): Tensor {
  return runFuzzCase<Tensor>(core, entry, { algorithm });
}

/**
 * float32 accumulation (the fast paths) against float64 (the reference): the rounding error of a
 * sum of `depth` products grows with `depth`, so long sums get a bound that grows with it.
 */
function accumulationTolerance(depth: number): Tolerance {
  return { absolute: CPU_TOLERANCE.absolute + depth * 1e-7, relative: CPU_TOLERANCE.relative };
}

function expectClose(got: Tensor, want: Tensor, tolerance: Tolerance, label: string): void {
  const comparison = compareTensors(got, want, tolerance);
  expect(comparison.ok, `${label}: ${comparison.message}`).toBe(true);
}

/** `op` on the fast paths ('auto', the default) against the reference loop ('direct'), on one call. */
function expectFastMatchesDirect<Options extends object>({
  op,
  input,
  weight,
  options,
  label,
  tolerance = CPU_TOLERANCE,
}: {
  op: (input: Tensor, weight: Tensor, options?: Options) => Tensor;
  input: Tensor;
  weight: Tensor;
  options?: Options;
  label: string;
  tolerance?: Tolerance;
}): void {
  const direct = { ...options, algorithm: 'direct' as const } as Options;
  expectClose(op(input, weight, options), op(input, weight, direct), tolerance, label);
}

function random(seed: number, shape: readonly number[]): Tensor {
  return randomTensor(mulberry32(seed), shape);
}

const kernels: { name: string; path: CpuKernelPath }[] = [
  { name: 'the relaxed-SIMD (FMA) kernels', path: 'relaxed-simd' },
  { name: 'the SIMD128 kernels', path: 'simd128' },
  { name: 'the scalar TypeScript microkernel', path: 'scalar' },
];

it('the relaxed-SIMD kernels are chosen in this Node (vitest passes --experimental-wasm-relaxed-simd), SIMD128 when forced', () => {
  forceCpuKernelPath('auto');
  expect(cpuKernelPath()).toBe('relaxed-simd');
  forceCpuKernelPath('simd128');
  expect(cpuKernelPath()).toBe('simd128');
  expect(wasmKernels()).not.toBeNull();
  forceCpuKernelPath('scalar');
  expect(wasmKernels()).toBeNull();
  forceCpuKernelPath('auto');
});

it('kernels.generated.ts is what kernels.wat assembles to (run `pnpm --filter @convkit/core build:wasm` after editing the .wat)', async () => {
  const expected = await assembleKernels(readFileSync(WAT_PATH, 'utf8'));
  expect(readFileSync(GENERATED_PATH, 'utf8')).toBe(expected);
});

for (const kernel of kernels) {
  describe(`the fast paths on ${kernel.name}`, () => {
    afterAll(() => forceCpuKernelPath('auto'));
    const on = () => {
      forceCpuKernelPath(kernel.path);
      expect(cpuKernelPath()).toBe(kernel.path);
    };

    for (const op of FUZZ_OPS) {
      it(`match the reference on 60 random valid ${op} cases`, () => {
        on();
        for (let seed = 1; seed <= 60; seed++) {
          const entry = fuzzCase(op, seed * 7919 + op.length);
          expectClose(runFuzz(entry, 'auto'), runFuzz(entry, 'direct'), CPU_TOLERANCE, entry.description);
        }
      });
    }

    it('match the reference when every GEMM dimension crosses its block size (rows > MC, depth > KC, positions > NC)', () => {
      on();
      const outChannels = MC + 5;
      const inChannels = Math.ceil((KC + 40) / 9);
      const input = random(1, [1, inChannels, 13, 17]);
      const weight = random(2, [outChannels, inChannels, 3, 3]);
      const bias = random(3, [outChannels]);
      expect(13 * 17).toBeGreaterThan(NC);
      const options = { padding: 1, bias };
      expectFastMatchesDirect({
        op: conv,
        input,
        weight,
        options,
        label: 'conv',
        tolerance: accumulationTolerance(inChannels * 9),
      });
    });

    it('match the reference when the weights are too large to pack whole', () => {
      on();
      const inChannels = Math.ceil(PREPACK_A_FLOATS / 8 / 9) + 1;
      const input = random(4, [1, inChannels, 3, 3]);
      const weight = random(5, [9, inChannels, 3, 3]);
      const got = conv(input, weight, { padding: 1 });
      const want = conv(input, weight, { padding: 1, algorithm: 'direct' });
      expectClose(got, want, accumulationTolerance(inChannels * 9), 'conv with a 9-row, 9*C_in-deep weight');
    });

    it('match the reference when the input is too large to stage in WebAssembly memory (packing falls back to TypeScript)', () => {
      on();
      const side = Math.ceil(Math.sqrt(STAGE_FLOATS)) + 8;
      const input = random(25, [1, 1, side, side]);
      const weight = random(26, [2, 1, 3, 3]);
      const options = { padding: 1, stride: [1, 2], dilation: [2, 1] };
      expectFastMatchesDirect({ op: conv, input, weight, options, label: `3x3 over ${side} x ${side}` });
      const wide = random(27, [1, 2, side, side]);
      const pointwise = random(28, [3, 2, 1, 1]);
      expectFastMatchesDirect({ op: conv, input: wide, weight: pointwise, label: `1x1 over 2 x ${side} x ${side}` });
    });

    it('match the reference on strided and dilated 1-D and 2-D convolutions (the WebAssembly im2col)', () => {
      on();
      const line = random(29, [2, 6, 41]);
      const lineWeight = random(30, [4, 3, 4]);
      for (const stride of [1, 2, 3]) {
        const options = { groups: 2, stride, dilation: 2, padding: [[3, 2]] as [number, number][] };
        expectFastMatchesDirect({ op: conv, input: line, weight: lineWeight, options, label: `1-D stride ${stride}` });
      }
      const image = random(31, [1, 5, 23, 19]);
      const imageWeight = random(32, [7, 5, 3, 2]);
      for (const stride of [
        [1, 1],
        [2, 1],
        [1, 3],
        [2, 2],
      ]) {
        const options = {
          stride,
          dilation: [2, 3],
          padding: [
            [2, 1],
            [0, 4],
          ] as [number, number][],
        };
        expectFastMatchesDirect({
          op: conv,
          input: image,
          weight: imageWeight,
          options,
          label: `2-D stride ${stride}`,
        });
      }
    });

    it('match the reference on a ResNeXt-style group convolution', () => {
      on();
      const input = random(6, [2, 64, 15, 14]);
      const weight = random(7, [64, 4, 3, 3]);
      const options = { groups: 16, padding: 1, stride: [2, 1], bias: random(8, [64]) };
      expectFastMatchesDirect({ op: conv, input, weight, options, label: 'groups 16' });
    });

    it('match the reference on depthwise convolutions with a channel multiplier, dilation and every padding mode', () => {
      on();
      const input = random(9, [2, 6, 19, 23]);
      const weight = random(10, [18, 1, 3, 5]);
      for (const paddingMode of ['zeros', 'reflect', 'replicate', 'circular'] as const) {
        for (const stride of [1, 2]) {
          const options = { groups: 6, padding: [2, 3], dilation: [1, 2], stride, paddingMode, bias: random(11, [18]) };
          expectFastMatchesDirect({
            op: conv,
            input,
            weight,
            options,
            label: `${paddingMode} stride ${stride}`,
          });
        }
      }
    });

    it('match the reference on a 1-D depthwise convolution with asymmetric padding', () => {
      on();
      const input = random(12, [3, 37]);
      const weight = random(13, [6, 1, 4]);
      const options = { groups: 3, padding: [[3, 1]] as [number, number][] };
      expectFastMatchesDirect({ op: conv, input, weight, options, label: '1-D depthwise' });
    });

    it('match the reference on 1x1 (pointwise) and 3-D convolutions with every padding mode', () => {
      on();
      const pointInput = random(14, [2, 40, 9, 11]);
      const pointWeight = random(15, [12, 40, 1, 1]);
      expectFastMatchesDirect({ op: conv, input: pointInput, weight: pointWeight, label: 'pointwise' });
      const volume = random(16, [1, 4, 6, 7, 5]);
      const volumeWeight = random(17, [6, 2, 3, 2, 3]);
      for (const paddingMode of ['zeros', 'reflect', 'replicate', 'circular'] as const) {
        const options = { groups: 2, padding: 1, paddingMode, stride: [1, 2, 1] };
        expectFastMatchesDirect({
          op: conv,
          input: volume,
          weight: volumeWeight,
          options,
          label: `3-D ${paddingMode}`,
        });
      }
    });

    it('match the reference on transposed convolutions, including a negative padBegin from outputSize', () => {
      on();
      const input = random(18, [2, 6, 5, 7]);
      const weight = random(19, [6, 4, 3, 3]);
      const options = {
        stride: 2,
        padding: 'same_upper' as const,
        outputSize: [12, 15],
        groups: 2,
        bias: random(20, [8]),
      };
      expect(convTransposeInfo(input.shape, weight.shape, options).padBegin.some((pad) => pad < 0)).toBe(true);
      expectFastMatchesDirect({ op: convTranspose, input, weight, options, label: 'negative padBegin' });
      const dcgan = random(21, [1, 32, 9, 9]);
      const dcganWeight = random(22, [32, 70, 4, 4]);
      const dcganOptions = { stride: 2, padding: 1, outputPadding: 1, dilation: [1, 2] };
      expectFastMatchesDirect({
        op: convTranspose,
        input: dcgan,
        weight: dcganWeight,
        options: dcganOptions,
        label: 'DCGAN-like, rows > MC',
      });
    });

    it('match the reference on a depthwise convolution taller than one band of the SIMD path', () => {
      on();
      const input = random(23, [1, 1, 4200, 1010]);
      const weight = random(24, [1, 1, 3, 3]);
      const options = { groups: 1, padding: 1 };
      expectFastMatchesDirect({ op: conv, input, weight, options, label: '4200 x 1010' });
    });

    it('match the reference on separable convolutions one after another, the intermediate they reuse never showing through', () => {
      on();
      // Larger, then smaller (a stale tail in the reused buffer), then strided (the scalar
      // depthwise loop) into the same buffer.
      const calls = [
        {
          input: random(41, [1, 6, 20, 20]),
          depthwise: random(42, [6, 1, 3, 3]),
          pointwise: random(43, [5, 6, 1, 1]),
          options: { padding: 1 },
        },
        {
          input: random(44, [2, 4, 7, 9]),
          depthwise: random(46, [8, 1, 3, 3]),
          pointwise: random(47, [3, 8, 1, 1]),
          options: { padding: 1 },
        },
        {
          input: random(48, [1, 4, 11, 10]),
          depthwise: random(45, [8, 1, 3, 3]),
          pointwise: random(49, [2, 8, 1, 1]),
          options: { padding: 1, stride: 2 },
        },
      ];
      const results = calls.map(({ input, depthwise, pointwise, options }) => {
        const got = core.separableConv(input, depthwise, pointwise, options);
        const want = core.separableConv(input, depthwise, pointwise, { ...options, algorithm: 'direct' });
        expectClose(got, want, CPU_TOLERANCE, `separable ${input.shape.join('x')}`);
        return { got, kept: got.data.slice() };
      });
      // Every result is its own array: later calls did not write into an earlier one.
      for (const { got, kept } of results) expect(got.data).toEqual(kept);
    });

    if (kernel.path !== 'scalar') {
      it('keep their scratch (the WebAssembly memory) under 64 MiB, even after inputs and weights larger than that', () => {
        on();
        // Earlier tests in this block ran a 9 x 75k-deep weight, a 2 x 2904 x 2904 input and a
        // 4200 x 1010 depthwise image; the memory only ever grows, so its size is the peak.
        const input = random(33, [1, 24, 1100, 1000]);
        const weight = random(34, [4, 24, 3, 3]);
        conv(input, weight, { padding: 1 });
        expect(input.data.byteLength).toBeGreaterThan(64 * 2 ** 20);
        expect((wasmKernels()?.memory.buffer.byteLength ?? 0) / 2 ** 20).toBeLessThanOrEqual(64);
      });
    }
  });
}

describe('zeroFloats', () => {
  // 70000 floats: more than one 65536-float copy of zeros on shared memory.
  it.each([
    ['plain', new ArrayBuffer(80000 * 4)],
    ['shared', new SharedArrayBuffer(80000 * 4)],
  ])('zeroes exactly [from, to) of %s memory', (_kind, buffer) => {
    const memory = new Float32Array(buffer).fill(7);
    zeroFloats(memory, 3, 70003);
    expect(memory[2]).toBe(7);
    expect(memory[70003]).toBe(7);
    expect(memory.subarray(3, 70003).every((value) => value === 0)).toBe(true);
    expect(memory.subarray(70003).every((value) => value === 7)).toBe(true);
  });
});
