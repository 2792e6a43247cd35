import type { ConvInfo, Tensor } from '@convkit/core';
import type { IGPUKernelSettings, IKernelRunShortcut, KernelVariable } from 'gpu.js';
import type { Backend } from '../backend.js';
import type { DeviceArray, Operand } from '../gpu-tensor.js';
import { kernelMode, type GpuMode } from '../modes.js';
import {
  CHANNELS_PER_TEXEL,
  packConvWeight,
  packedConvPlan,
  unpackConvOutput,
  type PackedConvPlan,
} from './packed-conv.js';
import { UPLOAD_TEXELS_KERNEL_SOURCE } from './sources.generated.js';

/** Backends whose textures hold RGBA32F texels that a kernel reads with one vec4 fetch (`ArrayTexture(4)`). */
export const PACKED_MODES: readonly GpuMode[] = ['webgl2', 'webgl', 'headlessgl'];

/** The kernels of one shape record in the packed layout. */
interface PackedShape {
  readonly plan: PackedConvPlan;
  /** One pack kernel per input kind (`'array'` or `'device'`): gpu.js types arguments at first run. */
  readonly packKernels: Map<string, IKernelRunShortcut>;
  /** One convolution kernel per bias kind, for the same reason. */
  readonly convKernels: Map<string, IKernelRunShortcut>;
  weightKernel: IKernelRunShortcut | null;
}

/** A gpu.js GL texture, as far as the packed runner reads it. */
interface GlTexture extends DeviceArray {
  renderRawOutput(): Float32Array;
}

/**
 * Runs non-transposed convolutions in the packed layout on the GL backends: a pack pass pads the
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

  constructor(
    private readonly backend: Backend,
    private readonly maxElementsPerCall: number,
    private readonly maxCachedShapes = 32,
  ) {}

  /** Kernel sets compiled (one per shape record and input kind). */
  get cachedKernels(): number {
    let count = 0;
    this.shapes.forEach((shape) => {
      count += shape.packKernels.size;
    });
    return count;
  }

  /** True when this backend runs `info` packed, in one call of each kernel within the per-call limit. */
  fits(info: ConvInfo): boolean {
    if (!PACKED_MODES.includes(this.backend.mode) || info.transposed) return false;
    const plan = this.shapeFor(info).plan;
    const texels = (extent: readonly number[]) => extent.reduce((product, size) => product * size, 1);
    const limit = this.maxElementsPerCall / CHANNELS_PER_TEXEL;
    const inputElements = info.inputShape.reduce((product, size) => product * size, 1);
    return (
      texels(plan.packOutput) <= limit &&
      texels(plan.convOutput) <= limit &&
      plan.weightTexels <= limit &&
      inputElements <= this.maxElementsPerCall
    );
  }

  private shapeFor(info: ConvInfo): PackedShape {
    const cached = this.shapes.get(info.key);
    if (cached) {
      // Map order is insertion order: re-inserting marks the shape most recently used.
      this.shapes.delete(info.key);
      this.shapes.set(info.key, cached);
      return cached;
    }
    if (this.shapes.size >= this.maxCachedShapes) {
      const [oldestKey, oldest] = this.shapes.entries().next().value as [string, PackedShape];
      this.shapes.delete(oldestKey);
      oldest.packKernels.forEach((kernel) => {
        kernel.destroy();
      });
      oldest.convKernels.forEach((kernel) => {
        kernel.destroy();
      });
      oldest.weightKernel?.destroy();
    }
    const entry: PackedShape = {
      plan: packedConvPlan(info),
      packKernels: new Map(),
      convKernels: new Map(),
      weightKernel: null,
    };
    this.shapes.set(info.key, entry);
    return entry;
  }

  private kernel(
    source: string,
    output: readonly number[],
    constants: PackedConvPlan['constants'] | undefined,
    immutable: boolean,
  ): IKernelRunShortcut {
    const settings: IGPUKernelSettings & { returnType: string } = {
      output: [...output],
      ...(constants ? { constants } : {}),
      // 4 results per thread, one RGBA32F texel: missing from gpu.js's settings type, honoured by its GL kernels.
      returnType: 'Array(4)',
      precision: 'single',
      tactic: 'precision',
      pipeline: true,
      immutable,
    };
    return this.backend.gpu.createKernel(source, settings) as IKernelRunShortcut;
  }

  /** gpu.js hands a kernel it cannot compile to its CPU backend; here that is an error, never a quiet slowdown. */
  private checkRan(kernel: IKernelRunShortcut, op: string): void {
    const ran = kernelMode(kernel.kernel);
    if (ran !== this.backend.mode) {
      const reason = (kernel.kernel as { fallbackReason?: string }).fallbackReason;
      throw new Error(
        `@convkit/gpu: gpu.js ran the ${op} kernel on '${ran}' instead of '${this.backend.mode}'${reason ? `: ${reason}` : ''}`,
      );
    }
  }

  private packedWeight(shape: PackedShape, info: ConvInfo, weight: Operand): { texture: GlTexture; owned: boolean } {
    const upload = (): GlTexture => {
      if (!shape.weightKernel) {
        shape.weightKernel = this.kernel(UPLOAD_TEXELS_KERNEL_SOURCE, [shape.plan.weightTexels], undefined, true);
      }
      const texture = shape.weightKernel(packConvWeight(info, shape.plan, weight.tensor.data)) as unknown as GlTexture;
      this.checkRan(shape.weightKernel, info.op);
      return texture;
    };
    // Packed by weight shape alone: the same handle may serve any op whose weight it is.
    if (weight.handle) return { texture: weight.handle.layout('conv-weight', upload) as GlTexture, owned: false };
    return { texture: upload(), owned: true };
  }

  /** Computes one convolution that {@link PackedConvolutions.fits}; resolves to its output tensor. */
  run(info: ConvInfo, input: Operand, weight: Operand, bias: Operand | undefined): Tensor {
    const shape = this.shapeFor(info);
    const { plan } = shape;
    const kind = (operand: Operand | undefined) => (operand?.device ? 'device' : 'array');
    const inputKind = kind(input);
    let packKernel = shape.packKernels.get(inputKind);
    if (!packKernel) {
      packKernel = this.kernel(plan.packSource, plan.packOutput, plan.constants, false);
      shape.packKernels.set(inputKind, packKernel);
    }
    let convKernel = shape.convKernels.get(kind(bias));
    if (!convKernel) {
      convKernel = this.kernel(plan.convSource, plan.convOutput, plan.constants, false);
      shape.convKernels.set(kind(bias), convKernel);
    }
    const inputArgument = (input.device ?? input.tensor.data) as KernelVariable;
    const packed =
      info.paddingMode === 'zeros' ? packKernel(inputArgument) : packKernel(inputArgument, plan.paddedMaps);
    this.checkRan(packKernel, info.op);
    const packedWeight = this.packedWeight(shape, info, weight);
    const biasArgument = (
      bias ? (bias.device ?? bias.tensor.data) : new Float32Array(info.outChannels)
    ) as KernelVariable;
    try {
      const result = convKernel(
        packed as KernelVariable,
        packedWeight.texture as unknown as KernelVariable,
        biasArgument,
      ) as unknown as GlTexture;
      this.checkRan(convKernel, info.op);
      const outW = info.outSize[info.outSize.length - 1];
      return { shape: info.outputShape as number[], data: unpackConvOutput(plan, outW, result.renderRawOutput()) };
    } finally {
      if (packedWeight.owned) packedWeight.texture.delete();
    }
  }

  /** Forgets every compiled kernel; the gpu.js instance that owns them destroys them. */
  dispose(): void {
    this.shapes.clear();
  }
}
