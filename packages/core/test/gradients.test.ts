import { describe, expect, it } from 'vitest';
import { convBackward, convTransposeBackward, type Tensor } from '@convkit/core';
import { CPU_TOLERANCE, compareTensors, EXACT } from '../../testkit/src/index.js';
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
    it.each(cases.map((c) => [c.id, c] as const))(`%s (${algorithm})`, (_id, c) => {
      const backward = c.kind === 'conv' ? convBackward : convTransposeBackward;
      const got = backward(c.input, c.weight, c.gradOutput, { ...c.options, algorithm }) as Record<string, Tensor>;
      for (const name of ['gradInput', 'gradWeight', 'gradBias'] as const) {
        const comparison = compareTensors(got[name], c.expected[name], c.exact ? EXACT : CPU_TOLERANCE);
        expect(comparison.ok, `${name}: ${comparison.message}`).toBe(true);
      }
    });
  }
});
