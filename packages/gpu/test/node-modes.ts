import type { GpuMode } from '@convkit/gpu';

/**
 * The backends CI reaches in Node. `headlessgl` needs the native `gl` addon and an X display:
 * the package's `test` script runs vitest under `xvfb-run`, so here it must work (a suite that
 * silently skipped it would prove nothing).
 */
export const NODE_MODES: readonly GpuMode[] = ['cpu', 'webasm', 'headlessgl'];

/** Largest error seen per backend and suite, printed at the end for the closing note. */
export function reportLine(suite: string, mode: string, passed: number, total: number, maxError: number): string {
  return `[@convkit/gpu] ${suite} on ${mode}: ${passed}/${total} passed, largest |error| ${maxError.toExponential(3)}`;
}
