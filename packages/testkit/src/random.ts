import {
  ConvError,
  convInfo,
  convTransposeInfo,
  type ConvOptions,
  type ConvTransposeOptions,
  type Padding,
  type PaddingMode,
  type Tensor,
} from '@convkit/core';

/** mulberry32: a tiny seeded generator, the same one the benchmark workloads name. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** A tensor of values uniform in [-1, 1). */
export function randomTensor(random: () => number, shape: readonly number[]): Tensor {
  const size = shape.reduce((product, extent) => product * extent, 1);
  const data = new Float32Array(size);
  for (let index = 0; index < size; index++) data[index] = random() * 2 - 1;
  return { shape: [...shape], data };
}

export type FuzzOp = 'conv' | 'convTranspose' | 'depthwiseConv' | 'pointwiseConv' | 'separableConv';
export const FUZZ_OPS: readonly FuzzOp[] = ['conv', 'convTranspose', 'depthwiseConv', 'pointwiseConv', 'separableConv'];

/** A random valid call of one op: its tensors and options, ready to pass to core or gpu. */
export interface FuzzCase {
  readonly op: FuzzOp;
  readonly seed: number;
  readonly input: Tensor;
  readonly weight: Tensor;
  /** Second weight of a separable conv (the pointwise one). */
  readonly pointwiseWeight?: Tensor;
  readonly options: Record<string, unknown>;
  readonly description: string;
}

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)];
}

function int(random: () => number, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}

function perDim(random: () => number, rank: number, low: number, high: number): number[] {
  return Array.from({ length: rank }, () => int(random, low, high));
}

function randomPadding(random: () => number, rank: number, transposed: boolean): Padding {
  const choice = int(random, 0, transposed ? 4 : 6);
  switch (choice) {
    case 0:
      return int(random, 0, 2);
    case 1:
      return perDim(random, rank, 0, 2);
    case 2:
      return Array.from({ length: rank }, () => [int(random, 0, 2), int(random, 0, 2)] as [number, number]);
    case 3:
      return 'same_upper';
    case 4:
      return transposed ? 'same_lower' : 'valid';
    case 5:
      return 'same_lower';
    default:
      return 'same';
  }
}

/**
 * Random valid cases: ranks 1-3, batch or unbatched, groups, stride, dilation, every padding
 * form, padding modes, output padding and output size. Invalid draws are redrawn, so every
 * returned case passes core's validation.
 */
export function fuzzCase(op: FuzzOp, seed: number, maxElements = 4096): FuzzCase {
  const random = mulberry32(seed);
  for (let attempt = 0; attempt < 1000; attempt++) {
    const rank = int(random, 1, 3);
    const batched = random() < 0.8;
    const batch = int(random, 1, 2);
    const spatialMax = rank === 3 ? 5 : rank === 2 ? 8 : 12;
    const inSize = perDim(random, rank, 1, spatialMax);
    const kernel = perDim(random, rank, 1, rank === 3 ? 3 : 4);
    const stride = perDim(random, rank, 1, 3);
    const dilation = perDim(random, rank, 1, 3);
    const withBias = random() < 0.6;
    let inChannels = int(random, 1, 4);
    let weightShape: number[];
    let options: Record<string, unknown>;
    let pointwiseShape: number[] | undefined;
    const inShape = (channels: number) => (batched ? [batch, channels, ...inSize] : [channels, ...inSize]);
    try {
      if (op === 'conv' || op === 'convTranspose') {
        const groups = int(random, 1, 3);
        inChannels *= groups;
        const outPerGroup = int(random, 1, 3);
        const transposed = op === 'convTranspose';
        options = { stride, dilation, groups, padding: randomPadding(random, rank, transposed) };
        if (transposed) {
          weightShape = [inChannels, outPerGroup, ...kernel];
          const roll = random();
          const limit = stride.map((step, axis) => Math.max(step, dilation[axis]) - 1);
          if (roll < 0.3) options.outputPadding = limit.map((max) => int(random, 0, max));
          else if (roll < 0.5) {
            const probe = convTransposeInfo(inShape(inChannels), weightShape, { ...options } as ConvTransposeOptions);
            const minimum = probe.outSize;
            options.outputSize = minimum.map((extent, axis) =>
              options.padding === 'same_upper' || options.padding === 'same_lower'
                ? Math.max(1, extent + int(random, -2, 2))
                : extent + int(random, 0, limit[axis]),
            );
          }
          if (withBias) options.bias = { shape: [outPerGroup * groups], data: new Float32Array(outPerGroup * groups) };
          convTransposeInfo(inShape(inChannels), weightShape, options as ConvTransposeOptions);
        } else {
          weightShape = [outPerGroup * groups, inChannels / groups, ...kernel];
          options.paddingMode = pick<PaddingMode>(random, ['zeros', 'zeros', 'reflect', 'replicate', 'circular']);
          if (withBias) options.bias = { shape: [outPerGroup * groups], data: new Float32Array(outPerGroup * groups) };
          convInfo(inShape(inChannels), weightShape, options as ConvOptions);
        }
      } else if (op === 'depthwiseConv') {
        const multiplier = int(random, 1, 3);
        weightShape = [inChannels * multiplier, 1, ...kernel];
        options = {
          stride,
          dilation,
          padding: randomPadding(random, rank, false),
          paddingMode: pick<PaddingMode>(random, ['zeros', 'reflect', 'replicate', 'circular']),
        };
        if (withBias)
          options.bias = { shape: [inChannels * multiplier], data: new Float32Array(inChannels * multiplier) };
        convInfo(inShape(inChannels), weightShape, { ...options, groups: inChannels } as ConvOptions);
      } else if (op === 'pointwiseConv') {
        const groups = int(random, 1, 3);
        inChannels *= groups;
        const outChannels = int(random, 1, 3) * groups;
        weightShape = [outChannels, inChannels / groups, ...new Array<number>(rank).fill(1)];
        options = { stride, groups };
        if (withBias) options.bias = { shape: [outChannels], data: new Float32Array(outChannels) };
        convInfo(inShape(inChannels), weightShape, options as ConvOptions);
      } else {
        const multiplier = int(random, 1, 2);
        const outChannels = int(random, 1, 4);
        weightShape = [inChannels * multiplier, 1, ...kernel];
        pointwiseShape = [outChannels, inChannels * multiplier, ...new Array<number>(rank).fill(1)];
        options = {
          stride,
          dilation,
          padding: randomPadding(random, rank, false),
          paddingMode: pick<PaddingMode>(random, ['zeros', 'reflect']),
        };
        if (withBias) options.bias = { shape: [outChannels], data: new Float32Array(outChannels) };
        if (random() < 0.5)
          options.depthwiseBias = { shape: [inChannels * multiplier], data: new Float32Array(inChannels * multiplier) };
        convInfo(inShape(inChannels), weightShape, {
          ...options,
          bias: options.depthwiseBias,
          groups: inChannels,
        } as ConvOptions);
      }
    } catch (error) {
      if (error instanceof ConvError) continue;
      throw error;
    }
    const input = randomTensor(random, inShape(inChannels));
    const weight = randomTensor(random, weightShape);
    if (input.data.length > maxElements || weight.data.length > maxElements) continue;
    for (const name of ['bias', 'depthwiseBias']) {
      const bias = options[name] as Tensor | undefined;
      if (bias) options[name] = randomTensor(random, bias.shape);
    }
    const pointwiseWeight = pointwiseShape ? randomTensor(random, pointwiseShape) : undefined;
    const shown = Object.fromEntries(
      Object.entries(options).map(([key, value]) => [
        key,
        (value as Tensor)?.data ? `[${(value as Tensor).shape.join(',')}]` : value,
      ]),
    );
    return {
      op,
      seed,
      input,
      weight,
      pointwiseWeight,
      options,
      description: `${op} seed ${seed}: input [${input.shape.join(',')}], weight [${weight.shape.join(',')}]${pointwiseWeight ? `, pointwise [${pointwiseWeight.shape.join(',')}]` : ''}, ${JSON.stringify(shown)}`,
    };
  }
  throw new Error(`fuzzCase: no valid ${op} case found for seed ${seed}`);
}

/** The five ops of the family, as core exports them and as a `Gpu` instance offers them. */
export interface ConvFamily<Result> {
  conv(input: Tensor, weight: Tensor, options?: never): Result;
  convTranspose(input: Tensor, weight: Tensor, options?: never): Result;
  depthwiseConv(input: Tensor, weight: Tensor, options?: never): Result;
  pointwiseConv(input: Tensor, weight: Tensor, options?: never): Result;
  separableConv(input: Tensor, depthwiseWeight: Tensor, pointwiseWeight: Tensor, options?: never): Result;
}

/**
 * Runs a fuzz case through any implementation of the family (core synchronously, a gpu instance
 * asynchronously), with `extraOptions` (e.g. `{ algorithm: 'direct' }` for core's reference) merged in.
 */
export function runFuzzCase<Result>(
  family: ConvFamily<Result>,
  entry: FuzzCase,
  extraOptions: Record<string, unknown> = {},
): Result {
  const options = { ...entry.options, ...extraOptions } as never;
  switch (entry.op) {
    case 'conv':
      return family.conv(entry.input, entry.weight, options);
    case 'convTranspose':
      return family.convTranspose(entry.input, entry.weight, options);
    case 'depthwiseConv':
      return family.depthwiseConv(entry.input, entry.weight, options);
    case 'pointwiseConv':
      return family.pointwiseConv(entry.input, entry.weight, options);
    default:
      if (!entry.pointwiseWeight) throw new Error('runFuzzCase: a separableConv case needs its pointwiseWeight');
      return family.separableConv(entry.input, entry.weight, entry.pointwiseWeight, options);
  }
}
