import { geometry3d } from '../algorithms/geometry.js';
import { im2colSample } from '../algorithms/im2col.js';
import { checkCall, convInfo } from '../shape/conv-info.js';
import type { ConvOptions } from '../shape/types.js';
import type { Tensor } from '../tensor.js';
import { ConvError } from '../errors.js';

/**
 * Options of {@link im2col} and {@link col2im}: a kernel size and the geometry of the sliding window.
 *
 * @example
 * ```ts
 * import type { UnfoldOptions } from '@convkit/core';
 * const window: UnfoldOptions = { kernelSize: [3, 3], stride: 2, padding: 1 };
 * ```
 */
export interface UnfoldOptions extends Pick<ConvOptions, 'stride' | 'padding' | 'dilation'> {
  /** Kernel size, one entry per spatial dim. */
  kernelSize: readonly number[];
}

/** The shape of a single-output-channel convolution weight that slides the window described by `kernelSize`. */
export function windowWeightShape(op: string, channels: number, kernelSize: unknown): number[] {
  if (!Array.isArray(kernelSize) || kernelSize.length < 1 || kernelSize.length > 3) {
    throw new ConvError(
      op,
      'kernelSize',
      `${'kernelSize'} must be an array of 1 to 3 positive integers, got ${JSON.stringify(kernelSize)}`,
    );
  }
  return [1, channels, ...kernelSize];
}

/**
 * Unfolds sliding windows into columns (PyTorch's `F.unfold`, for 1-D, 2-D and 3-D): input
 * `[N, C, ...spatial]` becomes `[N, C * prod(kernel), L]` with `L` the number of window positions,
 * so that a convolution is the matrix product `weight.reshape(C_out, -1) @ columns`.
 * `paddingMode` is accepted too, so the columns of a reflect-padded conv come out right.
 *
 * @throws {ConvError} for an invalid geometry, as {@link conv} would.
 * @example
 * ```ts
 * import { im2col, tensor } from '@convkit/core';
 * const columns = im2col(tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]), { kernelSize: [2, 2] });
 * columns.shape; // [1, 4, 4]
 * columns.data.slice(0, 4); // Float32Array [1, 2, 4, 5] (the top-left tap of every window)
 * ```
 */
export function im2col(input: Tensor, options: UnfoldOptions & Pick<ConvOptions, 'paddingMode'>): Tensor {
  const op = 'im2col';
  checkCall(op, options, { input });
  const kernelSize = options?.kernelSize;
  const spatialRank = Array.isArray(kernelSize) ? kernelSize.length : 0;
  const channels = input.shape.length === spatialRank + 2 ? input.shape[1] : input.shape[0];
  const info = convInfo(input.shape, windowWeightShape(op, channels, kernelSize), options, op);
  const geometry = geometry3d(info);
  const depth = info.inChannels * geometry.taps;
  const samplesize = depth * geometry.outPlane;
  const data = new Float32Array(info.batch * samplesize);
  const columns = new Float32Array(samplesize);
  for (let n = 0; n < info.batch; n++) {
    im2colSample(geometry, input.data, n * info.inChannels * geometry.inPlane, info.inChannels, columns);
    data.set(columns, n * samplesize);
  }
  const shape = info.batched ? [info.batch, depth, geometry.outPlane] : [depth, geometry.outPlane];
  return { shape: Object.freeze(shape), data };
}
