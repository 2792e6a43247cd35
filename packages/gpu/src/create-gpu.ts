import { type BackwardFamily, OP_NAMES, OP_TABLE, type OpFamily, type OpName, type Tensor } from '@convkit/core';
import { gpujs } from './gpujs.js';
import { GpuUnavailableError, MAX_ELEMENTS_PER_CALL, startBackend, type Backend } from './backend.js';
import { GPU_MODES, type GpuMode, type GpuModeRequest } from './modes.js';
import { runOp, runOpOnDevice } from './ops/run-op.js';
import { runBackwardOp } from './ops/run-backward.js';
import { GradientRunner } from './gradient-runner.js';
import { ConvolutionRunner, DEFAULT_MAX_CACHED_KERNELS } from './runner.js';
import { GpuDisposedError } from './disposed-error.js';
import { Uploader, type GpuTensor } from './gpu-tensor.js';

/** Options of {@link createGpu}. */
export interface CreateGpuOptions {
  /** The backend, or `'auto'` (the default) for the first that really works. */
  mode?: GpuModeRequest;
  /**
   * The most elements one kernel call may read from an array or write; larger work is split over
   * batch items, groups and output channels. Defaults to the backend's limit (at most 2^24).
   * Lower it to exercise the splitting.
   */
  maxElementsPerCall?: number;
  /**
   * The most compiled kernels kept (one per distinct shape record, plus one per extra residency
   * signature of uploaded operands). Default {@link DEFAULT_MAX_CACHED_KERNELS} (32). Beyond it, a
   * pseudo-random one of the least recently used three quarters is destroyed and freed, so cycling
   * through a few more shapes than fit costs a few recompiles, not one per call. Raise it for a
   * model with many distinct layer shapes; each kernel holds a compiled program and its output
   * buffer or texture.
   */
  maxCachedKernels?: number;
}

/** A backend that tried and what stopped it, as `'auto'` saw it. */
export interface SkippedMode {
  readonly mode: GpuMode;
  readonly reason: string;
}

/**
 * Every op of core's op table (`OP_TABLE`) with core's signature, asynchronous, and with
 * {@link GpuTensor} handles accepted wherever a tensor goes: derived from the table, so an op added
 * there is a method here.
 */
export type GpuOps = OpFamily<Promise<Tensor>, Tensor | GpuTensor>;

/**
 * The backward of every op of core's op table (`convBackward`, `conv2dBackward`, ...,
 * `separableConvBackward`) with core's signature, asynchronous, handles accepted: derived from the
 * table through core's `BackwardFamily`, so an op added there gets its backward here.
 */
export type GpuBackwardOps = BackwardFamily<true, Tensor | GpuTensor>;

/**
 * Every op of {@link GpuOps} with the same signature, resolving to a {@link GpuTensor} that stays
 * on the device for the next op to read in place (see {@link Gpu.resident}).
 */
export type GpuResidentOps = OpFamily<Promise<GpuTensor>, Tensor | GpuTensor>;

/**
 * The convolution family on one gpu.js backend: every conv entry point of `@convkit/core`
 * ({@link GpuOps}). Every op takes core's options, validates through core's shape module and the
 * op table's resolver (so errors are core's `ConvError`s, delivered as rejections) and resolves to
 * a core `Tensor`. Calls run one at a time, in call order.
 */
export interface Gpu extends GpuOps, GpuBackwardOps {
  /** The backend in use. */
  readonly mode: GpuMode;
  /** What it runs on: the GL renderer string, the WebGPU adapter, `'WebAssembly'` or `'JavaScript'`. */
  readonly renderer: string;
  /** True where the backend is a device backend rendering in software. */
  readonly software: boolean;
  /** The backends `'auto'` tried before this one, and why each was passed over. */
  readonly skipped: readonly SkippedMode[];
  /**
   * How many kernels are cached: one per distinct shape record (on the general kernel, one per
   * residency signature of its uploaded operands; on the packed path of the device backends, one
   * per record for its pack, convolution and merge kernels together), plus the gradient kernels.
   * Each cache holds at most `maxCachedKernels`.
   */
  readonly cachedKernels: number;
  /**
   * Copies a tensor to this instance once, for ops to read in place of the tensor (input, weight,
   * bias, separable's weights and biases) without uploading it on every call. The handle holds a
   * snapshot: changing `tensor.data` afterwards changes nothing (upload again instead). On device
   * backends the data stays on the device (a texture, a storage buffer); on `webasm` and `cpu`, and
   * for a tensor above the per-call limit, the handle holds a private host copy. Work split over
   * several calls reads the input's host copy. Plain tensors are still read afresh on every call.
   *
   * @example
   * ```ts
   * import { tensor } from '@convkit/core';
   * import { createGpu } from '@convkit/gpu';
   * const gpu = await createGpu({ mode: 'cpu' });
   * const weight = await gpu.upload(tensor([1, 0, -1], [1, 1, 3]));
   * (await gpu.conv(tensor([1, 2, 3, 4], [1, 1, 4]), weight)).data; // Float32Array [-2, -2]
   * (await gpu.conv(tensor([4, 3, 2, 1], [1, 1, 4]), weight)).data; // Float32Array [2, 2]
   * weight.dispose();
   * ```
   */
  upload(tensor: Tensor): Promise<GpuTensor>;
  /**
   * Core's `conv` on this backend: convolution of any rank, taken from the weight's.
   *
   * @example
   * ```ts
   * import { tensor } from '@convkit/core';
   * import { createGpu } from '@convkit/gpu';
   * const gpu = await createGpu({ mode: 'cpu' });
   * const output = await gpu.conv(tensor([1, 2, 3, 4, 5], [1, 1, 5]), tensor([1, 0, -1], [1, 1, 3]), { padding: 1 });
   * output.data; // Float32Array [-2, -2, -2, -2, 4]
   * ```
   */
  conv: GpuOps['conv'];
  /**
   * Core's `conv1d` on this backend: {@link Gpu.conv} with the rank checked (rejects as core's `conv1d` throws).
   *
   * @example
   * ```ts
   * import { tensor } from '@convkit/core';
   * import { createGpu } from '@convkit/gpu';
   * const gpu = await createGpu({ mode: 'cpu' });
   * (await gpu.conv1d(tensor([1, 2, 3, 4], [1, 1, 4]), tensor([1, 1], [1, 1, 2]))).data; // Float32Array [3, 5, 7]
   * ```
   */
  conv1d: GpuOps['conv1d'];
  /**
   * Core's `conv2d` on this backend: {@link Gpu.conv} with the rank checked.
   *
   * @example
   * ```ts
   * import { tensor } from '@convkit/core';
   * import { createGpu } from '@convkit/gpu';
   * const gpu = await createGpu({ mode: 'cpu' });
   * (await gpu.conv2d(tensor([1, 2, 3, 4], [1, 1, 2, 2]), tensor([1, 1, 1, 1], [1, 1, 2, 2]))).data; // Float32Array [10]
   * ```
   */
  conv2d: GpuOps['conv2d'];
  /**
   * Core's `conv3d` on this backend: {@link Gpu.conv} with the rank checked.
   *
   * @example
   * ```ts
   * import { tensor } from '@convkit/core';
   * import { createGpu } from '@convkit/gpu';
   * const gpu = await createGpu({ mode: 'cpu' });
   * const output = await gpu.conv3d(tensor([1, 2, 3, 4, 5, 6, 7, 8], [1, 1, 2, 2, 2]), tensor(new Array(8).fill(1), [1, 1, 2, 2, 2]));
   * output.data; // Float32Array [36]
   * ```
   */
  conv3d: GpuOps['conv3d'];
  /**
   * Core's `convTranspose` on this backend: the transposed convolution of any rank, in its gather form.
   *
   * @example
   * ```ts
   * import { tensor } from '@convkit/core';
   * import { createGpu } from '@convkit/gpu';
   * const gpu = await createGpu({ mode: 'cpu' });
   * const output = await gpu.convTranspose(tensor([1, 10], [1, 1, 2]), tensor([1, 2, 3], [1, 1, 3]), { stride: 2 });
   * output.data; // Float32Array [1, 2, 13, 20, 30]
   * ```
   */
  convTranspose: GpuOps['convTranspose'];
  /**
   * Core's `convTranspose1d` on this backend: {@link Gpu.convTranspose} with the rank checked.
   *
   * @example
   * ```ts
   * import { tensor } from '@convkit/core';
   * import { createGpu } from '@convkit/gpu';
   * const gpu = await createGpu({ mode: 'cpu' });
   * (await gpu.convTranspose1d(tensor([1, 2], [1, 1, 2]), tensor([1, 1], [1, 1, 2]), { stride: 2 })).data; // Float32Array [1, 1, 2, 2]
   * ```
   */
  convTranspose1d: GpuOps['convTranspose1d'];
  /**
   * Core's `convTranspose2d` on this backend: {@link Gpu.convTranspose} with the rank checked.
   *
   * @example
   * ```ts
   * import { tensor } from '@convkit/core';
   * import { createGpu } from '@convkit/gpu';
   * const gpu = await createGpu({ mode: 'cpu' });
   * (await gpu.convTranspose2d(tensor([1], [1, 1, 1, 1]), tensor([1, 2, 3, 4], [1, 1, 2, 2]))).data; // Float32Array [1, 2, 3, 4]
   * ```
   */
  convTranspose2d: GpuOps['convTranspose2d'];
  /**
   * Core's `convTranspose3d` on this backend: {@link Gpu.convTranspose} with the rank checked.
   *
   * @example
   * ```ts
   * import { tensor } from '@convkit/core';
   * import { createGpu } from '@convkit/gpu';
   * const gpu = await createGpu({ mode: 'cpu' });
   * (await gpu.convTranspose3d(tensor([1], [1, 1, 1, 1, 1]), tensor(new Array(8).fill(1), [1, 1, 2, 2, 2]))).shape; // [1, 1, 2, 2, 2]
   * ```
   */
  convTranspose3d: GpuOps['convTranspose3d'];
  /**
   * Core's `depthwiseConv` on this backend: the convolution kernel with one group per input channel.
   *
   * @example
   * ```ts
   * import { tensor } from '@convkit/core';
   * import { createGpu } from '@convkit/gpu';
   * const gpu = await createGpu({ mode: 'cpu' });
   * const output = await gpu.depthwiseConv(tensor([1, 2, 3, 10, 20, 30], [1, 2, 3]), tensor([1, 1, -1, 1], [2, 1, 2]));
   * output.data; // Float32Array [3, 5, 10, 10]
   * ```
   */
  depthwiseConv: GpuOps['depthwiseConv'];
  /**
   * Core's `pointwiseConv` on this backend: the convolution kernel with a 1x1 kernel.
   *
   * @example
   * ```ts
   * import { tensor } from '@convkit/core';
   * import { createGpu } from '@convkit/gpu';
   * const gpu = await createGpu({ mode: 'cpu' });
   * const output = await gpu.pointwiseConv(tensor([1, 2, 3, 4], [1, 2, 2]), tensor([1, 1, 1, -1], [2, 2, 1]));
   * output.data; // Float32Array [4, 6, -2, -2]
   * ```
   */
  pointwiseConv: GpuOps['pointwiseConv'];
  /**
   * Core's `separableConv` on this backend: both stages validated before either runs, then the
   * depthwise stage and the pointwise stage on its output.
   *
   * @example
   * ```ts
   * import { tensor } from '@convkit/core';
   * import { createGpu } from '@convkit/gpu';
   * const gpu = await createGpu({ mode: 'cpu' });
   * const input = tensor([1, 2, 3, 10, 20, 30], [1, 2, 3]);
   * const output = await gpu.separableConv(input, tensor([1, 1, 1, 1], [2, 1, 2]), tensor([1, 1], [1, 2, 1]));
   * output.data; // Float32Array [33, 55]
   * ```
   */
  separableConv: GpuOps['separableConv'];
  /**
   * Every op, resolving to a {@link GpuTensor} kept on the device instead of a host tensor, so a
   * stack of layers makes one upload and one readback: pass the handle to the next op, then call
   * its `read()` (one readback). On the GL backends (webgl2, webgl, headlessgl) the result of a
   * non-transposed convolution stays in the packed column layout (4 columns per texel), which a
   * pointwise convolution reads with no pack pass; an op that cannot read that layout reads it
   * back once. Elsewhere (webgpu, whose `Array(4)` results gpu.js cannot pipe on; transposed
   * convolutions; webasm, cpu) the result is computed as by the plain op and uploaded as by
   * {@link Gpu.upload}. `separableConv` keeps its depthwise output on the device in every case
   * where the runner can, resident or not. Dispose the handles you no longer need.
   *
   * @example
   * ```ts
   * import { tensor } from '@convkit/core';
   * import { createGpu } from '@convkit/gpu';
   * const gpu = await createGpu({ mode: 'cpu' });
   * const hidden = await gpu.resident.conv(tensor([1, 2, 3, 4], [1, 1, 4]), tensor([1, 1], [1, 1, 2]));
   * const output = await gpu.resident.pointwiseConv(hidden, tensor([2, -1], [2, 1, 1]));
   * (await output.read()).data; // Float32Array [6, 10, 14, -3, -5, -7]
   * hidden.dispose();
   * output.dispose();
   * ```
   */
  readonly resident: GpuResidentOps;
  /**
   * Frees the kernels and the backend (for WebGPU, the device once no other instance uses it), so
   * a Node process exits by itself. Later calls (ops, `upload`) reject with a
   * {@link GpuDisposedError}. Idempotent.
   */
  dispose(): Promise<void>;
}

/** Live WebGPU instances: gpu.js shares one device among them, destroyed with the last. */
let webGpuUsers = 0;

async function releaseBackend(backend: Backend): Promise<void> {
  await backend.gpu.destroy();
  if (backend.mode === 'webgpu') {
    webGpuUsers -= 1;
    const { WebGPUContext } = gpujs as unknown as { WebGPUContext?: { destroy(): Promise<void> } };
    if (webGpuUsers === 0) await WebGPUContext?.destroy();
  }
}

/** What an environment-specific entry (`@convkit/gpu/node`) tells {@link createGpuWith}. */
export interface EnvironmentHooks {
  /** Backends known to be unavailable here, with the reason to report instead of probing. */
  readonly unavailable?: Partial<Record<GpuMode, string>>;
  /** Runs after an instance on this backend is disposed. */
  readonly afterDispose?: (mode: GpuMode) => Promise<void>;
}

async function start(mode: GpuMode, hooks: EnvironmentHooks): Promise<Backend> {
  const reason = hooks.unavailable?.[mode];
  if (reason !== undefined) throw new GpuUnavailableError(mode, reason);
  return startBackend(mode);
}

async function chooseBackend(
  request: GpuModeRequest,
  hooks: EnvironmentHooks,
): Promise<{ backend: Backend; skipped: SkippedMode[] }> {
  if (request !== 'auto') return { backend: await start(request, hooks), skipped: [] };
  const skipped: SkippedMode[] = [];
  for (const mode of GPU_MODES) {
    let backend: Backend;
    try {
      backend = await start(mode, hooks);
    } catch (error) {
      skipped.push({ mode, reason: error instanceof Error ? error.message : String(error) });
      continue;
    }
    if (backend.software) {
      // Software GL/WebGPU is 10-50x slower than the WebAssembly backend on the same CPU.
      skipped.push({ mode, reason: `software renderer (${backend.renderer}); a CPU backend is faster` });
      await backend.gpu.destroy().catch(() => undefined);
      continue;
    }
    return { backend, skipped };
  }
  // Unreachable in practice: the cpu backend always starts.
  throw new GpuUnavailableError('cpu', skipped.map(({ mode, reason }) => `${mode}: ${reason}`).join('; '));
}

function checkRequest(options: unknown): {
  mode: GpuModeRequest;
  maxElementsPerCall?: number;
  maxCachedKernels?: number;
} {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new TypeError(
      `createGpu: options must be an object, got ${Array.isArray(options) ? 'an array' : String(options)}`,
    );
  }
  const { mode = 'auto', maxElementsPerCall, maxCachedKernels } = (options ?? {}) as CreateGpuOptions;
  if (mode !== 'auto' && !GPU_MODES.includes(mode)) {
    throw new TypeError(
      `createGpu: mode must be 'auto' or one of ${GPU_MODES.map((name) => `'${name}'`).join(', ')}, got ${JSON.stringify(mode)}`,
    );
  }
  if (maxElementsPerCall !== undefined && !(Number.isInteger(maxElementsPerCall) && maxElementsPerCall > 0)) {
    throw new TypeError(`createGpu: maxElementsPerCall must be a positive integer, got ${String(maxElementsPerCall)}`);
  }
  if (maxCachedKernels !== undefined && !(Number.isInteger(maxCachedKernels) && maxCachedKernels > 0)) {
    throw new TypeError(`createGpu: maxCachedKernels must be a positive integer, got ${String(maxCachedKernels)}`);
  }
  return { mode, maxElementsPerCall, maxCachedKernels };
}

/**
 * Starts the convolution family on a gpu.js backend. `'auto'` tries webgpu, webgl2, webgl,
 * headlessgl, webasm and cpu in that order and takes the first that computes a probe kernel
 * correctly, but passes over device backends that render in software (SwiftShader, llvmpipe, a
 * WebGPU fallback adapter), for which the WebAssembly backend is faster. An explicit mode is
 * always honoured, or rejected with a {@link GpuUnavailableError} naming what is missing; there is
 * never a silent fallback.
 *
 * Large tensors: a kernel call reads and writes at most `maxElementsPerCall` elements per array
 * (2^24, or less where the backend's texture or buffer limits say so); larger work is split over
 * batch items, groups and output channels. Work that cannot be split that far (one channel plane
 * or one group's input above the limit, or the weight) is rejected with a `ConvError`, never
 * computed wrong.
 *
 * @example
 * ```ts
 * import { tensor } from '@convkit/core';
 * import { createGpu } from '@convkit/gpu';
 * const gpu = await createGpu({ mode: 'auto' });
 * gpu.mode; // e.g. 'webgl2' in a browser with a GPU, 'webasm' in Node
 * const image = tensor(Array.from({ length: 16 }, (_, i) => i), [1, 1, 4, 4]);
 * const blur = tensor(new Array(9).fill(1 / 9), [1, 1, 3, 3]);
 * const smoothed = await gpu.conv(image, blur, { padding: 'same' });
 * smoothed.shape; // [1, 1, 4, 4]
 * await gpu.dispose();
 * ```
 */
export function createGpu(options?: CreateGpuOptions): Promise<Gpu> {
  return createGpuWith(options, {});
}

/**
 * {@link createGpu} with an environment's hooks; the Node entry passes what it knows about Dawn.
 *
 * @example
 * ```ts
 * import { createGpuWith } from './create-gpu.js';
 * const gpu = await createGpuWith({ mode: 'auto' }, { unavailable: { webgpu: 'Dawn failed to load' } });
 * gpu.skipped[0]; // { mode: 'webgpu', reason: "@convkit/gpu: mode 'webgpu' is not available: Dawn failed to load" }
 * ```
 */
export async function createGpuWith(options: CreateGpuOptions | undefined, hooks: EnvironmentHooks): Promise<Gpu> {
  const request = checkRequest(options);
  const { backend, skipped } = await chooseBackend(request.mode, hooks);
  if (backend.mode === 'webgpu') webGpuUsers += 1;
  const limit = Math.min(backend.maxElementsPerCall, request.maxElementsPerCall ?? MAX_ELEMENTS_PER_CALL);
  const runner = new ConvolutionRunner(backend, limit, request.maxCachedKernels ?? DEFAULT_MAX_CACHED_KERNELS);
  const gradients = new GradientRunner(backend, limit, runner);
  let queue: Promise<unknown> = Promise.resolve();
  let disposed = false;
  // Calls run one at a time: a cached kernel is never in two calls at once.
  const enqueue = <T>(work: () => Promise<T>): Promise<T> => {
    if (disposed) return Promise.reject(new GpuDisposedError(backend.mode));
    const result = queue.then(work, work);
    queue = result.catch(() => undefined);
    return result;
  };
  const uploader = new Uploader(backend, limit, runner, (release) => {
    queue = queue.then(release).catch(() => undefined);
  });
  // One method per op of the table, each a queued call of the one runner entry.
  // One entry per op of the table: the operands, then the options, run in call order. The plain
  // ops resolve to a host tensor; `resident` keeps the result on the device (the column layout
  // where it is there, else an upload).
  const entry =
    <Result>(run: (op: OpName, operands: never, options: never) => Promise<Result>) =>
    (op: OpName) =>
    (...args: unknown[]) => {
      const { length } = OP_TABLE[op].operands;
      return enqueue(() => run(op, args.slice(0, length) as never, args[length] as never));
    };
  const opEntry = entry((op, operands, options) => runOp(runner, op, operands, options));
  const ops = Object.fromEntries(OP_NAMES.map((op) => [op, opEntry(op)])) as unknown as GpuOps;
  const residentEntry = entry(async (op, operands, options) => {
    const result = await runOpOnDevice(runner, op, operands, options, { keep: true });
    return result.columns
      ? uploader.keep(result.tensor.shape, result.columns, enqueue)
      : uploader.upload(result.tensor);
  });
  const resident = Object.fromEntries(OP_NAMES.map((op) => [op, residentEntry(op)])) as unknown as GpuResidentOps;
  // And its backward: the operands, then gradOutput, then the options.
  const backwardEntry =
    (op: OpName) =>
    (...args: unknown[]) => {
      const { length } = OP_TABLE[op].operands;
      return enqueue(() =>
        runBackwardOp(gradients, op, args.slice(0, length) as never, args[length] as never, args[length + 1] as never),
      );
    };
  const backwardOps = Object.fromEntries(
    OP_NAMES.map((op) => [`${op}Backward`, backwardEntry(op)]),
  ) as unknown as GpuBackwardOps;
  return {
    mode: backend.mode,
    renderer: backend.renderer,
    software: backend.software,
    skipped,
    get cachedKernels() {
      return runner.cachedKernels + gradients.cachedKernels;
    },
    upload: (tensor) => enqueue(() => uploader.upload(tensor)),
    resident,
    ...ops,
    ...backwardOps,
    async dispose() {
      if (disposed) return;
      disposed = true;
      await queue;
      uploader.dispose();
      gradients.dispose();
      runner.dispose();
      await releaseBackend(backend);
      await hooks.afterDispose?.(backend.mode);
    },
  };
}
