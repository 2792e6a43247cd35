import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ConvAlgorithm,
  type ConvInfo,
  conv,
  convBackward,
  convInfo,
  convTranspose,
  convTransposeBackward,
  convTransposeInfo,
  depthwiseConv,
  depthwiseConvBackward,
  pointwiseConv,
  pointwiseConvBackward,
  separableConv,
  separableConvBackward,
  type Tensor,
} from '@convkit/core';
import {
  compareTensors,
  type FuzzOp,
  fuzzCase,
  innerProduct,
  mulberry32,
  randomTensor,
} from '../../testkit/src/index.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);
const ALGORITHMS: readonly ConvAlgorithm[] = ['direct', 'auto'];

type SingleOp = Exclude<FuzzOp, 'separableConv'>;
type Options = Record<string, unknown>;

const FORWARD: Record<SingleOp, (input: Tensor, weight: Tensor, options: Options) => Tensor> = {
  conv: (input, weight, options) => conv(input, weight, options),
  convTranspose: (input, weight, options) => convTranspose(input, weight, options),
  depthwiseConv: (input, weight, options) => depthwiseConv(input, weight, options),
  pointwiseConv: (input, weight, options) => pointwiseConv(input, weight, options),
};

const BACKWARD: Record<
  SingleOp,
  (input: Tensor, weight: Tensor, gradOutput: Tensor, options: Options) => Record<string, Tensor | undefined>
> = {
  conv: (input, weight, gradOutput, options) => convBackward(input, weight, gradOutput, options),
  convTranspose: (input, weight, gradOutput, options) => convTransposeBackward(input, weight, gradOutput, options),
  depthwiseConv: (input, weight, gradOutput, options) => depthwiseConvBackward(input, weight, gradOutput, options),
  pointwiseConv: (input, weight, gradOutput, options) => pointwiseConvBackward(input, weight, gradOutput, options),
};

/** A fuzz case of `op` without biases (no gradient depends on them) and a random upstream gradient. */
function backwardCase(op: SingleOp, seed: number) {
  const {
    operands: [input, weight],
    options,
    description,
  } = fuzzCase(op, seed, 2048);
  const { bias: _bias, ...rest } = options;
  const output = FORWARD[op](input, weight, { ...rest, algorithm: 'direct' });
  const gradOutput = randomTensor(mulberry32(seed ^ 0x5bd1e995), output.shape);
  return { input, weight, options: rest as Options, output, gradOutput, description };
}

function sum(data: Float32Array): number {
  return data.reduce((total, value) => total + value, 0);
}

function expectSameInnerProduct(got: { value: number }, want: { value: number; scale: number }, what: string): void {
  expect(Math.abs(got.value - want.value), what).toBeLessThanOrEqual(1e-5 * want.scale + 1e-6);
}

function expectTensorClose(got: Tensor | undefined, want: Tensor | undefined, what: string): void {
  expect(got, what).toBeDefined();
  expect(want, what).toBeDefined();
  const comparison = compareTensors(got as Tensor, want as Tensor, { absolute: 1e-4, relative: 1e-4 });
  expect(comparison.ok, `${what}: ${comparison.message}`).toBe(true);
}

/** An input position through a padding mode, by PyTorch's definition (every pad is at most one reflection wide). */
function padded(position: number, size: number, mode: string): number {
  if (position >= 0 && position < size) return position;
  if (mode === 'reflect') return position < 0 ? -position : 2 * (size - 1) - position;
  if (mode === 'replicate') return position < 0 ? 0 : size - 1;
  if (mode === 'circular') return ((position % size) + size) % size;
  return -1;
}

function unravel(index: number, sizes: readonly number[]): number[] {
  const coordinates = new Array<number>(sizes.length);
  for (let axis = sizes.length - 1; axis >= 0; axis--) {
    coordinates[axis] = index % sizes[axis];
    index = Math.floor(index / sizes[axis]);
  }
  return coordinates;
}

function ravel(coordinates: readonly number[], sizes: readonly number[]): number {
  return coordinates.reduce((flat, coordinate, axis) => flat * sizes[axis] + coordinate, 0);
}

/**
 * The loss `sum(y * gradOutput)` in float64, with `y` computed from the definition of the op
 * (PyTorch's formulas, element by element), independently of convkit's tap maps.
 */
function lossByDefinition(info: ConvInfo, input: Float64Array, weight: Float64Array, gradOutput: Float32Array): number {
  const { batch, groups, inChannelsPerGroup, outChannelsPerGroup, inSize, outSize, kernelSize } = info;
  const taps = kernelSize.reduce((product, extent) => product * extent, 1);
  const inPlane = inSize.reduce((product, extent) => product * extent, 1);
  const outPlane = outSize.reduce((product, extent) => product * extent, 1);
  let loss = 0;
  for (let n = 0; n < batch; n++) {
    for (let group = 0; group < groups; group++) {
      for (let inInGroup = 0; inInGroup < inChannelsPerGroup; inInGroup++) {
        for (let outInGroup = 0; outInGroup < outChannelsPerGroup; outInGroup++) {
          const inChannel = group * inChannelsPerGroup + inInGroup;
          const outChannel = group * outChannelsPerGroup + outInGroup;
          const weightBase = info.transposed
            ? (inChannel * outChannelsPerGroup + outInGroup) * taps
            : (outChannel * inChannelsPerGroup + inInGroup) * taps;
          for (let tap = 0; tap < taps; tap++) {
            const kernel = unravel(tap, kernelSize);
            const w = weight[weightBase + tap];
            // conv: y[o] += x[o * s - p + k * d] w[k]; transposed: y[i * s - p + k * d] += x[i] w[k].
            const positions = info.transposed ? inPlane : outPlane;
            for (let flat = 0; flat < positions; flat++) {
              const at = unravel(flat, info.transposed ? inSize : outSize);
              const reached = at.map(
                (coordinate, axis) =>
                  coordinate * info.stride[axis] - info.padBegin[axis] + kernel[axis] * info.dilation[axis],
              );
              let inFlat: number;
              let outFlat: number;
              if (info.transposed) {
                if (reached.some((coordinate, axis) => coordinate < 0 || coordinate >= outSize[axis])) continue;
                inFlat = flat;
                outFlat = ravel(reached, outSize);
              } else {
                const source = reached.map((coordinate, axis) => padded(coordinate, inSize[axis], info.paddingMode));
                if (source.some((coordinate) => coordinate < 0)) continue;
                inFlat = ravel(source, inSize);
                outFlat = flat;
              }
              loss +=
                input[(n * info.inChannels + inChannel) * inPlane + inFlat] *
                w *
                gradOutput[(n * info.outChannels + outChannel) * outPlane + outFlat];
            }
          }
        }
      }
    }
  }
  return loss;
}

function forwardInfo(op: SingleOp, input: Tensor, weight: Tensor, options: Options): ConvInfo {
  if (op === 'convTranspose') return convTransposeInfo(input.shape, weight.shape, options);
  const groups = op === 'depthwiseConv' ? input.shape[input.shape.length - weight.shape.length + 1] : options.groups;
  return convInfo(input.shape, weight.shape, { ...options, groups } as Options);
}

const OPS: readonly SingleOp[] = ['conv', 'convTranspose', 'depthwiseConv', 'pointwiseConv'];

describe('the gradients of every convolution', () => {
  for (const op of OPS) {
    it(`${op}: <y, g> = <x, gradInput> = <w, gradWeight> and gradBias = sum(g), on both algorithms`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
          const { input, weight, options, output, gradOutput, description } = backwardCase(op, seed);
          const forward = innerProduct(output.data, gradOutput.data);
          for (const algorithm of ALGORITHMS) {
            const { gradInput, gradWeight, gradBias } = BACKWARD[op](input, weight, gradOutput, {
              ...options,
              algorithm,
            });
            const what = `${description}, ${algorithm}`;
            expect(gradInput?.shape, what).toEqual(input.shape);
            expect(gradWeight?.shape, what).toEqual(weight.shape);
            expectSameInnerProduct(
              innerProduct(input.data, (gradInput as Tensor).data),
              forward,
              `<x, gradInput>: ${what}`,
            );
            expectSameInnerProduct(
              innerProduct(weight.data, (gradWeight as Tensor).data),
              forward,
              `<w, gradWeight>: ${what}`,
            );
            expect(sum((gradBias as Tensor).data), what).toBeCloseTo(sum(gradOutput.data), 4);
          }
        }),
        { numRuns: RUNS },
      );
    });

    it(`${op}: the fast path equals the reference loop`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
          const { input, weight, options, gradOutput, description } = backwardCase(op, seed);
          const direct = BACKWARD[op](input, weight, gradOutput, { ...options, algorithm: 'direct' });
          const fast = BACKWARD[op](input, weight, gradOutput, { ...options, algorithm: 'auto' });
          for (const name of ['gradInput', 'gradWeight', 'gradBias']) {
            expectTensorClose(fast[name], direct[name], `${name}: ${description}`);
          }
        }),
        { numRuns: RUNS },
      );
    });

    it(`${op}: central finite differences in float64 on random coordinates match both gradients`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
          const { input, weight, options, gradOutput, description } = backwardCase(op, seed);
          const info = forwardInfo(op, input, weight, options);
          const gradients = BACKWARD[op](input, weight, gradOutput, { ...options, algorithm: 'direct' });
          const random = mulberry32(seed);
          const step = 1e-3;
          for (const [name, tensor] of [
            ['gradInput', input],
            ['gradWeight', weight],
          ] as const) {
            for (let probe = 0; probe < 3; probe++) {
              const coordinate = Math.floor(random() * tensor.data.length);
              const values = (sign: number) => {
                const moved = Float64Array.from(tensor.data);
                moved[coordinate] += sign * step;
                return moved;
              };
              const loss = (sign: number) =>
                name === 'gradInput'
                  ? lossByDefinition(info, values(sign), Float64Array.from(weight.data), gradOutput.data)
                  : lossByDefinition(info, Float64Array.from(input.data), values(sign), gradOutput.data);
              const difference = (loss(1) - loss(-1)) / (2 * step);
              const got = (gradients[name] as Tensor).data[coordinate];
              expect(Math.abs(got - difference), `${name}[${coordinate}]: ${description}`).toBeLessThanOrEqual(
                1e-5 * (1 + Math.abs(difference)),
              );
            }
          }
        }),
        { numRuns: Math.ceil(RUNS / 2) },
      );
    });
  }

  it('separableConv: the gradients of the input, of both weights and of both biases satisfy the adjoint identities', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const {
          operands: [input, weight, pointwiseWeight],
          options,
          description,
        } = fuzzCase('separableConv', seed, 2048);
        const { bias: _bias, depthwiseBias: _depthwiseBias, ...geometryOptions } = options;
        const pointwise = pointwiseWeight as Tensor;
        const random = mulberry32(seed ^ 0x27d4eb2f);
        const depthwiseBias = randomTensor(random, [weight.shape[0]]);
        const output = separableConv(input, weight, pointwise, geometryOptions);
        const gradOutput = randomTensor(random, output.shape);
        for (const algorithm of ALGORITHMS) {
          const what = `${description}, ${algorithm}`;
          const gradients = separableConvBackward(input, weight, pointwise, gradOutput, {
            ...geometryOptions,
            depthwiseBias,
            algorithm,
          });
          const linear = innerProduct(output.data, gradOutput.data);
          // y is linear in x and in the depthwise weight when the depthwise bias is zero...
          expectSameInnerProduct(innerProduct(input.data, gradients.gradInput.data), linear, `<x, gradInput>: ${what}`);
          expectSameInnerProduct(
            innerProduct(weight.data, gradients.gradDepthwiseWeight.data),
            linear,
            `<wd, gradDepthwiseWeight>: ${what}`,
          );
          // ...and in the pointwise weight with the depthwise bias, and in that bias alone.
          const withBias = separableConv(input, weight, pointwise, { ...geometryOptions, depthwiseBias });
          expectSameInnerProduct(
            innerProduct(pointwise.data, gradients.gradPointwiseWeight.data),
            innerProduct(withBias.data, gradOutput.data),
            `<wp, gradPointwiseWeight>: ${what}`,
          );
          const biasOnly = separableConv(
            { shape: input.shape, data: new Float32Array(input.data.length) },
            weight,
            pointwise,
            {
              ...geometryOptions,
              depthwiseBias,
            },
          );
          expectSameInnerProduct(
            innerProduct(depthwiseBias.data, gradients.gradDepthwiseBias.data),
            innerProduct(biasOnly.data, gradOutput.data),
            `<bd, gradDepthwiseBias>: ${what}`,
          );
          expect(sum(gradients.gradBias.data), what).toBeCloseTo(sum(gradOutput.data), 4);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
