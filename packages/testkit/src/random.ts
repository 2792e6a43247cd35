import type { Tensor } from './tensor.js';
import { convTransposeOutSize, isValidConv, outputPaddingLimit, type PaddingSpec } from './validity.js';

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

/** A random valid call of one op: its tensor operands in call order and its options, ready for core or gpu. */
export interface FuzzCase {
  readonly op: FuzzOp;
  readonly seed: number;
  /** `[input, weight]`, or `[input, depthwiseWeight, pointwiseWeight]` for a separable conv. */
  readonly operands: readonly Tensor[];
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

function randomPadding(random: () => number, rank: number, transposed: boolean): PaddingSpec {
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
 * form, padding modes, output padding and output size. Draws that testkit's own rule
 * (`validity.ts`, PyTorch's formulas) calls invalid are redrawn; core is never asked, so every
 * returned case is one core must accept.
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
    const geometry = { inSize, kernelSize: kernel, stride, dilation };
    const withBias = random() < 0.6;
    let inChannels = int(random, 1, 4);
    let weightShape: number[];
    let options: Record<string, unknown>;
    let pointwiseShape: number[] | undefined;
    let valid: boolean;
    const inShape = (channels: number) => (batched ? [batch, channels, ...inSize] : [channels, ...inSize]);
    const biasOf = (channels: number) => ({ shape: [channels], data: new Float32Array(channels) });
    if (op === 'conv' || op === 'convTranspose') {
      const groups = int(random, 1, 3);
      inChannels *= groups;
      const outPerGroup = int(random, 1, 3);
      const transposed = op === 'convTranspose';
      const padding = randomPadding(random, rank, transposed);
      options = { stride, dilation, groups, padding };
      if (transposed) {
        weightShape = [inChannels, outPerGroup, ...kernel];
        const roll = random();
        const limit = outputPaddingLimit(geometry);
        let outputPadding = new Array<number>(rank).fill(0);
        if (roll < 0.3) {
          outputPadding = limit.map((max) => int(random, 0, max));
          options.outputPadding = outputPadding;
        } else if (roll < 0.5) {
          const minimum = convTransposeOutSize(padding, outputPadding, geometry);
          options.outputSize = minimum.map((extent, axis) =>
            padding === 'same_upper' || padding === 'same_lower'
              ? Math.max(1, extent + int(random, -2, 2))
              : extent + int(random, 0, limit[axis]),
          );
        }
        if (withBias) options.bias = biasOf(outPerGroup * groups);
        const outSize =
          (options.outputSize as number[] | undefined) ?? convTransposeOutSize(padding, outputPadding, geometry);
        valid = outSize.every((extent) => extent >= 1);
      } else {
        weightShape = [outPerGroup * groups, inChannels / groups, ...kernel];
        const paddingMode = pick(random, ['zeros', 'zeros', 'reflect', 'replicate', 'circular']);
        options.paddingMode = paddingMode;
        if (withBias) options.bias = biasOf(outPerGroup * groups);
        valid = isValidConv(padding, paddingMode, geometry);
      }
    } else if (op === 'depthwiseConv') {
      const multiplier = int(random, 1, 3);
      weightShape = [inChannels * multiplier, 1, ...kernel];
      const padding = randomPadding(random, rank, false);
      const paddingMode = pick(random, ['zeros', 'reflect', 'replicate', 'circular']);
      options = { stride, dilation, padding, paddingMode };
      if (withBias) options.bias = biasOf(inChannels * multiplier);
      valid = isValidConv(padding, paddingMode, geometry);
    } else if (op === 'pointwiseConv') {
      const groups = int(random, 1, 3);
      inChannels *= groups;
      const outChannels = int(random, 1, 3) * groups;
      weightShape = [outChannels, inChannels / groups, ...new Array<number>(rank).fill(1)];
      options = { stride, groups };
      if (withBias) options.bias = biasOf(outChannels);
      valid = true;
    } else {
      const multiplier = int(random, 1, 2);
      const outChannels = int(random, 1, 4);
      weightShape = [inChannels * multiplier, 1, ...kernel];
      pointwiseShape = [outChannels, inChannels * multiplier, ...new Array<number>(rank).fill(1)];
      const padding = randomPadding(random, rank, false);
      const paddingMode = pick(random, ['zeros', 'reflect']);
      options = { stride, dilation, padding, paddingMode };
      if (withBias) options.bias = biasOf(outChannels);
      if (random() < 0.5) options.depthwiseBias = biasOf(inChannels * multiplier);
      valid = isValidConv(padding, paddingMode, geometry);
    }
    if (!valid) continue;
    const input = randomTensor(random, inShape(inChannels));
    const weight = randomTensor(random, weightShape);
    if (input.data.length > maxElements || weight.data.length > maxElements) continue;
    for (const name of ['bias', 'depthwiseBias']) {
      const bias = options[name] as Tensor | undefined;
      if (bias) options[name] = randomTensor(random, bias.shape);
    }
    const operands = pointwiseShape ? [input, weight, randomTensor(random, pointwiseShape)] : [input, weight];
    const shown = Object.fromEntries(
      Object.entries(options).map(([key, value]) => [
        key,
        (value as Tensor)?.data ? `[${(value as Tensor).shape.join(',')}]` : value,
      ]),
    );
    return {
      op,
      seed,
      operands,
      options,
      description: `${op} seed ${seed}: ${operands.map((operand) => `[${operand.shape.join(',')}]`).join(', ')}, ${JSON.stringify(shown)}`,
    };
  }
  throw new Error(`fuzzCase: no valid ${op} case found for seed ${seed}`);
}

/**
 * Calls `family[op](...operands, options)` with `this` = family: core's module namespace (a
 * tensor back) or a gpu instance (a promise back). Nothing here declares which ops a family has:
 * the case names its op, and a family that lacks it throws naming the op.
 */
export function runOp<Result = unknown>(
  family: object,
  op: string,
  operands: readonly unknown[],
  options?: unknown,
): Result {
  const entry = (family as Record<string, unknown>)[op];
  if (typeof entry !== 'function') throw new Error(`runOp: this backend offers no '${op}'`);
  const args = options === undefined ? operands : [...operands, options];
  return (entry as (...rest: unknown[]) => Result).call(family, ...args);
}

/**
 * Runs a fuzz case through any implementation of the family (core synchronously, a gpu instance
 * asynchronously), with `extraOptions` (e.g. `{ algorithm: 'direct' }` for core's reference) merged in.
 */
export function runFuzzCase<Result = unknown>(
  family: object,
  entry: FuzzCase,
  extraOptions: Record<string, unknown> = {},
): Result {
  return runOp<Result>(family, entry.op, entry.operands, { ...entry.options, ...extraOptions });
}
