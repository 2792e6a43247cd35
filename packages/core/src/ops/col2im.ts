import { col2imSample } from '../algorithms/im2col.js';
import { readCall } from '../shape/check-call.js';
import { geometry3d } from '../shape/geometry.js';
import { col2imInfo, type FoldOptions } from '../shape/window-info.js';
import type { Tensor } from '../tensor.js';

export type { FoldOptions } from '../shape/window-info.js';

/** The options {@link col2im} takes; `algorithm` too (it has one), so callers may pass the same options to every op. */
const FOLD_OPTION_NAMES = ['kernelSize', 'outputSize', 'stride', 'padding', 'dilation', 'algorithm'];

/**
 * Folds columns back into an image, adding overlapping windows (PyTorch's `F.fold`, 1-D to 3-D):
 * `[N, C * prod(kernel), L]` becomes `[N, C, ...outputSize]`. It is the adjoint of {@link im2col},
 * and the second half of a transposed convolution computed as GEMM + col2im.
 *
 * @throws {ConvError} when the columns' shape does not match the geometry.
 * @example
 * ```ts
 * import { col2im, im2col, tensor } from '@convkit/core';
 * const ones = tensor(new Array(9).fill(1), [1, 1, 3, 3]);
 * const folded = col2im(im2col(ones, { kernelSize: [2, 2] }), { kernelSize: [2, 2], outputSize: [3, 3] });
 * folded.data; // Float32Array [1, 2, 1, 2, 4, 2, 1, 2, 1]: how many windows cover each cell
 * ```
 */
export function col2im(columns: Tensor, options: FoldOptions): Tensor {
  const op = 'col2im';
  const call = readCall(op, options, { columns }, { required: ['columns'], optionNames: FOLD_OPTION_NAMES });
  const { shape, data: columnsData } = call.tensors.columns as Tensor;
  const info = col2imInfo(shape, call.options as unknown as FoldOptions, op);
  const geometry = geometry3d(info);
  const { batch, inChannels: channels } = info;
  const sampleSize = channels * geometry.taps * geometry.outPlane;
  const image = new Float32Array(batch * channels * geometry.inPlane);
  for (let n = 0; n < batch; n++) {
    col2imSample(
      geometry,
      columnsData.subarray(n * sampleSize, (n + 1) * sampleSize),
      channels,
      image,
      n * channels * geometry.inPlane,
    );
  }
  return { shape: info.inputShape, data: image };
}
