import type { ViteUserConfig } from 'vitest/config';

/**
 * Tests read the workspace *sources* of @convkit packages through the '@convkit/source' export
 * condition, so `test` never waits on `build`. Every package's vitest config spreads this in.
 */
export const workspaceSources: Pick<ViteUserConfig, 'resolve' | 'ssr'> = {
  resolve: { conditions: ['@convkit/source'] },
  ssr: { resolve: { conditions: ['@convkit/source'] } },
};

type CoverageOptions = NonNullable<NonNullable<ViteUserConfig['test']>['coverage']>;

/**
 * Line/branch/function coverage with vitest's v8 provider over a package's `src/`, measured when the
 * package's `test` script passes `--coverage` (so a single test file run alone is not held to the
 * package's thresholds). The summary prints with the test output; the HTML/JSON report goes to
 * `coverage/`, which git ignores. Thresholds are floors that hold today: raise them as tests grow.
 */
export function sourceCoverage(
  thresholds: { lines: number; branches: number; functions: number; statements: number },
  exclude: string[] = [],
): CoverageOptions {
  return {
    provider: 'v8',
    include: ['src/**/*.ts'],
    exclude: ['src/**/*.generated.ts', ...exclude],
    reporter: ['text-summary', 'json-summary', 'html'],
    reportsDirectory: 'coverage',
    thresholds,
  };
}
