import { effectiveKernelSize } from './kernel-extent.js';
import { ConvError, describeValue } from '../errors.js';
import { checkExtent, explicitPadding, fail, perDimIntegers, type ShapeContext } from './normalize.js';
import type { Padding } from './types.js';

/**
 * Splits a total 'same' padding of one spatial dim into `[begin, end]`: an odd extra goes at the
 * end, except for ONNX's `'same_lower'`, which puts it at the beginning. Convolution and
 * transposed convolution (where `total` may be negative and extend the output) both split here.
 *
 * @example
 * ```ts
 * import { splitSamePadding } from '@convkit/core/shape';
 * splitSamePadding(3, 'same_upper'); // [1, 2]
 * splitSamePadding(3, 'same_lower'); // [2, 1]
 * ```
 */
export function splitSamePadding(total: number, padding: Padding): [number, number] {
  const half = Math.floor(total / 2);
  const begin = padding === 'same_lower' ? total - half : half;
  return [begin, total - begin];
}

/**
 * Geometry that {@link resolvePadding} needs: sizes per spatial dim.
 *
 * @example
 * ```ts
 * import type { PaddingGeometry } from '@convkit/core/shape';
 * const geometry: PaddingGeometry = { inSize: [224, 224], kernelSize: [7, 7], stride: 2 };
 * geometry.kernelSize; // [7, 7]
 * ```
 */
export interface PaddingGeometry {
  inSize: readonly number[];
  kernelSize: readonly number[];
  stride?: number | readonly number[];
  dilation?: number | readonly number[];
}

/**
 * Resolves any {@link Padding} of a convolution into begin/end amounts per spatial dim, with
 * PyTorch's `'same'` (stride 1 only, odd extra at the end) and ONNX's `'same_upper'` /
 * `'same_lower'` (output = ceil(in / stride), odd extra at the end / beginning).
 *
 * @throws {ConvError} for malformed padding, negative amounts, or `'same'` with a stride above 1.
 * @example
 * ```ts
 * import { resolvePadding } from '@convkit/core/shape';
 * resolvePadding('same_upper', { inSize: [5], kernelSize: [4], stride: [2] });
 * // { padBegin: [1], padEnd: [2] }
 * resolvePadding('same_lower', { inSize: [5], kernelSize: [4], stride: [2] });
 * // { padBegin: [2], padEnd: [1] }
 * resolvePadding([[0, 1], [2, 2]], { inSize: [5, 5], kernelSize: [3, 3] });
 * // { padBegin: [0, 2], padEnd: [1, 2] }
 * ```
 */
export function resolvePadding(
  padding: Padding | undefined,
  geometry: PaddingGeometry,
  op = 'conv',
): { padBegin: number[]; padEnd: number[] } {
  const { inSize, kernelSize } = geometry ?? {};
  if (
    !Array.isArray(inSize) ||
    !Array.isArray(kernelSize) ||
    inSize.length !== kernelSize.length ||
    inSize.length > 3
  ) {
    throw new ConvError(
      op,
      'geometry',
      `inSize and kernelSize must be arrays of one entry per spatial dim (1 to 3), got inSize ${describeValue(inSize)}, kernelSize ${describeValue(kernelSize)}`,
    );
  }
  for (let axis = 0; axis < inSize.length; axis++) {
    checkExtent(op, `inSize[${axis}]`, inSize[axis], 1);
    checkExtent(op, `kernelSize[${axis}]`, kernelSize[axis], 1);
  }
  const spatialRank = kernelSize.length;
  const context: ShapeContext = { op, inputShape: inSize, weightShape: kernelSize };
  const stride = perDimIntegers(context, 'stride', geometry.stride, spatialRank, 1, 1);
  const dilation = perDimIntegers(context, 'dilation', geometry.dilation, spatialRank, 1, 1);
  return convPadding(context, padding, inSize, kernelSize, stride, dilation);
}

/** {@link resolvePadding} for a validated call: stride and dilation already expanded per dim. */
export function convPadding(
  context: ShapeContext,
  padding: Padding | undefined,
  inSize: readonly number[],
  kernelSize: readonly number[],
  stride: readonly number[],
  dilation: readonly number[],
): { padBegin: number[]; padEnd: number[] } {
  if (typeof padding !== 'string') return explicitPadding(context, padding, kernelSize.length);
  const padBegin: number[] = [];
  const padEnd: number[] = [];
  for (let axis = 0; axis < kernelSize.length; axis++) {
    const span = effectiveKernelSize(kernelSize[axis], dilation[axis]);
    let total: number;
    switch (padding) {
      case 'valid':
        total = 0;
        break;
      case 'same':
        if (stride.some((step) => step !== 1)) {
          fail(
            context,
            'padding',
            `padding 'same' (PyTorch) needs stride 1, got stride [${stride.join(',')}]; use 'same_upper' or 'same_lower' for strided same padding`,
          );
        }
        total = span - 1;
        break;
      case 'same_upper':
      case 'same_lower': {
        const outSize = Math.ceil(inSize[axis] / stride[axis]);
        total = Math.max(0, (outSize - 1) * stride[axis] + span - inSize[axis]);
        break;
      }
      default:
        fail(
          context,
          'padding',
          `unknown padding ${describeValue(padding)}; expected 'valid', 'same', 'same_upper', 'same_lower', a number, or one number or [begin, end] pair per spatial dim`,
        );
    }
    const [begin, end] = splitSamePadding(total, padding);
    padBegin.push(begin);
    padEnd.push(end);
  }
  return { padBegin, padEnd };
}
