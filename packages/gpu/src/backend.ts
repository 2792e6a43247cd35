import type { GPU as GpuJs, IKernelRunShortcut } from 'gpu.js';
import { gpujs } from './gpujs.js';
import { PROBE_EXPECTED, PROBE_INPUT } from './kernels/probe.js';
import { PROBE_KERNEL_SOURCE } from './kernels/sources.generated.js';
import { DEVICE_MODES, kernelMode, type GpuMode } from './modes.js';

/**
 * The most elements one kernel call reads from one array or writes: 2^24. GL backends address
 * textures with float32 arithmetic, exact only up to 2^24; above it, the work is split.
 *
 * @example
 * ```ts
 * import { MAX_ELEMENTS_PER_CALL } from '@convkit/gpu';
 * MAX_ELEMENTS_PER_CALL; // 16777216
 * ```
 */
export const MAX_ELEMENTS_PER_CALL = 2 ** 24;

/** Renderer names of software rasterizers, which `'auto'` passes over for the CPU backends. */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|lavapipe|software|basic render/i;

/** A backend that answered the probe with the right numbers. */
export interface Backend {
  readonly mode: GpuMode;
  readonly gpu: GpuJs;
  /** What the backend runs on: the GL renderer, the WebGPU adapter, or `'JavaScript'`/`'WebAssembly'`. */
  readonly renderer: string;
  /** True where a device backend renders in software (SwiftShader, llvmpipe, a WebGPU fallback adapter). */
  readonly software: boolean;
  /** The most elements one kernel call may read or write on this backend. */
  readonly maxElementsPerCall: number;
  /** Render targets one GL draw can write (`MAX_DRAW_BUFFERS`: a kernel map's results); 1 elsewhere. */
  readonly drawBuffers: number;
}

/**
 * The rejection of {@link createGpu} when the backend asked for is unavailable; names what is
 * missing. `'auto'` never rejects with it (the cpu backend always starts).
 *
 * @example
 * ```ts
 * import { createGpu, GpuUnavailableError } from '@convkit/gpu';
 * let caught: unknown;
 * try {
 *   await createGpu({ mode: 'webgl2' }); // in Node: there is no canvas
 * } catch (error) {
 *   caught = error;
 * }
 * caught instanceof GpuUnavailableError ? caught.mode : 'started'; // 'webgl2'
 * ```
 */
export class GpuUnavailableError extends Error {
  override readonly name = 'GpuUnavailableError';
  readonly mode: GpuMode;

  constructor(mode: GpuMode, reason: string) {
    super(`@convkit/gpu: mode '${mode}' is not available: ${reason}`);
    this.mode = mode;
  }
}

interface WebGpuNavigator {
  gpu?: { requestAdapter(): Promise<WebGpuAdapter | null> };
}

interface WebGpuAdapter {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; description?: string; device?: string; isFallbackAdapter?: boolean };
  limits?: { maxStorageBufferBindingSize?: number };
}

interface GlContext {
  MAX_TEXTURE_SIZE: number;
  RENDERER: number;
  getExtension(name: string): { UNMASKED_RENDERER_WEBGL: number } | null;
  getParameter(name: number): unknown;
  getError(): number;
}

function webGpuNavigator(): WebGpuNavigator | undefined {
  return typeof navigator === 'undefined' ? undefined : (navigator as unknown as WebGpuNavigator);
}

/** Why a backend cannot even be tried here, or null when it can. */
function staticUnavailability(mode: GpuMode): string | null {
  const { GPU } = gpujs;
  switch (mode) {
    case 'webgpu':
      return webGpuNavigator()?.gpu
        ? null
        : typeof window === 'undefined'
          ? "navigator.gpu is missing; in Node, import createGpu from '@convkit/gpu/node', which installs Dawn (the 'webgpu' package) as navigator.gpu"
          : 'navigator.gpu is missing (in Chromium, WebGPU needs a secure context, and headless Chromium needs --enable-unsafe-webgpu)';
    case 'webgl2':
      return GPU.isWebGL2Supported
        ? null
        : 'no WebGL2 context could be created (it needs a browser canvas with WebGL2 enabled)';
    case 'webgl':
      return GPU.isWebGLSupported
        ? null
        : 'no WebGL context could be created (it needs a browser canvas with WebGL enabled)';
    case 'headlessgl':
      return GPU.isHeadlessGLSupported
        ? null
        : "headless GL needs the optional native 'gl' addon (built from source with build-essential, python3, libx11-dev, libxi-dev, libxext-dev and npm_config_nodedir) and an X display (run under xvfb-run); one of them is missing";
    case 'webasm':
      return GPU.isWebAssemblySupported ? null : 'WebAssembly is not supported here';
    default:
      return null;
  }
}

async function webGpuAdapter(): Promise<WebGpuAdapter> {
  const gpu = webGpuNavigator()?.gpu;
  // Only reached after modeUnavailable('webgpu') found navigator.gpu.
  if (!gpu)
    throw new Error('navigator.gpu is missing (WebGPU needs a browser with WebGPU enabled, or @convkit/gpu/node)');
  const adapter = await gpu.requestAdapter();
  if (!adapter) {
    throw new Error(
      'navigator.gpu exists but requestAdapter() answered null (no WebGPU adapter: headless Chromium needs --enable-unsafe-webgpu and a Vulkan or SwiftShader device)',
    );
  }
  return adapter;
}

/** `MAX_DRAW_BUFFERS` (WebGL2), which `WEBGL_draw_buffers` names `MAX_DRAW_BUFFERS_WEBGL` with the same value. */
const MAX_DRAW_BUFFERS = 0x8824;

function glDescription(context: GlContext): { renderer: string; maxTextureSize: number; drawBuffers: number } {
  const debugInfo = context.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(context.getParameter(debugInfo ? debugInfo.UNMASKED_RENDERER_WEBGL : context.RENDERER));
  // A WebGL1 context without the extension answers null (and records INVALID_ENUM, cleared here).
  const drawBuffers = Number(context.getParameter(MAX_DRAW_BUFFERS)) || 1;
  context.getError();
  return { renderer, maxTextureSize: Number(context.getParameter(context.MAX_TEXTURE_SIZE)), drawBuffers };
}

/** Mesa's software drivers, as shared objects a process maps when it renders through them. */
const SOFTWARE_GL_DRIVER = /(swrast|kms_swrast|softpipe|llvmpipe)_dri\.so|libvulkan_lvp\.so/;

/**
 * headless-gl reports its renderer as plain 'ANGLE', hiding the system GL underneath. On Linux the
 * driver shows in the process's memory map; Mesa's software rasterizer is `swrast_dri.so`.
 */
function nativeGlDriver(): string | null {
  const nodeProcess = (globalThis as { process?: { platform?: string; getBuiltinModule?: (name: string) => unknown } })
    .process;
  if (nodeProcess?.platform !== 'linux' || !nodeProcess.getBuiltinModule) return null;
  try {
    const fs = nodeProcess.getBuiltinModule('node:fs') as { readFileSync(path: string, encoding: string): string };
    const maps = fs.readFileSync('/proc/self/maps', 'utf8');
    const software = SOFTWARE_GL_DRIVER.exec(maps);
    if (software) return `Mesa software rasterizer (${software[0]})`;
    const driver = /[\w.-]*(_dri\.so|GLX_nvidia[\w.]*|libnvidia-glcore[\w.]*)/.exec(maps);
    return driver ? driver[0] : null;
  } catch {
    return null;
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Starts one gpu.js backend and proves it: runs a tiny kernel, checks its numbers, checks that
 * gpu.js did not hand the kernel to another backend, and for GL that it computes in float32.
 *
 * @throws {GpuUnavailableError} naming what is missing, as a rejection.
 * @example
 * ```ts
 * import { startBackend } from './backend.js';
 * const backend = await startBackend('cpu');
 * backend.renderer; // 'JavaScript'
 * ```
 */
export async function startBackend(mode: GpuMode): Promise<Backend> {
  const missing = staticUnavailability(mode);
  if (missing) throw new GpuUnavailableError(mode, missing);
  let adapter: WebGpuAdapter | undefined;
  let gpu: GpuJs | undefined;
  try {
    if (mode === 'webgpu') adapter = await webGpuAdapter();
    gpu = new gpujs.GPU({ mode });
    const kernel = gpu.createKernel(PROBE_KERNEL_SOURCE, {
      output: [PROBE_INPUT.length],
      precision: 'single',
      tactic: 'precision',
      asyncMode: true,
    }) as IKernelRunShortcut;
    const result = (await kernel(PROBE_INPUT)) as Float32Array;
    const ran = kernelMode(kernel.kernel);
    if (ran !== mode) throw new Error(`gpu.js ran the probe kernel on '${ran}' instead`);
    const precision = (kernel.kernel as { precision?: string }).precision;
    if (precision !== undefined && precision !== 'single') {
      throw new Error(
        `it computes in '${precision}' precision, not float32 (the float texture extensions are missing)`,
      );
    }
    const wrong = PROBE_EXPECTED.findIndex(
      (want, index) => Math.abs(result[index] - want) > 1e-6 * Math.max(1, Math.abs(want)),
    );
    if (wrong >= 0)
      throw new Error(`the probe kernel returned ${result[wrong]} at ${wrong}, want ${PROBE_EXPECTED[wrong]}`);
    let renderer = mode === 'cpu' ? 'JavaScript' : 'WebAssembly';
    let maxElementsPerCall = MAX_ELEMENTS_PER_CALL;
    let software = false;
    let drawBuffers = 1;
    if (mode === 'webgpu' && adapter) {
      const info = adapter.info ?? {};
      renderer =
        [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'WebGPU adapter';
      software = Boolean(adapter.isFallbackAdapter || info.isFallbackAdapter) || SOFTWARE_RENDERER.test(renderer);
      const storage = adapter.limits?.maxStorageBufferBindingSize;
      if (storage) maxElementsPerCall = Math.min(maxElementsPerCall, Math.floor(storage / 4));
    } else if (DEVICE_MODES.includes(mode)) {
      const described = glDescription((kernel.kernel as unknown as { context: GlContext }).context);
      const driver = mode === 'headlessgl' ? nativeGlDriver() : null;
      renderer = driver ? `${described.renderer} on ${driver}` : described.renderer;
      software = SOFTWARE_RENDERER.test(renderer);
      maxElementsPerCall = Math.min(maxElementsPerCall, described.maxTextureSize * described.maxTextureSize);
      drawBuffers = described.drawBuffers;
    }
    return { mode, gpu, renderer, software, maxElementsPerCall, drawBuffers };
  } catch (error) {
    if (gpu) await gpu.destroy().catch(() => undefined);
    throw new GpuUnavailableError(mode, describeError(error));
  }
}

/**
 * Builds a kernel the way the general and gradient runners all need it: float32 throughout
 * (`precision: 'single'`, `tactic: 'precision'`, so GL backends do not drop to half floats),
 * asynchronous, writing `output` elements and reading its loop bounds from `constants`.
 */
export function createFloatKernel(
  backend: Backend,
  source: string,
  output: number,
  constants: Record<string, number>,
): IKernelRunShortcut {
  return backend.gpu.createKernel(source, {
    output: [output],
    constants,
    precision: 'single',
    tactic: 'precision',
    asyncMode: true,
  }) as IKernelRunShortcut;
}
