import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import * as core from '@convkit/core';
import { ConvError, conv1d, tensor, type Tensor } from '@convkit/core';
import { ACCEPTED_CASES, BAD_INPUT_CASES, invalidCalls, mulberry32 } from '@convkit/testkit';

type AnyCall = (...args: unknown[]) => unknown;
const callOf = (op: string): AnyCall => (core as unknown as Record<string, AnyCall>)[op];

function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('bad input is refused with a ConvError before anything is computed (core)', () => {
  it.for(BAD_INPUT_CASES.map((entry) => [entry.name, entry] as const))('%s', ([, entry]) => {
    const args = entry.options === undefined ? entry.operands : [...entry.operands, entry.options];
    const started = performance.now();
    const error = thrown(() => callOf(entry.op)(...args));
    // A refusal returns at once whatever was asked: nothing was built first.
    expect(performance.now() - started).toBeLessThan(250);
    expect(error).toBeInstanceOf(ConvError);
    expect((error as ConvError).message).toBe(entry.message);
    expect((error as ConvError).arg).toBe(entry.arg);
  });
});

describe.each(['auto', 'direct'] as const)('odd calls accepted as PyTorch accepts them (core, %s)', (algorithm) => {
  const cases = ACCEPTED_CASES.filter((entry) => callOf(entry.op).length > 0);
  it.for(cases.map((entry) => [entry.name, entry] as const))('%s', ([, entry]) => {
    const options = { ...(entry.options as object), algorithm };
    const got = callOf(entry.op)(...entry.operands, options) as Tensor;
    expect(got.shape).toEqual(entry.outputShape);
    if (entry.outputData) expect(Array.from(got.data)).toEqual(entry.outputData);
  });
});

describe('tensors from elsewhere and hostile tensors', () => {
  it('accepts a Float32Array made in another realm (a vm context)', () => {
    const foreign = runInNewContext('new Float32Array([1, 2, 3])') as Float32Array;
    expect(foreign instanceof Float32Array).toBe(false);
    const got = conv1d({ shape: [1, 1, 3], data: foreign }, tensor([1, 1], [1, 1, 2]));
    expect(Array.from(got.data)).toEqual([3, 5]);
  });

  it('reads a shape once: a getter cannot validate one size and compute another', () => {
    let reads = 0;
    const data = new Float32Array(500).fill(1);
    const hostile = {
      get shape() {
        reads += 1;
        return reads === 1 ? [1, 1, 5] : [1, 1, 500];
      },
      data: data.subarray(0, 5),
    };
    for (const algorithm of ['auto', 'direct'] as const) {
      reads = 0;
      const got = conv1d(hostile, tensor([1, 1, 1], [1, 1, 3]), { algorithm });
      expect(reads).toBe(1);
      expect(got.shape).toEqual([1, 1, 3]);
      expect(Array.from(got.data)).toEqual([3, 3, 3]);
    }
  });

  it('reads each option once: a getter cannot validate one stride and compute with another', () => {
    let reads = 0;
    const options = {
      get stride() {
        reads += 1;
        return reads === 1 ? 1 : 0;
      },
    };
    const got = conv1d(tensor([1, 2, 3, 4], [1, 1, 4]), tensor([1, 1], [1, 1, 2]), options);
    expect(reads).toBe(1);
    expect(Array.from(got.data)).toEqual([3, 5, 7]);
  });

  it('never returns scratch of an earlier call: a larger call, then a hostile smaller one', () => {
    conv1d(tensor(new Array(4096).fill(7), [1, 1, 4096]), tensor([1, 1, 1], [1, 1, 3]));
    let reads = 0;
    const hostile = {
      get shape() {
        reads += 1;
        return reads === 1 ? [1, 1, 4] : [1, 1, 4096];
      },
      data: new Float32Array([1, 2, 3, 4]),
    };
    const got = conv1d(hostile, tensor([1, 1, 1], [1, 1, 3]));
    expect(Array.from(got.data)).toEqual([6, 9]);
  });
});

describe('a fuzzer of random invalid calls', () => {
  // Each call is a valid one with one fault put in (testkit's own rule): core must refuse it with
  // a ConvError, never a TypeError or RangeError, in a bounded message, at once.
  const calls = invalidCalls(mulberry32(11), 600);

  it('refuses every one with a ConvError of at most 400 characters, allocating nothing large first', () => {
    const faults = new Map<string, number>();
    for (const { op, args, fault } of calls) {
      const before = process.memoryUsage().arrayBuffers;
      const started = performance.now();
      const error = thrown(() => callOf(op)(...args));
      const elapsed = performance.now() - started;
      const grown = process.memoryUsage().arrayBuffers - before;
      const where = `${op} with ${fault}`;
      expect(error, where).toBeInstanceOf(ConvError);
      expect((error as ConvError).message.length, where).toBeLessThanOrEqual(400);
      expect(elapsed, where).toBeLessThan(100);
      expect(grown, where).toBeLessThan(16 * 2 ** 20);
      faults.set(fault, (faults.get(fault) ?? 0) + 1);
    }
    // The draw covers the faults: most kinds appear (a changed generator must keep doing so).
    expect(faults.size).toBeGreaterThan(40);
  });
});
