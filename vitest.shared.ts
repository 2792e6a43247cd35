import type { ViteUserConfig } from 'vitest/config';

/**
 * Tests read the workspace *sources* of @convkit packages through the '@convkit/source' export
 * condition, so `test` never waits on `build`. Every package's vitest config spreads this in.
 */
export const workspaceSources: Pick<ViteUserConfig, 'resolve' | 'ssr'> = {
  resolve: { conditions: ['@convkit/source'] },
  ssr: { resolve: { conditions: ['@convkit/source'] } },
};
