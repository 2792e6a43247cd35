import { ConvError, describeValue, formatShape } from '../errors.js';
import { sizeOf } from '../tensor.js';
import { convInfo } from './conv-info.js';
import { inputLayout } from './layout.js';
import { MAX_ELEMENTS } from './normalize.js';
import type { ConvInfo, ConvOptions } from './types.js';

/**
 * Options of {@link im2col} and {@link col2im}: a kernel size and the geometry of the sliding window.
 *
 * @example
 * ```ts
 * import type { UnfoldOptions } from '@convkit/core';
 * const window: UnfoldOptions = { kernelSize: [3, 3], stride: 2, padding: 1 };
 * window.kernelSize; // [3, 3]
 * ```
 */
export interface UnfoldOptions extends Pick<ConvOptions, 'stride' | 'padding' | 'dilation'> {
  /** Kernel size, one entry per spatial dim. */
  kernelSize: readonly number[];
}

/**
 * Options of {@link col2im}: the window geometry and the spatial size of the image to fold into.
 *
 * @example
 * ```ts
 * import type { FoldOptions } from '@convkit/core';
 * const fold: FoldOptions = { kernelSize: [2, 2], outputSize: [3, 3] };
 * fold.outputSize; // [3, 3]
 * ```
 */
export interface FoldOptions extends UnfoldOptions {
  /** Spatial size of the image, one entry per spatial dim. */
  outputSize: readonly number[];
}

/** The shape of a single-output-channel convolution weight that slides the window described by `kernelSize`. */
function windowWeightShape(op: string, channels: number, kernelSize: unknown): number[] {
  if (!Array.isArray(kernelSize) || kernelSize.length < 1 || kernelSize.length > 3) {
    throw new ConvError(
      op,
      'kernelSize',
      `kernelSize must be an array of 1 to 3 positive integers, got ${describeValue(kernelSize)}`,
    );
  }
  return [1, channels, ...kernelSize];
}

/**
 * Validates an {@link im2col} call: the record of the single-output-channel convolution that
 * slides the window over the input, whose tap maps say where every column entry comes from.
 *
 * @throws {ConvError} for an invalid geometry, as {@link conv} would.
 * @example
 * ```ts
 * import { im2colInfo } from '@convkit/core/shape';
 * im2colInfo([1, 3, 5, 5], { kernelSize: [3, 3], padding: 1 }).outSize; // [5, 5]
 * ```
 */
export function im2colInfo(
  inputShape: readonly number[],
  options: UnfoldOptions & Pick<ConvOptions, 'paddingMode'>,
  op = 'im2col',
): ConvInfo {
  const kernelSize = options?.kernelSize;
  const spatialRank = Array.isArray(kernelSize) ? kernelSize.length : 0;
  const { channels } = inputLayout(inputShape, spatialRank);
  const info = convInfo(inputShape, windowWeightShape(op, channels, kernelSize), options, op);
  // The column matrix is input channels * taps rows by window positions: checked like any output.
  const columns = info.batch * info.inChannels * sizeOf(info.kernelSize) * sizeOf(info.outSize);
  if (columns > MAX_ELEMENTS) {
    throw new ConvError(
      op,
      'input',
      `the columns would have ${columns} elements (${info.inChannels} channels * ${sizeOf(info.kernelSize)} taps * ${sizeOf(info.outSize)} positions per sample), more than the limit of 2^31 - 1; input ${formatShape(inputShape)}`,
    );
  }
  return info;
}

/**
 * Validates a {@link col2im} call: the record of the convolution whose input is the image being
 * folded into, checked against the columns' shape (channels times taps, and window positions).
 *
 * @throws {ConvError} when the columns' shape does not match the geometry.
 * @example
 * ```ts
 * import { col2imInfo } from '@convkit/core/shape';
 * col2imInfo([1, 4, 4], { kernelSize: [2, 2], outputSize: [3, 3] }).inputShape; // [1, 1, 3, 3]
 * ```
 */
export function col2imInfo(columnsShape: readonly number[], options: FoldOptions, op = 'col2im'): ConvInfo {
  const kernelSize = options?.kernelSize;
  const outputSize = options?.outputSize;
  if (!Array.isArray(outputSize) || !Array.isArray(kernelSize) || outputSize.length !== kernelSize.length) {
    throw new ConvError(
      op,
      'outputSize',
      `outputSize must have one entry per kernel dim, got outputSize ${describeValue(outputSize)}, kernelSize ${describeValue(kernelSize)}`,
    );
  }
  const batched = columnsShape.length === 3;
  if (!batched && columnsShape.length !== 2) {
    throw new ConvError(
      op,
      'columns',
      `columns must be [N, C * prod(kernel), L] or [C * prod(kernel), L], got ${formatShape(columnsShape)}`,
    );
  }
  const taps = sizeOf(kernelSize);
  const depth = columnsShape[batched ? 1 : 0];
  if (!(taps > 0) || depth % taps !== 0) {
    throw new ConvError(
      op,
      'columns',
      `columns.shape[${batched ? 1 : 0}] (${depth}) must be a multiple of prod(kernelSize) (${taps}); columns ${formatShape(columnsShape)}`,
    );
  }
  const channels = depth / taps;
  const imageShape = batched ? [columnsShape[0], channels, ...outputSize] : [channels, ...outputSize];
  const info = convInfo(imageShape, windowWeightShape(op, channels, kernelSize), options, op);
  const positions = columnsShape[batched ? 2 : 1];
  const windowPositions = sizeOf(info.outSize);
  if (positions !== windowPositions) {
    throw new ConvError(
      op,
      'columns',
      `columns ${formatShape(columnsShape)} have ${positions} window positions, but kernel [${kernelSize.join(',')}] over [${outputSize.join(',')}] with this stride, padding and dilation slides to ${windowPositions} (${info.outSize.join('x')})`,
    );
  }
  return info;
}
