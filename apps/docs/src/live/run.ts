import type { ExampleResult } from '../../examples/backend';
import type { GpuMode } from './gpu';
import { runInWorker } from './worker-client';

/** One backend's run of an example. */
export interface BackendRun {
  /** `'core'` for the CPU reference, else the backend `@convkit/gpu` reports (`'webgl2'`, ...). */
  backend: string;
  /** The device under the backend, as `@convkit/gpu` reports it. */
  renderer?: string;
  result?: ExampleResult;
  error?: string;
  milliseconds: number;
}

/** Both columns of a live block and how far apart they are. */
export interface LiveRun {
  cpu: BackendRun;
  gpu?: BackendRun;
  /** Largest absolute difference between the CPU and GPU results, when both ran. */
  maxDifference?: number;
  /** True when a GPU run was asked for but this build of the site has no `@convkit/gpu`. */
  gpuNotInBuild?: boolean;
}

/** A live run in progress: what it will show, and the Stop button's action. */
export interface LiveRunHandle {
  done: Promise<LiveRun>;
  stop(): void;
}

/** Code that imports `@convkit/gpu` needs the page's canvas (gpu.js), so it runs in the page. */
export function importsGpu(source: string): boolean {
  return /from\s+['"]@convkit\/gpu['"]/.test(source);
}

/**
 * Runs a live example: on `@convkit/core` in a Web Worker with a time limit (stoppable), and,
 * only when the reader picked a GPU backend, on `@convkit/gpu` in the page, loaded on that first
 * use. The GPU run starts only after the CPU run finished in time, so code that never ends is
 * stopped in the worker before it can reach the page's thread.
 */
export function startLive(source: string, gpuMode: GpuMode | 'none'): LiveRunHandle {
  if (importsGpu(source)) {
    const done = import('./run-in-page').then(({ runInPage }) => runInPage(source, gpuMode));
    return { done, stop: () => {} };
  }
  const worker = runInWorker(source);
  const done = worker.done.then(async (response): Promise<LiveRun> => {
    const cpu: BackendRun = { backend: 'core', ...response };
    if (gpuMode === 'none' || cpu.error) return { cpu };
    const { runOnGpu } = await import('./run-in-page');
    return runOnGpu(source, gpuMode, cpu);
  });
  return { done, stop: worker.stop };
}
