import type { Gpu } from '@convkit/gpu';

/** The GPU backends the live blocks offer; `'auto'` lets `@convkit/gpu` pick the best available. */
export const GPU_MODES = ['auto', 'webgpu', 'webgl2', 'webgl', 'webasm', 'cpu'] as const;
export type GpuMode = (typeof GPU_MODES)[number];

/** A `@convkit/gpu` instance: every op of the table (a `ConvBackend`) plus the backend it runs on. */
export type GpuBackend = Gpu;

const instances = new Map<GpuMode, Promise<GpuBackend>>();

/**
 * Loads `@convkit/gpu` (and with it gpu.js) on first use only, in the browser, and keeps one
 * instance per mode for the page's lifetime so kernels compiled for one run serve the next.
 */
export function loadGpu(mode: GpuMode): Promise<GpuBackend> {
  let instance = instances.get(mode);
  if (!instance) {
    instance = import('@convkit/gpu').then((gpu) => gpu.createGpu({ mode }));
    instance.catch(() => instances.delete(mode));
    instances.set(mode, instance);
  }
  return instance;
}

/**
 * Whether this build of the site carries `@convkit/gpu`: the static build and a build made before
 * the package existed resolve it to a stub that says so (`unavailable`).
 */
export async function gpuInBuild(): Promise<boolean> {
  const gpu: Record<string, unknown> = await import('@convkit/gpu');
  return !('unavailable' in gpu);
}

/** The `@convkit/gpu` module itself, for examples that import it by name. */
export function loadGpuModule(): Promise<unknown> {
  return import('@convkit/gpu');
}
