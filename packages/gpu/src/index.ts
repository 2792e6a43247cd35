/**
 * `@convkit/gpu`: the whole convolution family of `@convkit/core` (standard, group, dilated,
 * strided and transposed convolution in 1-D, 2-D and 3-D, every padding form and padding mode;
 * depthwise, pointwise and separable) as gpu.js kernels on WebGPU, WebGL2, WebGL, headless GL,
 * WebAssembly or plain JavaScript, with core's options, core's validation and core's results.
 *
 * @module
 */
export {
  createGpu,
  type CreateGpuOptions,
  type Gpu,
  type GpuOps,
  type GpuBackwardOps,
  type GpuResidentOps,
  type SkippedMode,
} from './create-gpu.js';
export type { GpuTensor, WithGpuTensors } from './gpu-tensor.js';
export { GpuUnavailableError, MAX_ELEMENTS_PER_CALL } from './backend.js';
export { GpuDisposedError } from './disposed-error.js';
export { DEFAULT_MAX_CACHED_KERNELS } from './runner.js';
export { GPU_MODES, type GpuMode, type GpuModeRequest } from './modes.js';
