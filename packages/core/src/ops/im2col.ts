import { im2colSample } from '../algorithms/im2col.js';
import { readCall } from '../shape/check-call.js';
import { geometry3d } from '../shape/geometry.js';
import type { ConvOptions } from '../shape/types.js';
import { im2colInfo, type UnfoldOptions } from '../shape/window-info.js';
import type { Tensor } from '../tensor.js';

export type { UnfoldOptions } from '../shape/window-info.js';

/** The options {@link im2col} takes; `algorithm` too (it has one), so callers may pass the same options to every op. */
const UNFOLD_OPTION_NAMES = ['kernelSize', 'stride', 'padding', 'dilation', 'paddingMode', 'algorithm'];

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
  const call = readCall(op, options, { input }, { required: ['input'], optionNames: UNFOLD_OPTION_NAMES });
  const { shape, data: inputData } = call.tensors.input as Tensor;
  const info = im2colInfo(shape, call.options as unknown as UnfoldOptions, op);
  const geometry = geometry3d(info);
  const depth = info.inChannels * geometry.taps;
  const samplesize = depth * geometry.outPlane;
  const data = new Float32Array(info.batch * samplesize);
  const columns = new Float32Array(samplesize);
  for (let n = 0; n < info.batch; n++) {
    im2colSample(geometry, inputData, n * info.inChannels * geometry.inPlane, info.inChannels, columns);
    data.set(columns, n * samplesize);
  }
  const columnsShape = info.batched ? [info.batch, depth, geometry.outPlane] : [depth, geometry.outPlane];
  return { shape: Object.freeze(columnsShape), data };
}
