import { describe, expect, it } from 'vitest';
import * as core from '@convkit/core';
import { CPU_TOLERANCE } from '../../testkit/src/index.js';
import { compareGradientCase } from '../../testkit/src/gradient-compare.js';
import { loadGradientCases } from '../../testkit/src/gradients.js';

const cases = loadGradientCases();

describe("PyTorch's gradients (fixtures/gradients), on both algorithms", () => {
  it('has at least 60 cases covering every rank and both ops', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    for (const rank of [1, 2, 3]) {
      for (const kind of ['conv', 'convTranspose']) {
        expect(cases.some((c) => c.kind === kind && c.weight.shape.length === rank + 2)).toBe(true);
      }
    }
  });

  for (const algorithm of ['direct', 'auto'] as const) {
    it.each(cases.map((c) => [c.id, c] as const))(`%s (${algorithm})`, async (_id, c) => {
      const comparison = await compareGradientCase(core, c, CPU_TOLERANCE, { algorithm });
      expect(comparison.ok, comparison.message).toBe(true);
    });
  }
});
