import * as core from '@convkit/core';
import type { ExampleResult } from '../../examples/backend';
import { compileExample } from './compile';
import { maxDifference } from './compare';
import { gpuInBuild, loadGpu, loadGpuModule, type GpuMode } from './gpu';

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

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function timed(backend: string, run: () => Promise<ExampleResult>): Promise<BackendRun> {
  const start = performance.now();
  try {
    const result = await run();
    return { backend, result, milliseconds: performance.now() - start };
  } catch (error) {
    return { backend, error: message(error), milliseconds: performance.now() - start };
  }
}

/**
 * Compiles and runs a live example on `@convkit/core` and, when `gpuMode` is given, on
 * `@convkit/gpu` too (loaded on first use), and measures both and their difference.
 */
export async function runLive(source: string, gpuMode: GpuMode | 'none'): Promise<LiveRun> {
  const modules: Record<string, unknown> = { '@convkit/core': core };
  if (/from\s+['"]@convkit\/gpu['"]/.test(source)) {
    try {
      modules['@convkit/gpu'] = await loadGpuModule();
    } catch (error) {
      return { cpu: { backend: 'core', error: message(error), milliseconds: 0 } };
    }
  }
  let example: ReturnType<typeof compileExample>;
  try {
    example = compileExample(source, modules);
  } catch (error) {
    return { cpu: { backend: 'core', error: message(error), milliseconds: 0 } };
  }
  const cpu = await timed('core', () => example(core));
  if (gpuMode === 'none') return { cpu };
  if (!(await gpuInBuild())) return { cpu, gpuNotInBuild: true };
  let gpuBackend: Awaited<ReturnType<typeof loadGpu>>;
  try {
    gpuBackend = await loadGpu(gpuMode);
  } catch (error) {
    return { cpu, gpu: { backend: gpuMode, error: message(error), milliseconds: 0 } };
  }
  const gpu = await timed(gpuBackend.mode, () => example(gpuBackend));
  if (gpuBackend.renderer)
    gpu.renderer = gpuBackend.software ? `${gpuBackend.renderer} (software)` : gpuBackend.renderer;
  const difference = cpu.result && gpu.result ? maxDifference(cpu.result, gpu.result) : undefined;
  return { cpu, gpu, maxDifference: difference };
}
