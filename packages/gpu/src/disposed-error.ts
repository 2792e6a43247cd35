import type { GpuMode } from './modes.js';

/**
 * The rejection of every call (an op, `upload`) made on a {@link Gpu} after its `dispose()`: the
 * kernels and the backend are gone. Create a new instance with `createGpu` instead.
 *
 * @example
 * ```ts
 * import { tensor } from '@convkit/core';
 * import { createGpu, GpuDisposedError } from '@convkit/gpu';
 * const gpu = await createGpu({ mode: 'cpu' });
 * await gpu.dispose();
 * const error = await gpu.conv(tensor([1, 2], [1, 1, 2]), tensor([1], [1, 1, 1])).catch((reason: unknown) => reason);
 * error instanceof GpuDisposedError; // true
 * (error as GpuDisposedError).mode; // 'cpu'
 * ```
 */
export class GpuDisposedError extends Error {
  override readonly name = 'GpuDisposedError';
  /** The backend of the disposed instance. */
  readonly mode: GpuMode;

  constructor(mode: GpuMode) {
    super(`@convkit/gpu: this '${mode}' instance was disposed; create a new one with createGpu`);
    this.mode = mode;
  }
}
