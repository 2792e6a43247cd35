import type { ConvBackend } from '../../examples/backend';

/** The GPU backends the live blocks offer; `'auto'` lets `@convkit/gpu` pick the best available. */
export const GPU_MODES = ['auto', 'webgpu', 'webgl2', 'webgl', 'webasm', 'cpu'] as const;
export type GpuMode = (typeof GPU_MODES)[number];

/** A `@convkit/gpu` instance: the ops of {@link ConvBackend} plus the backend it runs on. */
export interface GpuBackend extends ConvBackend {
  /** The backend really in use (what `'auto'` settled on). */
  readonly mode: string;
  /** What it runs on: the GL renderer, the WebGPU adapter, `'WebAssembly'` or `'JavaScript'`. */
  readonly renderer?: string;
  /** True for a device backend rendering in software (SwiftShader in headless Chromium). */
  readonly software?: boolean;
  dispose(): void | Promise<void>;
}

const instances = new Map<GpuMode, Promise<GpuBackend>>();

/**
 * Loads `@convkit/gpu` (and with it gpu.js) on first use only, in the browser, and keeps one
 * instance per mode for the page's lifetime so kernels compiled for one run serve the next.
 */
export function loadGpu(mode: GpuMode): Promise<GpuBackend> {
  let instance = instances.get(mode);
  if (!instance) {
    instance = import(/* webpackChunkName: "convkit-gpu" */ '@convkit/gpu').then(
      async (gpu) => (await gpu.createGpu({ mode })) as unknown as GpuBackend,
    );
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
  const gpu: Record<string, unknown> = await import(/* webpackChunkName: "convkit-gpu" */ '@convkit/gpu');
  return !('unavailable' in gpu);
}

/** The `@convkit/gpu` module itself, for examples that import it by name. */
export function loadGpuModule(): Promise<unknown> {
  return import(/* webpackChunkName: "convkit-gpu" */ '@convkit/gpu');
}
