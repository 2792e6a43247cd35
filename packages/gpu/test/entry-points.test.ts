import { describe, expect, it } from 'vitest';
import { OP_NAMES, OP_TABLE } from '@convkit/core';
import { ERROR_CASES } from '@convkit/testkit';
import { compareEntryPoints, VALID_CALLS } from './entry-point-cases.js';
import { NODE_MODES, describeGpu } from './node-modes.js';

describe('the entry points core offers', () => {
  it('are every op of the table, each with a valid case', () => {
    expect(Object.keys(VALID_CALLS).sort()).toEqual([...OP_NAMES].sort());
    expect(OP_NAMES).toEqual([
      'conv',
      'conv1d',
      'conv2d',
      'conv3d',
      'convTranspose',
      'convTranspose1d',
      'convTranspose2d',
      'convTranspose3d',
      'depthwiseConv',
      'pointwiseConv',
      'separableConv',
    ]);
  });

  // The invalid calls are testkit's shared error cases, which this package runs on every mode.
  const errorCasesOf = (op: string) => ERROR_CASES.filter((entry) => entry.op === op && entry.backends === 'all');

  it('each have a shared error case for options that are not an object', () => {
    for (const op of OP_NAMES)
      expect(
        errorCasesOf(op).some(
          (entry) => Array.isArray(entry.options) && /options must be an object/.test(entry.message),
        ),
        op,
      ).toBe(true);
  });

  it('each have a shared wrong-rank error case where the op checks the rank', () => {
    const ranked = OP_NAMES.filter((op) => OP_TABLE[op].spatialRank !== undefined);
    expect(ranked).toHaveLength(6);
    for (const op of ranked)
      expect(
        errorCasesOf(op).some((entry) => /-D tensors/.test(entry.name)),
        op,
      ).toBe(true);
  });
});

describe.each(NODE_MODES)('every entry point on %s', (mode) => {
  const gpu = describeGpu(mode);
  const maxError = { value: 0 };

  it('is a method of the Gpu', () => {
    for (const op of OP_NAMES) expect(typeof gpu()[op]).toBe('function');
  });

  it('matches core (plain and uploaded tensors)', async () => {
    const failures = await compareEntryPoints(gpu(), maxError);
    expect(failures).toEqual([]);
    expect(maxError.value).toBeLessThan(1e-3);
  });
});
