import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_PATH, renderKernelSources } from '../scripts/kernel-sources.js';

describe('the kernel source strings', () => {
  it('are up to date with the kernel functions (run `pnpm --filter @convkit/gpu kernel-sources` after editing a kernel)', () => {
    expect(readFileSync(GENERATED_PATH, 'utf8')).toBe(renderKernelSources());
  });
});
