import * as core from '@convkit/core';
import type { ExampleResult } from '../../examples/backend';
import { compileExample } from './compile';
import { coreBackend } from './core-backend';
import { maxDifference } from './compare';
import { gpuInBuild, loadGpu, loadGpuModule, type GpuMode } from './gpu';
import { checkResult } from './result';
import { importsGpu, type BackendRun, type LiveRun } from './run';

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function timed(backend: string, run: () => Promise<ExampleResult>): Promise<BackendRun> {
  const start = performance.now();
  try {
    const result = checkResult(await run());
    return { backend, result, milliseconds: performance.now() - start };
  } catch (error) {
    return { backend, error: message(error), milliseconds: performance.now() - start };
  }
}

/**
 * The GPU column: compiles the example in the page and runs it on `@convkit/gpu` (loaded on this
 * first use), then compares with the CPU run.
 */
export async function runOnGpu(source: string, gpuMode: GpuMode, cpu: BackendRun): Promise<LiveRun> {
  if (!(await gpuInBuild())) return { cpu, gpuNotInBuild: true };
  let example: ReturnType<typeof compileExample>;
  let gpuBackend: Awaited<ReturnType<typeof loadGpu>>;
  try {
    const modules: Record<string, unknown> = { '@convkit/core': core };
    if (importsGpu(source)) modules['@convkit/gpu'] = await loadGpuModule();
    example = compileExample(source, modules);
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

/** Code that imports `@convkit/gpu` itself: both columns in the page (gpu.js needs its canvas). */
export async function runInPage(source: string, gpuMode: GpuMode | 'none'): Promise<LiveRun> {
  let example: ReturnType<typeof compileExample>;
  try {
    example = compileExample(source, { '@convkit/core': core, '@convkit/gpu': await loadGpuModule() });
  } catch (error) {
    return { cpu: { backend: 'core', error: message(error), milliseconds: 0 } };
  }
  const cpu = await timed('core', () => example(coreBackend));
  return gpuMode === 'none' || cpu.error ? { cpu } : runOnGpu(source, gpuMode, cpu);
}
