import type { Tensor } from '../tensor.js';

/**
 * How a convolution reads input positions that fall outside the input (PyTorch's `padding_mode`).
 *
 * @example
 * ```ts
 * import { conv1d, tensor } from '@convkit/core';
 * conv1d(tensor([1, 2, 3], [1, 1, 3]), tensor([1], [1, 1, 1]), { padding: 1, paddingMode: 'replicate' }).data;
 * // Float32Array [1, 1, 2, 3, 3]
 * ```
 */
export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

/**
 * Padding of a convolution:
 * - a number: the same symmetric padding on every spatial dim;
 * - `number[]`: symmetric padding, exactly one entry per spatial dim (never ONNX's flat `pads`);
 * - `[begin, end][]`: asymmetric padding, one pair per spatial dim;
 * - `'valid'`: no padding;
 * - `'same'`: PyTorch's, stride 1 only, output size = input size, odd extra padding at the end;
 * - `'same_upper'` / `'same_lower'`: ONNX's `SAME_UPPER`/`SAME_LOWER`, any stride,
 *   output = ceil(input / stride), odd extra padding at the end / at the beginning.
 *   TensorFlow's `'same'` is `'same_upper'`.
 *
 * @example
 * ```ts
 * import { convInfo, type Padding } from '@convkit/core';
 * const symmetric: Padding = [1, 2]; // 1 on H, 2 on W
 * const asymmetric: Padding = [[0, 1], [2, 2]]; // [begin, end] per dim
 * const tensorflowSame: Padding = 'same_upper';
 * convInfo([1, 1, 5, 5], [1, 1, 3, 3], { padding: symmetric }).outSize; // [5, 7]
 * convInfo([1, 1, 5, 5], [1, 1, 3, 3], { padding: asymmetric }).outSize; // [4, 7]
 * convInfo([1, 1, 5, 5], [1, 1, 3, 3], { padding: tensorflowSame, stride: 2 }).outSize; // [3, 3]
 * ```
 */
export type Padding =
  | number
  | readonly number[]
  | readonly (readonly [number, number])[]
  | 'valid'
  | 'same'
  | 'same_upper'
  | 'same_lower';

/**
 * Padding of a transposed convolution: as {@link Padding}, without PyTorch's stride-1 `'same'`.
 *
 * @example
 * ```ts
 * import { convTransposeInfo, type TransposePadding } from '@convkit/core';
 * const crop: TransposePadding = [[1, 0]];
 * convTransposeInfo([1, 1, 4], [1, 1, 3], { padding: crop }).outSize; // [5]
 * ```
 */
export type TransposePadding = Exclude<Padding, 'same'>;

/**
 * Which implementation computes an op: the fastest available (`'auto'`) or the readable reference loop (`'direct'`).
 *
 * @example
 * ```ts
 * import { conv2d, tensor } from '@convkit/core';
 * conv2d(tensor([1], [1, 1, 1, 1]), tensor([2], [1, 1, 1, 1]), { algorithm: 'direct' }).data; // Float32Array [2]
 * ```
 */
export type ConvAlgorithm = 'auto' | 'direct';

/**
 * The options a convolution and a transposed convolution share: the bias, and how the kernel slides
 * (stride, dilation, groups). {@link ConvOptions} and {@link ConvTransposeOptions} add their padding.
 *
 * @example
 * ```ts
 * import { convInfo, convTransposeInfo, type SlidingOptions } from '@convkit/core';
 * const strided: SlidingOptions = { stride: 2 };
 * convInfo([1, 1, 8], [1, 1, 2], strided).outSize; // [4]
 * convTransposeInfo([1, 1, 4], [1, 1, 2], strided).outSize; // [8]
 * ```
 */
export interface SlidingOptions {
  /** Added to every output of a channel, shape `[C_out]`. */
  bias?: Tensor;
  /** Step between output positions, one number for every spatial dim or one per dim. Default 1. */
  stride?: number | readonly number[];
  /** Spacing between kernel taps (atrous convolution). Default 1. */
  dilation?: number | readonly number[];
  /** Channels are split into this many independent groups. Default 1. */
  groups?: number;
}

/**
 * Options of {@link conv} and its 1-D/2-D/3-D entry points, PyTorch's names in camelCase.
 *
 * @example
 * ```ts
 * import { convInfo, type ConvOptions } from '@convkit/core';
 * const atrous: ConvOptions = { dilation: 2, padding: 'same', paddingMode: 'reflect' };
 * convInfo([1, 1, 8, 8], [1, 1, 3, 3], atrous).outSize; // [8, 8]
 * ```
 */
export interface ConvOptions extends SlidingOptions {
  /** Default 0. */
  padding?: Padding;
  /** What the padded border holds. Default `'zeros'`. */
  paddingMode?: PaddingMode;
  /** Default `'auto'`. */
  algorithm?: ConvAlgorithm;
}

/**
 * Options of {@link convTranspose} and its 1-D/2-D/3-D entry points.
 *
 * @example
 * ```ts
 * import { convTransposeInfo, type ConvTransposeOptions } from '@convkit/core';
 * const upsample: ConvTransposeOptions = { stride: 2, padding: 1, outputPadding: 1 };
 * const onnxStyle: ConvTransposeOptions = { stride: 2, padding: 'same_upper', outputSize: [32, 32] };
 * convTransposeInfo([1, 1, 16, 16], [1, 1, 3, 3], upsample).outSize; // [32, 32]
 * convTransposeInfo([1, 1, 16, 16], [1, 1, 4, 4], onnxStyle).outSize; // [32, 32]
 * ```
 */
export interface ConvTransposeOptions extends SlidingOptions {
  /** Cropped from the output (the padding of the convolution this op is the adjoint of). Default 0. */
  padding?: TransposePadding;
  /** Extra size added at the end of each spatial dim; below the stride or below the dilation. */
  outputPadding?: number | readonly number[];
  /**
   * Spatial output size. With `'same_upper'`/`'same_lower'` it is ONNX's `output_shape`
   * (it decides the padding); otherwise it is PyTorch's `output_size` (it decides the output padding).
   */
  outputSize?: readonly number[];
  /** Default `'auto'`. */
  algorithm?: ConvAlgorithm;
}

/**
 * The arguments every record resolver of the shape module takes, in this order: the two shapes, the
 * options, the op that errors name, and the spatial rank a typed entry point (`conv2d`) insists on.
 *
 * @example
 * ```ts
 * import { convInfo, type ConvOptions, type ResolverArguments } from '@convkit/core';
 * const call: ResolverArguments<ConvOptions> = [[1, 1, 5], [1, 1, 3], { padding: 1 }, 'conv1d', 1];
 * convInfo(...call).outSize; // [5]
 * ```
 */
export type ResolverArguments<Options> = [...ShapeArguments<Options>, op?: string, expectedSpatialRank?: number];

/**
 * The arguments of the output-shape helpers: the two shapes and the options.
 *
 * @example
 * ```ts
 * import { convOutputShape, type ConvOptions, type ShapeArguments } from '@convkit/core';
 * const call: ShapeArguments<ConvOptions> = [[1, 1, 5], [1, 1, 3], { stride: 2 }];
 * convOutputShape(...call); // [1, 1, 2]
 * ```
 */
export type ShapeArguments<Options> = [
  inputShape: readonly number[],
  weightShape: readonly number[],
  options?: Options,
];

/**
 * Everything about one convolution call, validated and resolved: a frozen, flat record that every
 * algorithm and every GPU kernel reads, so that none recomputes a size.
 *
 * @example
 * ```ts
 * import { convInfo } from '@convkit/core/shape';
 * const info = convInfo([1, 8, 5, 5], [4, 4, 3, 3], { groups: 2, padding: [[0, 1], [1, 0]] });
 * info.outSize; // [4, 4]
 * info.inChannelsPerGroup; // 4
 * ```
 */
export interface ConvInfo {
  /** The operation name used in errors, e.g. `'conv2d'`. */
  readonly op: string;
  readonly transposed: boolean;
  /** Number of spatial dims (1, 2 or 3). */
  readonly spatialRank: number;
  /** False when the input was unbatched (`[C, ...]`); the output is then unbatched too. */
  readonly batched: boolean;
  readonly batch: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly groups: number;
  readonly inChannelsPerGroup: number;
  readonly outChannelsPerGroup: number;
  readonly inSize: readonly number[];
  readonly outSize: readonly number[];
  readonly kernelSize: readonly number[];
  /** `dilation * (kernel - 1) + 1` per spatial dim. */
  readonly effectiveKernelSize: readonly number[];
  readonly stride: readonly number[];
  readonly dilation: readonly number[];
  /** Padding before each spatial dim; may be negative only for a transposed conv sized by `outputSize`. */
  readonly padBegin: readonly number[];
  readonly padEnd: readonly number[];
  /** Zero for a plain convolution. */
  readonly outputPadding: readonly number[];
  readonly paddingMode: PaddingMode;
  readonly hasBias: boolean;
  readonly inputShape: readonly number[];
  readonly weightShape: readonly number[];
  /** `[N, C_out, ...outSize]`, or `[C_out, ...outSize]` for an unbatched input. */
  readonly outputShape: readonly number[];
  /** A string that identifies the record, for caches of compiled kernels. */
  readonly key: string;
}
