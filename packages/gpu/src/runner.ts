import { ConvError, markPaddingNaNs, paddingNaNsApply, type ConvInfo, type Tensor } from '@convkit/core';
import { formatShape, sizeOf } from '@convkit/core/shape';
import type { GPU as GpuJs, IKernelRunShortcut, KernelVariable } from 'gpu.js';
import { type Backend, createFloatKernel } from './backend.js';
import { keptOperand, type Operand } from './gpu-tensor.js';
import { CONVOLUTION_KERNEL_SOURCE } from './kernels/sources.generated.js';
import { convolutionGeometry, type ConvolutionGeometry } from './kernels/geometry.js';
import { kernelMode } from './modes.js';
import { PackedConvolutions, type PackedKernelChoices } from './kernels/packed-conv-runner.js';

/** How one convolution is split into kernel calls, each within the backend's per-call limit. */
export interface CallPlan {
  /** Work units (batch item, group) whose input one call reads. */
  readonly unitsPerCall: number;
  /** Output planes (channels of one batch item) one call writes. */
  readonly planesPerCall: number;
}

/**
 * Compiled kernels a {@link Gpu} instance keeps by default (`createGpu({ maxCachedKernels })`
 * changes it). A kernel holds a GL program and textures, a WebGPU pipeline and buffers, or a
 * WebAssembly module and worker pool; beyond this many, one of the older kernels is destroyed and
 * freed, so a stream of distinct shapes never exhausts the device or the heap.
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_CACHED_KERNELS } from '@convkit/gpu';
 * DEFAULT_MAX_CACHED_KERNELS; // 32
 * ```
 */
export const DEFAULT_MAX_CACHED_KERNELS = 32;

/**
 * Picks the shape to evict from a full cache, given the cached shapes from least to most recently
 * used: a pseudo-random one of the oldest three quarters. Strict LRU has a cliff: cycling through
 * one shape more than the cache holds evicts each shape just before its next use, so every call
 * recompiles. A random pick among the older shapes degrades smoothly instead (about 90% hits
 * cycling 33 shapes through 32 places, 50% at 40), while the most recently used quarter, a hot
 * working set, is never evicted. Deterministic: the sequence of a xorshift generator.
 *
 * @example
 * ```ts
 * import { EvictionPicker } from './runner.js';
 * const picker = new EvictionPicker();
 * picker.pick(8) < 6; // true: one of the 6 least recently used of 8
 * ```
 */
export class EvictionPicker {
  private state = 0x9e3779b9;

  /** An index in `[0, ceil(3 * count / 4))`, counted from the least recently used. */
  pick(count: number): number {
    // xorshift32: fast, deterministic, and uniform enough for choosing a victim.
    this.state ^= this.state << 13;
    this.state ^= this.state >>> 17;
    this.state ^= this.state << 5;
    return (this.state >>> 0) % Math.ceil((3 * count) / 4);
  }
}

/**
 * Destroys a compiled kernel and lets it be collected. gpu.js's GL and WebAssembly kernels remove
 * themselves from their GPU's list of kernels when destroyed; its CPU kernels do not, so the GPU
 * instance would keep every destroyed CPU kernel (its compiled function and output buffers) alive.
 */
function destroyKernel(gpu: GpuJs, shortcut: IKernelRunShortcut): void {
  const kernel = shortcut.kernel;
  shortcut.destroy();
  const kernels = (gpu as unknown as { kernels?: unknown[] }).kernels;
  const index = kernels ? kernels.indexOf(kernel) : -1;
  if (kernels && index >= 0) kernels.splice(index, 1);
}

/**
 * Splits a convolution so that no call reads or writes more than `limit` elements of one array:
 * whole (batch item, group) units while they fit, else runs of output channels of one unit.
 *
 * @throws {ConvError} when even one channel's input or output plane, or the weight, exceeds the limit.
 * @example
 * ```ts
 * import { convInfo } from '@convkit/core';
 * import { convolutionGeometry } from './kernels/geometry.js';
 * import { planCalls } from './runner.js';
 * const info = convInfo([4, 2, 8, 8], [6, 2, 3, 3], {});
 * planCalls(info, convolutionGeometry(info), 256); // { unitsPerCall: 1, planesPerCall: 6 }
 * ```
 */
export function planCalls(info: ConvInfo, geometry: ConvolutionGeometry, limit: number): CallPlan {
  const { inUnitSize, outPlane } = geometry.constants;
  const shapes = `input ${formatShape(info.inputShape)}, weight ${formatShape(info.weightShape)}`;
  const tooLarge = (arg: string, what: string, elements: number) =>
    new ConvError(
      info.op,
      arg,
      `${what} has ${elements} elements, more than the ${limit} one call of this GPU backend can address, and it cannot be split further; ${shapes}`,
    );
  const weightSize = sizeOf(info.weightShape);
  if (weightSize > limit) throw tooLarge('weight', 'the weight', weightSize);
  if (inUnitSize > limit) throw tooLarge('input', 'one group of input channels of one batch item', inUnitSize);
  if (outPlane > limit) throw tooLarge('input', 'one output channel', outPlane);
  if (geometry.outUnitSize <= limit) {
    const unitsPerCall = Math.max(
      1,
      Math.min(geometry.units, Math.floor(limit / inUnitSize), Math.floor(limit / geometry.outUnitSize)),
    );
    return { unitsPerCall, planesPerCall: unitsPerCall * info.outChannelsPerGroup };
  }
  return { unitsPerCall: 1, planesPerCall: Math.min(info.outChannelsPerGroup, Math.floor(limit / outPlane)) };
}

/**
 * The kernels compiled for one shape record and its call plan: one per *residency signature*
 * (which of input, weight and bias come from the device, e.g. `'array,device,array'`). gpu.js
 * types a kernel's arguments at its first run and would read a later plain array as a device
 * buffer on WebGPU, so a kernel only ever sees arguments of the kinds it was built for.
 */
interface CachedShape {
  readonly geometry: ConvolutionGeometry;
  readonly plan: CallPlan;
  readonly kernels: Map<string, IKernelRunShortcut>;
}

/**
 * Runs convolutions on one backend: compiles one kernel per shape record (cached by the record's
 * key), splits the work into calls within the backend's limits, and checks after every call that
 * gpu.js really ran it on the backend asked for (it silently hands kernels it cannot take to its
 * CPU backend; here that is an error, never a quiet slowdown).
 *
 * @example
 * ```ts
 * import { convInfo, tensor } from '@convkit/core';
 * import { startBackend } from './backend.js';
 * import { ConvolutionRunner } from './runner.js';
 * const runner = new ConvolutionRunner(await startBackend('cpu'), 2 ** 24);
 * const input = tensor([1, 2, 3], [1, 1, 3]);
 * const weight = tensor([1, 1], [1, 1, 2]);
 * const info = convInfo(input.shape, weight.shape, {});
 * (await runner.run(info, { tensor: input, device: null }, { tensor: weight, device: null }, undefined)).data; // Float32Array [3, 5]
 * ```
 */
export class ConvolutionRunner {
  private readonly shapes = new Map<string, CachedShape>();
  private readonly evictions = new EvictionPicker();
  /** The fast path: packed layout, per-shape generated kernels (device backends, work that fits one call). */
  private readonly packed: PackedConvolutions;
  private readonly packedLayout: boolean;

  constructor(
    private readonly backend: Backend,
    private readonly maxElementsPerCall: number,
    /** The most compiled kernels kept; see {@link DEFAULT_MAX_CACHED_KERNELS}. */
    private readonly maxCachedKernels = DEFAULT_MAX_CACHED_KERNELS,
    /** For A/B measurements and tests only: `packedLayout: false` keeps every call on the general kernel. */
    { packedLayout = true, ...packedChoices }: PackedKernelChoices & { readonly packedLayout?: boolean } = {},
  ) {
    this.packed = new PackedConvolutions(backend, maxElementsPerCall, maxCachedKernels, packedChoices);
    this.packedLayout = packedLayout;
  }

  /** How many kernels are compiled and cached: the general kernel's (one per shape record and residency signature) and the packed path's. */
  get cachedKernels(): number {
    return this.generalKernels + this.packed.cachedKernels;
  }

  private get generalKernels(): number {
    let count = 0;
    // forEach, not for-of over a Map iterator: some consumers' builds transpile that loosely.
    this.shapes.forEach((shape) => {
      count += shape.kernels.size;
    });
    return count;
  }

  private shapeFor(info: ConvInfo): CachedShape {
    const cached = this.shapes.get(info.key);
    if (cached) {
      // Map order is insertion order: re-inserting marks the shape most recently used.
      this.shapes.delete(info.key);
      this.shapes.set(info.key, cached);
      return cached;
    }
    const geometry = convolutionGeometry(info);
    const entry = { geometry, plan: planCalls(info, geometry, this.maxElementsPerCall), kernels: new Map() };
    this.shapes.set(info.key, entry);
    return entry;
  }

  /** Destroys the kernels of one older shape (never `keep`, the shape about to compile). */
  private evictOne(keep: CachedShape): boolean {
    const older: string[] = [];
    this.shapes.forEach((shape, key) => {
      if (shape !== keep && shape.kernels.size > 0) older.push(key);
    });
    if (older.length === 0) return false;
    const key = older[this.evictions.pick(older.length)];
    const victim = this.shapes.get(key) as CachedShape;
    this.shapes.delete(key);
    victim.kernels.forEach((kernel) => {
      destroyKernel(this.backend.gpu, kernel);
    });
    return true;
  }

  private kernelFor(shape: CachedShape, signature: string): IKernelRunShortcut {
    let kernel = shape.kernels.get(signature);
    if (!kernel) {
      let canEvict = true;
      while (canEvict && this.generalKernels >= this.maxCachedKernels) canEvict = this.evictOne(shape);
      const output = shape.plan.planesPerCall * shape.geometry.constants.outPlane;
      kernel = createFloatKernel(this.backend, CONVOLUTION_KERNEL_SOURCE, output, shape.geometry.constants);
      shape.kernels.set(signature, kernel);
    }
    return kernel;
  }

  /**
   * True where {@link ConvolutionRunner.run} reads `input`'s kept columns on the device (the packed
   * pointwise kernel); any other kernel must be given a kept input on the host (`hostOperand`).
   */
  readsInPlace(info: ConvInfo, input: Operand): boolean {
    return this.packedLayout && this.packed.fits(info) && this.packed.readsColumns(info, input.columns);
  }

  /**
   * Computes one validated convolution; resolves to its output tensor. An operand uploaded with
   * `gpu.upload` is read from the device where the call reads it whole (weight and bias always;
   * the input when one call covers it); split calls read slices of its host copy.
   */
  async run(info: ConvInfo, input: Operand, weight: Operand, bias: Operand | undefined): Promise<Tensor> {
    // An empty batch has nothing to compute: no kernel is compiled for it.
    if (info.batch === 0) return { shape: info.outputShape, data: new Float32Array(0) };
    if (this.packedLayout && this.packed.fits(info)) {
      const result = await this.packed.run(info, input, weight, bias);
      // The same padding rule as below: the packed kernel multiplies padding zeros, which a compiler may fold.
      markPaddingNaNs(info, weight.tensor.data, result.data);
      return result;
    }
    const shape = this.shapeFor(info);
    const { geometry, plan } = shape;
    const { inUnitSize, outPlane } = geometry.constants;
    const output = new Float32Array(geometry.outSize);
    const inputData = input.tensor.data;
    const weightArgument = (weight.device ?? weight.tensor.data) as KernelVariable;
    const biasArgument = (
      bias ? (bias.device ?? bias.tensor.data) : new Float32Array(info.outChannels)
    ) as KernelVariable;
    const inputPerCall = plan.unitsPerCall * inUnitSize;
    const outputPerCall = plan.planesPerCall * outPlane;
    // Every call hands the kernel arrays of the same length (the last chunk is zero-padded), so one
    // compiled kernel serves them all and no backend reads past an argument.
    const inputOnDevice = input.device !== null && inputPerCall === inputData.length;
    const kind = (onDevice: boolean) => (onDevice ? 'device' : 'array');
    const kernel = this.kernelFor(
      shape,
      [kind(inputOnDevice), kind(weight.device !== null), kind(Boolean(bias?.device))].join(','),
    );
    const inputSlice = (firstUnit: number): KernelVariable => {
      const start = firstUnit * inUnitSize;
      if (inputOnDevice) return input.device as KernelVariable;
      if (start + inputPerCall <= inputData.length) return inputData.subarray(start, start + inputPerCall);
      const padded = new Float32Array(inputPerCall);
      padded.set(inputData.subarray(start));
      return padded;
    };
    const call = async (firstUnit: number, firstPlane: number, outputStart: number, count: number): Promise<void> => {
      const result = (await kernel(
        inputSlice(firstUnit),
        weightArgument,
        biasArgument,
        geometry.tapMaps,
        firstPlane,
        firstUnit % info.groups,
      )) as Float32Array;
      const ran = kernelMode(kernel.kernel);
      if (ran !== this.backend.mode) {
        const reason = (kernel.kernel as { fallbackReason?: string }).fallbackReason;
        throw new Error(
          `@convkit/gpu: gpu.js ran the ${info.op} kernel on '${ran}' instead of '${this.backend.mode}'${reason ? `: ${reason}` : ''}`,
        );
      }
      output.set(result.subarray(0, count), outputStart);
    };
    if (plan.planesPerCall >= info.outChannelsPerGroup) {
      for (let firstUnit = 0; firstUnit < geometry.units; firstUnit += plan.unitsPerCall) {
        const start = firstUnit * geometry.outUnitSize;
        await call(firstUnit, 0, start, Math.min(outputPerCall, output.length - start));
      }
    } else {
      for (let unit = 0; unit < geometry.units; unit++) {
        for (let firstPlane = 0; firstPlane < info.outChannelsPerGroup; firstPlane += plan.planesPerCall) {
          // The last run of a unit may compute planes past it; they are discarded, never copied.
          const planes = Math.min(plan.planesPerCall, info.outChannelsPerGroup - firstPlane);
          await call(unit, firstPlane, unit * geometry.outUnitSize + firstPlane * outPlane, planes * outPlane);
        }
      }
    }
    // PyTorch's padding is real zeros: a non-finite weight over padding gives NaN. The kernel skips
    // padding taps and GLSL/WGSL do not promise IEEE NaNs (a compiler may fold 0 * w to 0), so the
    // rule is applied here, from the host copy of the weight, identically on every backend.
    markPaddingNaNs(info, weight.tensor.data, output);
    return { shape: info.outputShape, data: output };
  }

  /**
   * {@link ConvolutionRunner.run}, with the output kept on the device in the column layout where
   * the packed path writes it there (GL backends, non-transposed, work within one call) and no
   * padding NaN rule applies (a non-finite weight over zero padding: the host marks those NaNs, see below); otherwise
   * the output on the host. A kept output is read back by `hostOperand` (see {@link keptOperand}).
   */
  async runKeeping(info: ConvInfo, input: Operand, weight: Operand, bias: Operand | undefined): Promise<Operand> {
    if (
      info.batch > 0 &&
      this.packedLayout &&
      this.packed.fits(info) &&
      this.packed.keepsColumns(info) &&
      !paddingNaNsApply(info, weight.tensor.data)
    ) {
      return keptOperand(info.outputShape, await this.packed.runToColumns(info, input, weight, bias));
    }
    return { tensor: await this.run(info, input, weight, bias), device: null };
  }

  /** Forgets every compiled kernel; the gpu.js instance that owns them destroys them. */
  dispose(): void {
    this.shapes.clear();
    this.packed.dispose();
  }
}
