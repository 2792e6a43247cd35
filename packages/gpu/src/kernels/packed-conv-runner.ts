import type { ConvInfo, Tensor } from '@convkit/core';
import type { IGPUKernelSettings, IKernelRunShortcut, ISubKernelObject, KernelVariable } from 'gpu.js';
import type { Backend } from '../backend.js';
import type { ColumnsOnDevice, DeviceArray, Operand } from '../gpu-tensor.js';
import { checkRanOn, type GpuMode } from '../modes.js';
import { cachedEntry } from './kernel-cache.js';
import { CHANNELS_PER_TEXEL, COLUMNS_PER_THREAD, packedConvPlan, type PackedConvPlan } from './packed-conv.js';
import { packedConvTransposePlan, phasePlanApplies } from './packed-conv-transpose.js';
import { depthwisePlanApplies, packedDepthwisePlan } from './packed-depthwise.js';
import { packedPointwisePlan, pointwisePlanApplies, type PackedPointwisePlan } from './packed-pointwise.js';
import { UPLOAD_KERNEL_SOURCE, UPLOAD_TEXELS_KERNEL_SOURCE } from './sources.generated.js';

/**
 * Backends that run the packed layout: the GL ones as RGBA32F textures read with one vec4 fetch
 * (`ArrayTexture(4)`), WebGPU as flat buffers in the same order.
 */
export const PACKED_MODES: readonly GpuMode[] = ['webgpu', 'webgl2', 'webgl', 'headlessgl'];

/**
 * The longest generated convolution kernel, in lines, that the packed path takes. Every tap is
 * unrolled, so a long kernel (a 1-D kernel of 1200 taps) would make a shader that takes minutes
 * to compile on a software renderer; those keep the general kernel, whose tap loop stays a loop.
 * A 7x7 kernel is about 800 lines on WebGPU.
 */
export const MAX_GENERATED_LINES = 1500;

/** Texels allocated for a packed weight of `texels` texels: the next power of two (at least 16). */
function weightAllocation(texels: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(texels, 16)));
}

/**
 * Kernel switches for A/B measurements and tests (`scripts/measure-packed.ts`, the kernel tests);
 * `createGpu` never sets them, so every instance runs the defaults.
 */
export interface PackedKernelChoices {
  /** `false` runs 1x1 convolutions on the direct packed kernel instead of the pointwise one. */
  readonly pointwiseKernel?: boolean;
  /** The grouped pointwise kernel off, or on for another GL backend whose context has draw buffers (tests run it on headlessgl). */
  readonly groupedPointwise?: boolean;
  /** Likewise for the grouped depthwise kernel (by default where pointwise kernels are grouped). */
  readonly groupedDepthwise?: boolean;
}

/** The kernels of one shape record in the packed layout. */
interface PackedShape {
  readonly plan: PackedConvPlan;
  /** One pack kernel per input kind (`'array'` or `'device'`): gpu.js types arguments at first run. */
  readonly packKernels: Map<string, IKernelRunShortcut>;
  /** One convolution kernel per bias kind, for the same reason. */
  readonly convKernels: Map<string, IKernelRunShortcut>;
  /** The merge pass of a grouped pointwise kernel (packed-pointwise.ts), made at its first run. */
  mergeKernel?: IKernelRunShortcut;
}

/** A gpu.js WebGPU pipeline result, as far as the packed runner reads it (WebGPU's own types are not in this build). */
interface WebGpuBufferResult {
  readonly buffer: { readonly size: number };
  readonly context: { readonly device: WebGpuDevice };
  /** Drops this handle's reference; the kernel keeps its own on the buffer it reuses. */
  delete(): void;
}

/** The few WebGPU device calls a raw readback makes. */
interface WebGpuDevice {
  createBuffer(descriptor: { size: number; usage: number }): WebGpuStagingBuffer;
  createCommandEncoder(): {
    copyBufferToBuffer(
      source: unknown,
      sourceOffset: number,
      target: unknown,
      targetOffset: number,
      size: number,
    ): void;
    finish(): unknown;
  };
  readonly queue: { submit(commands: unknown[]): void };
}

interface WebGpuStagingBuffer {
  mapAsync(mode: number, offset: number, size: number): Promise<void>;
  getMappedRange(offset: number, size: number): ArrayBuffer;
  unmap(): void;
  destroy(): void;
}

/** `GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST` and `GPUMapMode.READ`, spelled out for the same reason. */
const STAGING_USAGE = 0x0001 | 0x0008;
const MAP_READ = 0x0001;

/**
 * The raw texels of a WebGPU `Array(4)` pipeline result, read with one copy and one map. gpu.js's
 * own readback would shape them as one 4-float view per thread (121 000 views for W2, some 15 ms
 * of host time per call) that the unpack never needs. One staging buffer is kept per device and
 * reused while it is large enough and free (a map in flight makes a second call use its own).
 */
const stagingBuffers = new WeakMap<WebGpuDevice, { buffer: WebGpuStagingBuffer; size: number; busy: boolean }>();

async function rawTexels(result: unknown, floats: number): Promise<Float32Array> {
  const handle = result as WebGpuBufferResult;
  const { buffer, context } = handle;
  const { device } = context;
  const bytes = floats * 4;
  let staging = stagingBuffers.get(device);
  const shared = staging !== undefined && !staging.busy && staging.size >= bytes;
  if (!shared) {
    if (staging && !staging.busy) staging.buffer.destroy();
    staging = { buffer: device.createBuffer({ size: bytes, usage: STAGING_USAGE }), size: bytes, busy: false };
    if (!stagingBuffers.get(device)?.busy) stagingBuffers.set(device, staging);
  }
  const entry = staging as { buffer: WebGpuStagingBuffer; size: number; busy: boolean };
  entry.busy = true;
  try {
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(buffer, 0, entry.buffer, 0, bytes);
    device.queue.submit([encoder.finish()]);
    await entry.buffer.mapAsync(MAP_READ, 0, bytes);
    const raw = new Float32Array(entry.buffer.getMappedRange(0, bytes).slice(0));
    entry.buffer.unmap();
    return raw;
  } finally {
    entry.busy = false;
    if (stagingBuffers.get(device) !== entry) entry.buffer.destroy();
    handle.delete();
  }
}

/** A gpu.js GL texture, as far as the packed runner reads it. */
interface GlTexture extends DeviceArray {
  renderRawOutput(): Float32Array;
  /** A copy-on-write copy: the kernel's next run writes a new texture, this one keeps the data. */
  clone(): GlTexture;
}

/**
 * Runs convolutions in the packed layout on the GL backends (transposed ones by stride phase): a pack pass pads the
 * input and packs it 4 channels per texel, the weight is packed once per uploaded handle (per call
 * for a plain tensor), and a per-shape generated kernel writes 4 output columns per thread, which
 * one readPixels brings back. Work that does not fit one call within the per-call limit is left
 * to the splitting runner ({@link PackedConvolutions.fits}).
 *
 * @example
 * ```ts
 * import { convInfo } from '@convkit/core';
 * import { startBackend } from '../backend.js';
 * import { PackedConvolutions } from './packed-conv-runner.js';
 * const packed = new PackedConvolutions(await startBackend('cpu'), 2 ** 24);
 * packed.fits(convInfo([1, 1, 3], [1, 1, 2], {})); // false: the cpu backend has no textures
 * ```
 */
export class PackedConvolutions {
  private readonly shapes = new Map<string, PackedShape>();
  /** Weight copy kernels by packed size, most recently made last. */
  private readonly weightKernels = new Map<number, IKernelRunShortcut>();

  constructor(
    private readonly backend: Backend,
    private readonly maxElementsPerCall: number,
    private readonly maxCachedShapes = 32,
    private readonly options: PackedKernelChoices = {},
  ) {}

  /**
   * Shape records holding compiled kernels: the unit this cache counts and bounds by
   * `maxCachedShapes`. A record's pack, convolution and merge kernels, for every input and bias
   * kind, are compiled and evicted together, so they count once.
   */
  get cachedKernels(): number {
    let count = 0;
    // Every run compiles a convolution kernel; `fits` alone makes a record with none.
    this.shapes.forEach((shape) => {
      if (shape.convKernels.size > 0) count += 1;
    });
    return count;
  }

  /** True when this backend runs `info` packed, in one call of each kernel within the per-call limit. */
  fits(info: ConvInfo): boolean {
    if (!PACKED_MODES.includes(this.backend.mode)) return false;
    if (info.transposed && !phasePlanApplies(info)) return false;
    const plan = this.shapeFor(info).plan;
    if (plan.convSource.split('\n').length > MAX_GENERATED_LINES) return false;
    const texels = (extent: readonly number[]) => extent.reduce((product, size) => product * size, 1);
    const limit = this.maxElementsPerCall / CHANNELS_PER_TEXEL;
    const inputElements = info.inputShape.reduce((product, size) => product * size, 1);
    return (
      texels(plan.packOutput) <= limit &&
      texels(plan.convOutput) <= limit &&
      weightAllocation(plan.weightTexels) <= limit &&
      inputElements <= this.maxElementsPerCall
    );
  }

  private shapeFor(info: ConvInfo): PackedShape {
    return cachedEntry(
      this.shapes,
      info.key,
      this.maxCachedShapes,
      (): PackedShape => ({
        plan: info.transposed
          ? packedConvTransposePlan(info, { flat: this.flat })
          : pointwisePlanApplies(info) && this.options.pointwiseKernel !== false
            ? packedPointwisePlan(info, { flat: this.flat, groups: this.groupsOutputs })
            : !this.flat && (this.options.groupedDepthwise ?? this.groupsOutputs) && depthwisePlanApplies(info)
              ? packedDepthwisePlan(info)
              : packedConvPlan(info, { flat: this.flat }),
        packKernels: new Map(),
        convKernels: new Map(),
      }),
      (oldest) => {
        for (const kernels of [oldest.packKernels, oldest.convKernels]) {
          kernels.forEach((kernel) => {
            kernel.destroy();
          });
        }
        oldest.mergeKernel?.destroy();
      },
    );
  }

  /**
   * True where pointwise kernels compute 4 output channels per thread: WebGL2, whose gpu.js kernel
   * maps write 4 RGBA32F render targets (WebGPU has no kernel maps; WebGL1's draw buffers are an
   * extension that gpu.js does not pair with `Array(4)` sub-kernels).
   */
  private get groupsOutputs(): boolean {
    return this.options.groupedPointwise ?? this.backend.mode === 'webgl2';
  }

  /** True on WebGPU, where gpu.js has no vec4 arguments: the packed layout is a flat buffer there. */
  private get flat(): boolean {
    return this.backend.mode === 'webgpu';
  }

  private kernel(
    source: string,
    output: readonly number[],
    {
      constants,
      texels,
      pipeline,
      immutable = false,
    }: { constants?: PackedConvPlan['constants']; texels: boolean; pipeline: boolean; immutable?: boolean },
  ): IKernelRunShortcut {
    const settings: IGPUKernelSettings & { returnType?: string } = {
      output: [...output],
      ...(constants ? { constants } : {}),
      // 4 results per thread (one RGBA32F texel on GL): missing from gpu.js's settings type, honoured by its kernels.
      ...(texels ? { returnType: 'Array(4)' } : {}),
      precision: 'single',
      tactic: 'precision',
      pipeline,
      immutable,
      asyncMode: this.flat,
    };
    return this.backend.gpu.createKernel(source, settings) as IKernelRunShortcut;
  }

  /** A kernel map: `source` returns the first render target and hands the others to `subKernels`. */
  private kernelMap(
    subKernels: readonly string[],
    source: string,
    output: readonly number[],
    settings: { constants: PackedConvPlan['constants']; texels: boolean; pipeline: boolean },
  ): IKernelRunShortcut {
    // gpu.js reads a sub-kernel's source with toString(), so a source string serves as well as a function.
    return this.backend.gpu.createKernelMap(
      [...subKernels] as unknown as ISubKernelObject,
      source as never,
      {
        output: [...output],
        constants: settings.constants,
        returnType: 'Array(4)',
        precision: 'single',
        tactic: 'precision',
        pipeline: settings.pipeline,
      } as IGPUKernelSettings,
    ) as unknown as IKernelRunShortcut;
  }

  private checkRan(kernel: IKernelRunShortcut, op: string): void {
    checkRanOn(kernel, this.backend.mode, op);
  }

  /**
   * The copy kernel for a packed weight of up to `texels` texels, rounded up to a power of two so
   * that one kernel serves every shape record with a weight in that range (a kernel is a compile,
   * the costliest part of a new shape); the convolution kernel never reads the zero tail.
   */
  private weightKernelFor(neededTexels: number): { kernel: IKernelRunShortcut; texels: number } {
    const texels = weightAllocation(neededTexels);
    const settings = { texels: !this.flat, pipeline: true, immutable: true };
    const kernel = cachedEntry(
      this.weightKernels,
      texels,
      this.maxCachedShapes,
      () =>
        this.flat
          ? this.kernel(UPLOAD_KERNEL_SOURCE, [texels * CHANNELS_PER_TEXEL], settings)
          : this.kernel(UPLOAD_TEXELS_KERNEL_SOURCE, [texels], settings),
      // Safe while handles still hold its copies: gpu.js reference-counts an immutable result.
      (oldest) => oldest.destroy(),
    );
    return { kernel, texels };
  }

  private async packedWeight(
    shape: PackedShape,
    info: ConvInfo,
    weight: Operand,
  ): Promise<{ array: DeviceArray; owned: boolean }> {
    const { plan } = shape;
    const upload = async (): Promise<DeviceArray> => {
      const { kernel: weightKernel, texels } = this.weightKernelFor(plan.weightTexels);
      const packed = new Float32Array(texels * CHANNELS_PER_TEXEL);
      packed.set(plan.packWeight(weight.tensor.data));
      const array = (await weightKernel(packed)) as unknown as DeviceArray;
      this.checkRan(weightKernel, info.op);
      return array;
    };
    // Packed by weight shape and layout alone: the same handle may serve any op whose weight it is.
    if (weight.handle) return { array: await weight.handle.layout(plan.weightLayout, upload), owned: false };
    return { array: await upload(), owned: true };
  }

  /**
   * True where the kernel of `info` (which {@link PackedConvolutions.fits}) reads `columns` on the
   * device as its packed input: a pointwise convolution over a previous result of the same extent.
   */
  readsColumns(info: ConvInfo, columns: ColumnsOnDevice | undefined): boolean {
    if (!columns) return false;
    const { plan } = this.shapeFor(info);
    return Boolean(plan.readsColumns) && plan.packOutput.every((size, axis) => size === columns.extent[axis]);
  }

  /**
   * True where the output of `info` (which {@link PackedConvolutions.fits}) can stay on the device
   * in the column layout: the GL backends, non-transposed kernels (WebGPU's `Array(4)` results
   * cannot be piped on, and the transposed kernels write 4 channels per texel).
   */
  keepsColumns(info: ConvInfo): boolean {
    return !this.flat && !info.transposed;
  }

  /** Computes one convolution that {@link PackedConvolutions.fits}; resolves to its output tensor. */
  async run(info: ConvInfo, input: Operand, weight: Operand, bias: Operand | undefined): Promise<Tensor> {
    const { plan } = this.shapeFor(info);
    const result = await this.compute(info, input, weight, bias);
    const floats = plan.convOutput.reduce((product, size) => product * size, CHANNELS_PER_TEXEL);
    const raw = this.flat ? await rawTexels(result, floats) : (result as GlTexture).renderRawOutput();
    return { shape: info.outputShape as number[], data: plan.unpack(raw) };
  }

  /**
   * Computes one convolution that {@link PackedConvolutions.keepsColumns} and keeps its output on
   * the device: a copy-on-write clone of the kernel's texture (the kernel's next run writes a new
   * one), read back by `read` at most once.
   */
  async runToColumns(
    info: ConvInfo,
    input: Operand,
    weight: Operand,
    bias: Operand | undefined,
  ): Promise<ColumnsOnDevice> {
    const { plan } = this.shapeFor(info);
    const texture = ((await this.compute(info, input, weight, bias)) as GlTexture).clone();
    let host: Float32Array | null = null;
    return {
      array: texture,
      extent: plan.convOutput as [number, number, number],
      read: () => {
        host ??= plan.unpack(texture.renderRawOutput());
        return host;
      },
    };
  }

  /** Runs the pack and convolution kernels; resolves to the convolution kernel's raw result. */
  private async compute(info: ConvInfo, input: Operand, weight: Operand, bias: Operand | undefined): Promise<unknown> {
    const shape = this.shapeFor(info);
    const { plan } = shape;
    const kind = (operand: Operand | undefined) => (operand?.device ? 'device' : 'array');
    // A previous result in the column layout is the pointwise kernel's packed input as it is; so,
    // on WebGPU, is a host NC(D)HW input whose rows are whole texels (its flat pack is the identity).
    const hostColumns =
      this.flat && plan.readsColumns && !input.device && plan.constants.inW % COLUMNS_PER_THREAD === 0;
    const packed = this.readsColumns(info, input.columns)
      ? (input.columns as ColumnsOnDevice).array
      : hostColumns
        ? input.tensor.data
        : await this.packInput(shape, info, input);
    // gpu.js types arguments at the first run: one kernel per (input, bias) kind.
    const kernelKind = `${hostColumns ? 'array' : 'device'},${plan.packBias ? 'array' : kind(bias)}`;
    const groups = (plan as PackedPointwisePlan).outputGroups;
    let convKernel = shape.convKernels.get(kernelKind);
    if (!convKernel && groups) {
      const settings = { constants: plan.constants, texels: true, pipeline: true };
      convKernel = this.kernelMap(groups.subKernels, groups.source, groups.output, settings);
      shape.convKernels.set(kernelKind, convKernel);
    }
    if (!convKernel) {
      // A pipeline result on both: one readPixels on GL, one buffer copy and map on WebGPU (rawTexels).
      convKernel = this.kernel(plan.convSource, plan.convOutput, {
        constants: plan.constants,
        texels: true,
        pipeline: true,
      });
      shape.convKernels.set(kernelKind, convKernel);
    }
    const packedWeight = await this.packedWeight(shape, info, weight);
    const biasArgument = (
      plan.packBias
        ? plan.packBias(bias ? bias.tensor.data : null)
        : bias
          ? (bias.device ?? bias.tensor.data)
          : new Float32Array(info.outChannels)
    ) as KernelVariable;
    try {
      const result = await convKernel(
        packed as KernelVariable,
        packedWeight.array as unknown as KernelVariable,
        biasArgument,
      );
      this.checkRan(convKernel, info.op);
      if (!groups) return result;
      shape.mergeKernel ??= this.kernel(groups.mergeSource, plan.convOutput, { texels: true, pipeline: true });
      const targets = result as unknown as Record<string, KernelVariable>;
      const merged = shape.mergeKernel(targets.result, ...groups.subKernels.map((_, index) => targets[index]));
      this.checkRan(shape.mergeKernel, info.op);
      return merged;
    } finally {
      if (packedWeight.owned) packedWeight.array.delete();
    }
  }

  /** The padded, packed input of one call: from the pack kernel, or kept with an uploaded handle. */
  private async packInput(shape: PackedShape, info: ConvInfo, input: Operand): Promise<DeviceArray> {
    const { plan } = shape;
    // An uploaded input is a snapshot: its padded, packed copy is made once per shape record and
    // kept with the handle (an immutable texture or buffer that the next pack run cannot overwrite).
    const cacheInput = Boolean(input.handle && input.device);
    const inputKind = cacheInput ? 'device,kept' : input.device ? 'device' : 'array';
    let packKernel = shape.packKernels.get(inputKind);
    if (!packKernel) {
      const [width, height, depth] = plan.packOutput;
      const settings = { constants: plan.constants, pipeline: true, immutable: cacheInput };
      packKernel = this.flat
        ? this.kernel(plan.packSource, [width * plan.packTexelFloats, height, depth], { ...settings, texels: false })
        : this.kernel(plan.packSource, plan.packOutput, { ...settings, texels: true });
      shape.packKernels.set(inputKind, packKernel);
    }
    const kernel = packKernel;
    const inputArgument = (input.device ?? input.tensor.data) as KernelVariable;
    const pack = async (): Promise<DeviceArray> => {
      const result = await (plan.zeroPadding ? kernel(inputArgument) : kernel(inputArgument, plan.paddedMaps));
      this.checkRan(kernel, info.op);
      return result as unknown as DeviceArray;
    };
    return input.handle && cacheInput ? input.handle.layout(`packed-input:${info.key}`, pack) : pack();
  }

  /** Forgets every compiled kernel; the gpu.js instance that owns them destroys them. */
  dispose(): void {
    this.shapes.clear();
    this.weightKernels.clear();
  }
}
