import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ConvError, tensor, type Tensor } from '@convkit/core';
import { ACCEPTED_CASES, BAD_INPUT_CASES, invalidCalls, mulberry32 } from '@convkit/testkit';
import { NODE_MODES, describeGpu } from './node-modes.js';

type AnyCall = (...args: unknown[]) => Promise<Tensor>;

async function rejection(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe.each(NODE_MODES)('bad input on %s', (mode) => {
  const gpu = describeGpu(mode);
  const callOf = (op: string): AnyCall => {
    const method = (gpu() as unknown as Record<string, AnyCall>)[op];
    return method.bind(gpu());
  };

  const refused = BAD_INPUT_CASES.filter((entry) => entry.backends === 'all');
  it.for(refused.map((entry) => [entry.name, entry] as const))('refuses: %s', async ([, entry]) => {
    const args = entry.options === undefined ? entry.operands : [...entry.operands, entry.options];
    const error = await rejection(() => callOf(entry.op)(...args));
    expect(error).toBeInstanceOf(ConvError);
    expect((error as ConvError).message).toBe(entry.message);
    expect((error as ConvError).arg).toBe(entry.arg);
  });

  const accepted = ACCEPTED_CASES.filter((entry) => entry.backends === 'all');
  it.for(accepted.map((entry) => [entry.name, entry] as const))('accepts: %s', async ([, entry]) => {
    const before = gpu().cachedKernels;
    const got = await callOf(entry.op)(...entry.operands, entry.options);
    expect(got.shape).toEqual(entry.outputShape);
    if (entry.outputData) expect(Array.from(got.data)).toEqual(entry.outputData);
    // An empty batch compiles nothing.
    if (entry.fault === 'empty batch') expect(gpu().cachedKernels).toBe(before);
  });

  it('accepts a Float32Array made in another realm (a vm context), plain and uploaded', async () => {
    const foreign = runInNewContext('new Float32Array([1, 2, 3])') as Float32Array;
    const input = { shape: [1, 1, 3], data: foreign };
    const weight = tensor([1, 1], [1, 1, 2]);
    expect(Array.from((await gpu().conv1d(input, weight)).data)).toEqual([3, 5]);
    expect(Array.from((await gpu().conv1d(await gpu().upload(input), weight)).data)).toEqual([3, 5]);
  });

  it('reads a shape once: a getter cannot validate one size and compute another', async () => {
    let reads = 0;
    const hostile = {
      get shape() {
        reads += 1;
        return reads === 1 ? [1, 1, 5] : [1, 1, 500];
      },
      data: new Float32Array(5).fill(1),
    };
    const got = await gpu().conv1d(hostile, tensor([1, 1, 1], [1, 1, 3]));
    expect(reads).toBe(1);
    expect(Array.from(got.data)).toEqual([3, 3, 3]);
  });

  it('refuses random invalid calls with a ConvError of at most 400 characters', async () => {
    for (const { op, args, fault } of invalidCalls(mulberry32(29), 150)) {
      const error = await rejection(() => callOf(op)(...args));
      expect(error, `${op} with ${fault}`).toBeInstanceOf(ConvError);
      expect((error as ConvError).message.length, `${op} with ${fault}`).toBeLessThanOrEqual(400);
    }
  });
});
