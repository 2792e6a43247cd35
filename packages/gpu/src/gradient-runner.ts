import {
  ConvError,
  type ConvInfo,
  foldPaddingGradient,
  type GradientInfo,
  type GradientName,
  geometry3d,
  type Tensor,
} from '@convkit/core';
import type { IKernelRunShortcut, KernelVariable } from 'gpu.js';
import { type Backend, createFloatKernel } from './backend.js';
import type { Operand } from './gpu-tensor.js';
import type { BiasGradientConstants, WeightGradientConstants } from './kernels/weight-gradient.js';
import { BIAS_GRADIENT_KERNEL_SOURCE, WEIGHT_GRADIENT_KERNEL_SOURCE } from './kernels/sources.generated.js';
import { kernelMode } from './modes.js';
import { type ConvolutionRunner, DEFAULT_MAX_CACHED_KERNELS } from './runner.js';

/**
 * The constants and concatenated tap maps of {@link weightGradientKernel} for a forward record,
 * with `batch` items per call. The tap maps are core's, as for the forward kernel.
 *
 * @example
 * ```ts
 * import { convInfo } from '@convkit/core';
 * import { weightGradientGeometry } from './gradient-runner.js';
 * weightGradientGeometry(convInfo([2, 4, 8, 8], [6, 2, 3, 3], { groups: 2 }), 2).constants.rowsPerGroup; // 3
 * ```
 */
export function weightGradientGeometry(
  info: ConvInfo,
  batch: number,
): { constants: WeightGradientConstants; tapMaps: Float32Array } {
  const { inSize, outSize, kernelSize, inPlane, outPlane, taps, tapMaps: axisMaps } = geometry3d(info);
  const tapMaps = new Float32Array(axisMaps[0].length + axisMaps[1].length + axisMaps[2].length);
  tapMaps.set(axisMaps[0], 0);
  tapMaps.set(axisMaps[1], axisMaps[0].length);
  tapMaps.set(axisMaps[2], axisMaps[0].length + axisMaps[1].length);
  return {
    constants: {
      batch,
      inChannels: info.inChannels,
      outChannels: info.outChannels,
      inPlane,
      outPlane,
      inH: inSize[1],
      inW: inSize[2],
      outD: outSize[0],
      outH: outSize[1],
      outW: outSize[2],
      kernelD: kernelSize[0],
      kernelH: kernelSize[1],
      kernelW: kernelSize[2],
      kernelPlane: kernelSize[1] * kernelSize[2],
      taps,
      rowsPerGroup: info.transposed ? info.inChannelsPerGroup : info.outChannelsPerGroup,
      columnsPerGroup: info.transposed ? info.outChannelsPerGroup : info.inChannelsPerGroup,
      transposed: info.transposed ? 1 : 0,
      mapOffsetH: axisMaps[0].length,
      mapOffsetW: axisMaps[0].length + axisMaps[1].length,
    },
    tapMaps,
  };
}

/** The gradients of one call, as flat data. */
export interface GradientResult {
  gradInput?: Float32Array;
  gradWeight?: Float32Array;
  gradBias?: Float32Array;
}

/**
 * Computes the gradients of validated convolutions on one backend: the input gradient with the
 * forward convolution kernel (it is a transposed convolution of `gradOutput`, or a plain one for a
 * transposed op), the weight and bias gradients with their own kernels, split over batch items so
 * that no call reads more than the backend's per-call limit; the calls' partial sums are added here.
 */
export class GradientRunner {
  private readonly kernels = new Map<string, IKernelRunShortcut>();

  constructor(
    private readonly backend: Backend,
    private readonly maxElementsPerCall: number,
    /** The forward runner: it computes input gradients and owns the uploaded handles. */
    readonly convolutions: ConvolutionRunner,
  ) {}

  get cachedKernels(): number {
    return this.kernels.size;
  }

  private kernel(key: string, source: string, output: number, constants: Record<string, number>): IKernelRunShortcut {
    let kernel = this.kernels.get(key);
    if (kernel) {
      this.kernels.delete(key);
    } else {
      if (this.kernels.size >= DEFAULT_MAX_CACHED_KERNELS) {
        const [oldestKey, oldest] = this.kernels.entries().next().value as [string, IKernelRunShortcut];
        this.kernels.delete(oldestKey);
        oldest.destroy();
      }
      kernel = createFloatKernel(this.backend, source, output, constants);
    }
    this.kernels.set(key, kernel);
    return kernel;
  }

  private async call(kernel: IKernelRunShortcut, op: string, args: KernelVariable[]): Promise<Float32Array> {
    const result = (await kernel(...args)) as Float32Array;
    const ran = kernelMode(kernel.kernel);
    if (ran !== this.backend.mode) {
      throw new Error(
        `@convkit/gpu: gpu.js ran the ${op} gradient kernel on '${ran}' instead of '${this.backend.mode}'`,
      );
    }
    return result;
  }

  /** Batch items per call, so that no call reads more than the limit from the input or `gradOutput`. */
  private itemsPerCall(info: ConvInfo): number {
    const inputItem = info.inChannels * info.inSize.reduce((product, extent) => product * extent, 1);
    const gradItem = info.outChannels * info.outSize.reduce((product, extent) => product * extent, 1);
    const largest = Math.max(inputItem, gradItem);
    if (largest > this.maxElementsPerCall) {
      throw new ConvError(
        info.op,
        'input',
        `one batch item of the ${inputItem >= gradItem ? 'input' : 'gradOutput'} has ${largest} elements, more than the ${this.maxElementsPerCall} one call of this GPU backend can address for a weight gradient; input [${info.inputShape.join(',')}], weight [${info.weightShape.join(',')}]`,
      );
    }
    return Math.max(1, Math.min(info.batch, Math.floor(this.maxElementsPerCall / largest)));
  }

  /** Runs `kernelFor(items)` over chunks of batch items (the last zero-padded) and sums the results in float64. */
  private async overBatch(
    info: ConvInfo,
    outputLength: number,
    arrays: readonly { data: Float32Array; perItem: number }[],
    run: (items: number, chunk: Float32Array[]) => Promise<Float32Array>,
  ): Promise<Float32Array> {
    const items = this.itemsPerCall(info);
    const sums = new Float64Array(outputLength);
    for (let first = 0; first < info.batch; first += items) {
      const chunk = arrays.map(({ data, perItem }) => {
        const start = first * perItem;
        const length = items * perItem;
        if (start + length <= data.length) return data.subarray(start, start + length);
        const padded = new Float32Array(length);
        padded.set(data.subarray(start));
        return padded;
      });
      const partial = await run(items, chunk);
      for (let index = 0; index < outputLength; index++) sums[index] += partial[index];
    }
    return Float32Array.from(sums);
  }

  async weightGradient(info: ConvInfo, input: Float32Array, gradOutput: Float32Array): Promise<Float32Array> {
    const weightSize = info.weightShape.reduce((product, extent) => product * extent, 1);
    if (weightSize > this.maxElementsPerCall) {
      // One thread per weight element: the output of one call is the whole weight gradient.
      throw new ConvError(
        info.op,
        'weight',
        `the weight has ${weightSize} elements, more than the ${this.maxElementsPerCall} one call of this GPU backend can address, and it cannot be split further; input [${info.inputShape.join(',')}], weight [${info.weightShape.join(',')}]`,
      );
    }
    const perInput = input.length / info.batch;
    const perGrad = gradOutput.length / info.batch;
    return this.overBatch(
      info,
      weightSize,
      [
        { data: input, perItem: perInput },
        { data: gradOutput, perItem: perGrad },
      ],
      (items, [inputChunk, gradChunk]) => {
        const { constants, tapMaps } = weightGradientGeometry(info, items);
        const kernel = this.kernel(`weight|${items}|${info.key}`, WEIGHT_GRADIENT_KERNEL_SOURCE, weightSize, constants);
        return this.call(kernel, info.op, [inputChunk, gradChunk, tapMaps]);
      },
    );
  }

  async biasGradient(info: ConvInfo, gradOutput: Float32Array): Promise<Float32Array> {
    const outPlane = info.outSize.reduce((product, extent) => product * extent, 1);
    return this.overBatch(
      info,
      info.outChannels,
      [{ data: gradOutput, perItem: info.outChannels * outPlane }],
      (items, [gradChunk]) => {
        const constants: BiasGradientConstants = { batch: items, outChannels: info.outChannels, outPlane };
        const kernel = this.kernel(
          `bias|${items}|${info.outChannels}|${outPlane}`,
          BIAS_GRADIENT_KERNEL_SOURCE,
          info.outChannels,
          constants,
        );
        return this.call(kernel, info.op, [gradChunk]);
      },
    );
  }

  /** The gradients `need` asks for of one validated call (see core's `gradientInfo`). */
  async run(
    gradient: GradientInfo,
    operands: { input: Operand; weight: Operand; gradOutput: Operand },
    need: ReadonlySet<GradientName>,
  ): Promise<GradientResult> {
    const info = gradient.forward;
    const result: GradientResult = {};
    if (need.has('gradInput')) {
      const { data } = await this.convolutions.run(gradient.gradInput, operands.gradOutput, operands.weight, undefined);
      result.gradInput = gradient.foldsPadding ? foldPaddingGradient(info, data) : data;
    }
    if (need.has('gradWeight')) {
      result.gradWeight = await this.weightGradient(info, operands.input.tensor.data, operands.gradOutput.tensor.data);
    }
    if (need.has('gradBias')) result.gradBias = await this.biasGradient(info, operands.gradOutput.tensor.data);
    return result;
  }

  dispose(): void {
    this.kernels.clear();
  }
}

/** The gradients of a call as tensors in the forward op's shapes. */
export function gradientTensors(info: ConvInfo, data: GradientResult): Partial<Record<GradientName, Tensor>> {
  const result: Partial<Record<GradientName, Tensor>> = {};
  if (data.gradInput) result.gradInput = { shape: info.inputShape, data: data.gradInput };
  if (data.gradWeight) result.gradWeight = { shape: info.weightShape, data: data.gradWeight };
  if (data.gradBias) result.gradBias = { shape: [info.outChannels], data: data.gradBias };
  return result;
}
