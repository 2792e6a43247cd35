/**
 * `@convkit/gpu/node`: the same API as `@convkit/gpu`, plus WebGPU in Node through Dawn (the
 * `webgpu` package's `dawn.node`). {@link createGpu} from here installs Dawn as `navigator.gpu`
 * before gpu.js looks for it, when the mode is `'webgpu'` or `'auto'`. Dawn's prebuilt
 * `dawn.node` needs glibc 2.38+ (and a matching libstdc++); where it does not load, `'webgpu'`
 * rejects naming the loader's error and `'auto'` goes on to the next backend.
 *
 * @module
 */
import { createGpuWith, type CreateGpuOptions, type Gpu } from './create-gpu.js';
import type { GpuMode } from './modes.js';

export { GPU_MODES, type GpuMode, type GpuModeRequest } from './modes.js';
export { GpuUnavailableError, MAX_ELEMENTS_PER_CALL } from './backend.js';
export { GpuDisposedError } from './disposed-error.js';
export { DEFAULT_MAX_CACHED_KERNELS } from './runner.js';
export type { CreateGpuOptions, Gpu, GpuOps, SkippedMode } from './create-gpu.js';

/** What the `webgpu` package (or a `dawn.node` loaded by hand) exports. */
export interface DawnModule {
  create(flags: string[]): DawnGpu;
  globals: Record<string, unknown>;
}

/** Dawn's `GPU` object: what becomes `navigator.gpu`. */
export interface DawnGpu {
  requestAdapter(options?: unknown): Promise<DawnAdapter | null>;
  [member: string]: unknown;
}

interface DawnAdapter {
  requestDevice(descriptor?: unknown): Promise<DawnDevice>;
  [member: string]: unknown;
}

interface DawnDevice {
  addEventListener?: (type: string, listener: (event: unknown) => void) => void;
  removeEventListener?: (type: string, listener: (event: unknown) => void) => void;
  [member: string]: unknown;
}

/** Options of {@link installDawn}. */
export interface InstallDawnOptions {
  /** A Dawn module already loaded (e.g. `createRequire(import.meta.url)('./dawn.node')` in a bundle); default: `import('webgpu')`. */
  dawn?: DawnModule;
  /** Dawn toggles, e.g. `['enable-dawn-features=allow_unsafe_apis']`. */
  flags?: string[];
}

let installed: DawnGpu | null = null;
let installedNavigator = false;
let loadFailure: string | null = null;

function glibcVersion(): string {
  const report = (process as { report?: { getReport(): { header?: { glibcVersionRuntime?: string } } } }).report;
  return report?.getReport().header?.glibcVersionRuntime ?? 'unknown';
}

/**
 * Dawn rejects a JS function assigned to `device.onuncapturederror`, which gpu.js assigns: give
 * every device a plain accessor for it that keeps the handler and, where Dawn offers
 * `addEventListener`, listens through that instead.
 */
function patchDevice(device: DawnDevice): DawnDevice {
  let handler: ((event: unknown) => void) | null = null;
  Object.defineProperty(device, 'onuncapturederror', {
    configurable: true,
    enumerable: true,
    get: () => handler,
    set: (value: unknown) => {
      if (handler) device.removeEventListener?.('uncapturederror', handler);
      handler = typeof value === 'function' ? (value as (event: unknown) => void) : null;
      if (handler) device.addEventListener?.('uncapturederror', handler);
    },
  });
  return device;
}

/** Wraps an object so `name` answers `replacement`, other members bound to the original. */
function override<T extends object>(target: T, name: string, replacement: unknown): T {
  try {
    Object.defineProperty(target, name, { configurable: true, writable: true, value: replacement });
    return target;
  } catch {
    return new Proxy(target, {
      get(object, property) {
        if (property === name) return replacement;
        const value = Reflect.get(object, property, object) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
      },
    });
  }
}

function wrapGpu(gpu: DawnGpu): DawnGpu {
  const requestAdapter = gpu.requestAdapter.bind(gpu);
  return override(gpu, 'requestAdapter', async (options?: unknown) => {
    const adapter = await requestAdapter(options);
    if (!adapter) return adapter;
    const requestDevice = adapter.requestDevice.bind(adapter);
    return override(adapter, 'requestDevice', async (descriptor?: unknown) =>
      patchDevice(await requestDevice(descriptor)),
    );
  });
}

/**
 * Loads Dawn and installs it as `navigator.gpu` (with WebGPU's globals such as `GPUBufferUsage`),
 * unless a `navigator.gpu` already exists. Idempotent.
 *
 * @throws {Error} (as a rejection) naming the loader's error and this system's glibc, when
 * `dawn.node` does not load.
 * @example
 * ```ts
 * import { installDawn } from '@convkit/gpu/node';
 * await installDawn(); // rejects on glibc < 2.38
 * typeof (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu; // 'object'
 * ```
 */
export async function installDawn(options: InstallDawnOptions = {}): Promise<void> {
  const host = globalThis as { navigator?: { gpu?: unknown } };
  if (installed || host.navigator?.gpu) return;
  let dawn = options.dawn;
  if (!dawn) {
    try {
      dawn = (await import('webgpu')) as unknown as DawnModule;
    } catch (error) {
      loadFailure = `Dawn (the 'webgpu' package's dawn.node) failed to load: ${error instanceof Error ? error.message : String(error)} (its prebuilt binary needs glibc 2.38+ and GLIBCXX_3.4.32; this system has glibc ${glibcVersion()})`;
      throw new Error(`@convkit/gpu/node: ${loadFailure}`);
    }
  }
  Object.assign(globalThis, dawn.globals);
  installed = wrapGpu(dawn.create(options.flags ?? []));
  if (host.navigator) {
    Object.defineProperty(host.navigator, 'gpu', { configurable: true, enumerable: true, value: installed });
  } else {
    host.navigator = { gpu: installed };
    installedNavigator = true;
  }
  loadFailure = null;
}

/**
 * Removes the Dawn instance {@link installDawn} installed, so that nothing keeps a Node process
 * alive once every device is destroyed. The Node entry's `dispose()` calls it after the last
 * WebGPU instance.
 *
 * @example
 * ```ts
 * import { installDawn, uninstallDawn } from '@convkit/gpu/node';
 * await installDawn();
 * uninstallDawn();
 * (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu; // undefined
 * ```
 */
export function uninstallDawn(): void {
  if (!installed) return;
  const host = globalThis as { navigator?: { gpu?: unknown } };
  if (installedNavigator) delete host.navigator;
  else if (host.navigator) delete host.navigator.gpu;
  installed = null;
  installedNavigator = false;
}

let webGpuInstances = 0;

/**
 * `createGpu` of `@convkit/gpu`, with WebGPU through Dawn: for `'webgpu'` and `'auto'` it first
 * installs Dawn as `navigator.gpu` (see {@link installDawn}). An explicit `'webgpu'` whose Dawn
 * does not load rejects naming the loader's error; `'auto'` records it and tries the next backend.
 * `dispose()` of the last WebGPU instance destroys the device and uninstalls Dawn, so the process
 * exits by itself.
 *
 * @example
 * ```ts
 * import { tensor } from '@convkit/core';
 * import { createGpu } from '@convkit/gpu/node';
 * const gpu = await createGpu({ mode: 'webgpu' }); // on a machine where Dawn loads
 * const output = await gpu.conv(tensor([1, 2, 3, 4, 5], [1, 1, 5]), tensor([1, 0, -1], [1, 1, 3]), { padding: 1 });
 * output.data; // Float32Array [-2, -2, -2, -2, 4]
 * await gpu.dispose();
 * ```
 */
export async function createGpu(options?: CreateGpuOptions & InstallDawnOptions): Promise<Gpu> {
  const mode = options && typeof options === 'object' ? options.mode : undefined;
  const unavailable: Partial<Record<GpuMode, string>> = {};
  if (mode === undefined || mode === 'auto' || mode === 'webgpu') {
    try {
      await installDawn({ dawn: options?.dawn, flags: options?.flags });
    } catch {
      unavailable.webgpu = loadFailure ?? 'Dawn failed to load';
    }
  }
  const gpu = await createGpuWith(options, {
    unavailable,
    afterDispose: async (disposedMode) => {
      if (disposedMode !== 'webgpu') return;
      webGpuInstances -= 1;
      if (webGpuInstances === 0) uninstallDawn();
    },
  });
  if (gpu.mode === 'webgpu') webGpuInstances += 1;
  else if (webGpuInstances === 0) uninstallDawn();
  return gpu;
}
