import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  col2im,
  conv,
  convInfo,
  convMatrix,
  convTranspose,
  depthwiseConv,
  im2col,
  pointwiseConv,
  separableConv,
  type ConvOptions,
  type ConvTransposeOptions,
  type PaddingMode,
  type Tensor,
} from '@convkit/core';
import { compareTensors, innerProduct, mulberry32, randomTensor, type Tolerance } from '@convkit/testkit';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);
const FLOAT32_SUMS: Tolerance = { absolute: 1e-5, relative: 1e-5 };

interface Geometry {
  rank: number;
  batch: number;
  groups: number;
  inPerGroup: number;
  outPerGroup: number;
  inSize: number[];
  kernel: number[];
  stride: number[];
  dilation: number[];
  padding: [number, number][];
  paddingMode: PaddingMode;
  seed: number;
}

const geometry = (modes: PaddingMode[] = ['zeros']): fc.Arbitrary<Geometry> =>
  fc
    .integer({ min: 1, max: 3 })
    .chain((rank) =>
      fc.record({
        rank: fc.constant(rank),
        batch: fc.integer({ min: 1, max: 2 }),
        groups: fc.integer({ min: 1, max: 3 }),
        inPerGroup: fc.integer({ min: 1, max: 3 }),
        outPerGroup: fc.integer({ min: 1, max: 3 }),
        inSize: fc.array(fc.integer({ min: 1, max: rank === 3 ? 5 : 9 }), { minLength: rank, maxLength: rank }),
        kernel: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: rank, maxLength: rank }),
        stride: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: rank, maxLength: rank }),
        dilation: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: rank, maxLength: rank }),
        padding: fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })), {
          minLength: rank,
          maxLength: rank,
        }),
        paddingMode: fc.constantFrom(...modes),
        seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      }),
    )
    .filter((candidate) => {
      try {
        const { input, weight, options } = build(candidate);
        convInfo(input.shape, weight.shape, options);
        return true;
      } catch {
        return false;
      }
    });

function build(g: Geometry): { input: Tensor; weight: Tensor; options: ConvOptions } {
  const random = mulberry32(g.seed);
  const inChannels = g.inPerGroup * g.groups;
  const input = randomTensor(random, [g.batch, inChannels, ...g.inSize]);
  const weight = randomTensor(random, [g.outPerGroup * g.groups, g.inPerGroup, ...g.kernel]);
  return {
    input,
    weight,
    options: {
      stride: g.stride,
      dilation: g.dilation,
      groups: g.groups,
      padding: g.padding,
      paddingMode: g.paddingMode,
    },
  };
}

/** The transposed conv that is the adjoint of `build(g)`'s conv: same geometry, back to the input size. */
function adjointOptions(g: Geometry): ConvTransposeOptions {
  return { stride: g.stride, dilation: g.dilation, groups: g.groups, padding: g.padding, outputSize: g.inSize };
}

/** `<a, b> = <c, d>` up to float32 rounding, relative to the size of the summed products. */
function expectEqualInnerProducts([a, b]: [Float32Array, Float32Array], [c, d]: [Float32Array, Float32Array]): void {
  const left = innerProduct(a, b);
  const right = innerProduct(c, d);
  expect(Math.abs(left.value - right.value)).toBeLessThanOrEqual(1e-5 * (left.scale + right.scale) + 1e-6);
}

/** `matrix @ vector` for one sample, in float64. */
function multiply(matrix: Tensor, vector: Float32Array, transpose: boolean): Float32Array {
  const [rows, columns] = matrix.shape;
  const out = new Float64Array(transpose ? columns : rows);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const entry = matrix.data[row * columns + column];
      if (transpose) out[column] += entry * vector[row];
      else out[row] += entry * vector[column];
    }
  }
  return Float32Array.from(out);
}

function expectClose(got: Tensor, want: Tensor, tolerance: Tolerance = FLOAT32_SUMS): void {
  const comparison = compareTensors(got, want, tolerance);
  expect(comparison.ok, comparison.message).toBe(true);
}

describe('identities that hold the algorithms together', () => {
  it('direct = im2col + GEMM = Toeplitz matrix product, for every padding mode', () => {
    fc.assert(
      fc.property(geometry(['zeros', 'reflect', 'replicate', 'circular']), (g) => {
        const { input, weight, options } = build(g);
        const direct = conv(input, weight, { ...options, algorithm: 'direct' });
        expectClose(conv(input, weight, { ...options, algorithm: 'auto' }), direct);
        const matrix = convMatrix(input.shape, weight, options);
        const sampleIn = input.data.length / g.batch;
        const sampleOut = direct.data.length / g.batch;
        for (let n = 0; n < g.batch; n++) {
          const product = multiply(matrix, input.data.subarray(n * sampleIn, (n + 1) * sampleIn), false);
          expectClose(
            { shape: [sampleOut], data: product },
            { shape: [sampleOut], data: direct.data.subarray(n * sampleOut, (n + 1) * sampleOut) },
          );
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('transposed conv is the adjoint of conv: <conv(x, w), y> = <x, convTranspose(y, w)>', () => {
    fc.assert(
      fc.property(geometry(), (g) => {
        const { input, weight, options } = build(g);
        const output = conv(input, weight, options);
        const y = randomTensor(mulberry32(g.seed ^ 0x5bd1e995), output.shape);
        for (const algorithm of ['direct', 'auto'] as const) {
          const back = convTranspose(y, weight, { ...adjointOptions(g), algorithm });
          expect(back.shape).toEqual(input.shape);
          expectEqualInnerProducts([output.data, y.data], [input.data, back.data]);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('transposed conv multiplies by the transpose of the Toeplitz matrix: convTranspose(y) = C^T y', () => {
    fc.assert(
      fc.property(geometry(), (g) => {
        const { input, weight, options } = build(g);
        const outShape = convInfo(input.shape, weight.shape, options).outputShape;
        const y = randomTensor(mulberry32(g.seed + 1), [1, ...outShape.slice(1)]);
        const matrix = convMatrix(input.shape, weight, options);
        const back = convTranspose(y, weight, adjointOptions(g));
        expectClose(
          { shape: [back.data.length], data: back.data },
          { shape: [back.data.length], data: multiply(matrix, y.data, true) },
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('im2col and col2im are adjoint: <im2col(x), c> = <x, col2im(c)>', () => {
    fc.assert(
      fc.property(geometry(), (g) => {
        const { input, options } = build(g);
        const window = {
          kernelSize: g.kernel,
          stride: options.stride,
          dilation: options.dilation,
          padding: options.padding,
        };
        const columns = im2col(input, window);
        const c = randomTensor(mulberry32(g.seed + 2), columns.shape);
        const folded = col2im(c, { ...window, outputSize: g.inSize });
        expectEqualInnerProducts([columns.data, c.data], [input.data, folded.data]);
      }),
      { numRuns: RUNS },
    );
  });

  it('depthwise conv is conv with groups = input channels, for any channel multiplier', () => {
    fc.assert(
      fc.property(
        geometry(['zeros', 'reflect', 'replicate', 'circular']),
        fc.integer({ min: 1, max: 3 }),
        (g, multiplier) => {
          const { input, options } = build({ ...g, groups: 1 });
          const channels = input.shape[1];
          const weight = randomTensor(mulberry32(g.seed + 3), [channels * multiplier, 1, ...g.kernel]);
          const { groups: _groups, ...spatial } = options;
          expectClose(
            depthwiseConv(input, weight, spatial),
            conv(input, weight, { ...spatial, groups: channels, algorithm: 'direct' }),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('separable conv is pointwise after depthwise', () => {
    fc.assert(
      fc.property(geometry(), fc.integer({ min: 1, max: 4 }), (g, outChannels) => {
        const { input, options } = build({ ...g, groups: 1 });
        const channels = input.shape[1];
        const random = mulberry32(g.seed + 4);
        const depthwise = randomTensor(random, [channels, 1, ...g.kernel]);
        const pointwise = randomTensor(random, [outChannels, channels, ...g.kernel.map(() => 1)]);
        const bias = randomTensor(random, [outChannels]);
        const depthwiseBias = randomTensor(random, [channels]);
        const { groups: _groups, ...spatial } = options;
        const middle = conv(input, depthwise, {
          ...spatial,
          groups: channels,
          bias: depthwiseBias,
          algorithm: 'direct',
        });
        expectClose(
          separableConv(input, depthwise, pointwise, { ...spatial, bias, depthwiseBias }),
          pointwiseConv(middle, pointwise, { bias, algorithm: 'direct' }),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('an unbatched input gives the batched result without the batch dim', () => {
    fc.assert(
      fc.property(geometry(), (g) => {
        const { input, weight, options } = build({ ...g, batch: 1 });
        const unbatched = { shape: input.shape.slice(1), data: input.data };
        const batched = conv(input, weight, options);
        const single = conv(unbatched, weight, options);
        expect(single.shape).toEqual(batched.shape.slice(1));
        expect(Array.from(single.data)).toEqual(Array.from(batched.data));
      }),
      { numRuns: Math.min(RUNS, 30) },
    );
  });
});
