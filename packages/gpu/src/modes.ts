import { gpujs } from './gpujs.js';

/** A backend of gpu.js, in the order `'auto'` tries them. */
export type GpuMode = 'webgpu' | 'webgl2' | 'webgl' | 'headlessgl' | 'webasm' | 'cpu';

/** What {@link createGpu} accepts: a backend, or `'auto'` for the first that really works. */
export type GpuModeRequest = 'auto' | GpuMode;

/**
 * Every backend, in the order `'auto'` tries them.
 *
 * @example
 * ```ts
 * import { GPU_MODES } from '@convkit/gpu';
 * GPU_MODES[0]; // 'webgpu'
 * ```
 */
export const GPU_MODES: readonly GpuMode[] = ['webgpu', 'webgl2', 'webgl', 'headlessgl', 'webasm', 'cpu'];

/**
 * Backends that run on a graphics device (real or software-rendered).
 *
 * @example
 * ```ts
 * import { DEVICE_MODES } from './modes.js';
 * DEVICE_MODES.includes('webasm'); // false
 * ```
 */
export const DEVICE_MODES: readonly GpuMode[] = ['webgpu', 'webgl2', 'webgl', 'headlessgl'];

/**
 * The backend a gpu.js kernel instance really belongs to, from its class (most derived first:
 * `HeadlessGLKernel` extends `WebGLKernel`). gpu.js swaps a kernel for a `CPUKernel` when its
 * backend cannot take it, so this is read after every run.
 *
 * @example
 * ```ts
 * import { GPU } from 'gpu.js';
 * import { kernelMode } from './modes.js';
 * const kernel = new GPU({ mode: 'cpu' }).createKernel(function () { return 1; }, { output: [1] });
 * kernelMode(kernel.kernel); // 'cpu'
 * ```
 */
export function kernelMode(kernel: unknown): GpuMode | 'unknown' {
  const kernelClassOf = (kernel as { constructor?: unknown } | null)?.constructor;
  // WebGPUKernel is exported by gpu.js 2.24.1 but missing from its type declarations.
  const library = gpujs as unknown as Record<string, unknown>;
  const classes: [unknown, GpuMode][] = [
    [library.HeadlessGLKernel, 'headlessgl'],
    [library.WebGL2Kernel, 'webgl2'],
    [library.WebGLKernel, 'webgl'],
    [library.WebGPUKernel, 'webgpu'],
    [library.WebAssemblyKernel, 'webasm'],
    [library.CPUKernel, 'cpu'],
  ];
  for (const [kernelClass, mode] of classes) {
    if (kernelClass !== undefined && kernelClassOf === kernelClass) return mode;
  }
  return 'unknown';
}

/**
 * Throws unless gpu.js really ran `kernel` on `mode`: it silently hands a kernel its backend
 * cannot compile to its CPU backend, which here is an error (naming gpu.js's reason), never a
 * quiet slowdown. Called after every kernel call.
 *
 * @example
 * ```ts
 * import { GPU } from 'gpu.js';
 * import { checkRanOn } from './modes.js';
 * const kernel = new GPU({ mode: 'cpu' }).createKernel(function () { return 1; }, { output: [1] });
 * kernel();
 * checkRanOn(kernel, 'cpu', 'conv'); // undefined
 * checkRanOn(kernel, 'webgl2', 'conv'); // throws Error: @convkit/gpu: gpu.js ran the conv kernel on 'cpu' instead of 'webgl2'
 * ```
 */
export function checkRanOn(kernel: { kernel: unknown }, mode: GpuMode, op: string): void {
  const ran = kernelMode(kernel.kernel);
  if (ran !== mode) {
    const reason = (kernel.kernel as { fallbackReason?: string }).fallbackReason;
    throw new Error(
      `@convkit/gpu: gpu.js ran the ${op} kernel on '${ran}' instead of '${mode}'${reason ? `: ${reason}` : ''}`,
    );
  }
}
