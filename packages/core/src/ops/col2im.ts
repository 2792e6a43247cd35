import { geometry3d } from '../algorithms/geometry.js';
import { col2imSample } from '../algorithms/im2col.js';
import { ConvError, formatShape } from '../errors.js';
import { checkCall, convInfo } from '../shape/conv-info.js';
import type { Tensor } from '../tensor.js';
import type { UnfoldOptions } from './im2col.js';
import { windowWeightShape } from './im2col.js';

/**
 * Options of {@link col2im}: the window geometry and the spatial size of the image to fold into.
 *
 * @example
 * ```ts
 * import type { FoldOptions } from '@convkit/core';
 * const fold: FoldOptions = { kernelSize: [2, 2], outputSize: [3, 3] };
 * ```
 */
export interface FoldOptions extends UnfoldOptions {
  /** Spatial size of the image, one entry per spatial dim. */
  outputSize: readonly number[];
}

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
  checkCall(op, options, { columns });
  const kernelSize = options?.kernelSize;
  const outputSize = options?.outputSize;
  if (!Array.isArray(outputSize) || !Array.isArray(kernelSize) || outputSize.length !== kernelSize.length) {
    throw new ConvError(
      op,
      'outputSize',
      `outputSize must have one entry per kernel dim, got outputSize ${JSON.stringify(outputSize)}, kernelSize ${JSON.stringify(kernelSize)}`,
    );
  }
  const batched = columns.shape.length === 3;
  if (!batched && columns.shape.length !== 2) {
    throw new ConvError(
      op,
      'columns',
      `columns must be [N, C * prod(kernel), L] or [C * prod(kernel), L], got ${formatShape(columns.shape)}`,
    );
  }
  const taps = kernelSize.reduce((product: number, extent: number) => product * extent, 1);
  const depth = columns.shape[batched ? 1 : 0];
  if (!(taps > 0) || depth % taps !== 0) {
    throw new ConvError(
      op,
      'columns',
      `columns.shape[${batched ? 1 : 0}] (${depth}) must be a multiple of prod(kernelSize) (${taps}); columns ${formatShape(columns.shape)}`,
    );
  }
  const channels = depth / taps;
  const batch = batched ? columns.shape[0] : 1;
  const imageShape = batched ? [batch, channels, ...outputSize] : [channels, ...outputSize];
  const info = convInfo(imageShape, windowWeightShape(op, channels, kernelSize), options, op);
  const geometry = geometry3d(info);
  const positions = columns.shape[batched ? 2 : 1];
  if (positions !== geometry.outPlane) {
    throw new ConvError(
      op,
      'columns',
      `columns ${formatShape(columns.shape)} have ${positions} window positions, but kernel [${kernelSize.join(',')}] over [${outputSize.join(',')}] with this stride, padding and dilation slides to ${geometry.outPlane} (${info.outSize.join('x')})`,
    );
  }
  const image = new Float32Array(batch * channels * geometry.inPlane);
  const sampleSize = depth * positions;
  for (let n = 0; n < batch; n++) {
    col2imSample(
      geometry,
      columns.data.subarray(n * sampleSize, (n + 1) * sampleSize),
      channels,
      image,
      n * channels * geometry.inPlane,
    );
  }
  return { shape: Object.freeze(imageShape), data: image };
}
