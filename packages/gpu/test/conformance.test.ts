import { afterAll, describe, expect, it } from 'vitest';
import * as core from '@convkit/core';
import { loadConformanceCases } from '@convkit/testkit/node';
import { compareConformanceCase } from './checks.js';
import { NODE_MODES, reportLine, describeGpu } from './node-modes.js';

const cases = loadConformanceCases(core);

describe.each(NODE_MODES)('the shared conformance vectors on %s', (mode) => {
  const gpu = describeGpu(mode);
  let passed = 0;
  let maxError = 0;
  afterAll(() => console.log(reportLine('conformance', mode, passed, cases.length, maxError)));

  it('run on the backend asked for, not a fallback', () => {
    expect(gpu().mode).toBe(mode);
    expect(cases.length).toBe(190);
  });

  it.each(cases.map((entry) => [entry.id, entry] as const))('%s matches the third-party output', async (_, entry) => {
    const comparison = await compareConformanceCase(gpu(), entry);
    maxError = Math.max(maxError, comparison.maxAbsError);
    expect(comparison.ok, comparison.message).toBe(true);
    passed += 1;
  });
});
