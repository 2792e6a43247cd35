import { walkOutputTaps } from '../algorithms/tap-walk.js';
import { ConvError, formatShape } from '../errors.js';
import { readCall } from '../shape/check-call.js';
import { convInfo } from '../shape/conv-info.js';
import type { ConvOptions } from '../shape/types.js';
import { sizeOf, type Tensor } from '../tensor.js';

/**
 * The largest Toeplitz matrix {@link convMatrix} builds: 2^25 entries (128 MiB of float32).
 *
 * @example
 * ```ts
 * import { MAX_MATRIX_ELEMENTS } from '@convkit/core';
 * MAX_MATRIX_ELEMENTS; // 33554432
 * ```
 */
export const MAX_MATRIX_ELEMENTS = 2 ** 25;

/** The options {@link convMatrix} takes; `algorithm` too (it has one), so callers may pass the same options to every op. */
const MATRIX_OPTION_NAMES = ['stride', 'dilation', 'groups', 'padding', 'paddingMode', 'algorithm'];

/**
 * The convolution as an explicit (Toeplitz) matrix `C`, `[C_out * prod(out), C_in * prod(in)]`,
 * for one sample: `conv(x) = C x` (plus bias) and `convTranspose(y) = C^T y` with the same weight.
 * Works for every variant (stride, padding and padding modes, dilation, groups). `inputShape`
 * may be batched; the matrix acts on one sample.
 *
 * @throws {ConvError} for an invalid geometry, or when the matrix would exceed {@link MAX_MATRIX_ELEMENTS}.
 * @example
 * ```ts
 * import { convMatrix, tensor } from '@convkit/core';
 * // A 2x2 kernel over a 3x3 input: 4 outputs, 9 inputs.
 * const matrix = convMatrix([1, 1, 3, 3], tensor([1, 2, 3, 4], [1, 1, 2, 2]));
 * matrix.shape; // [4, 9]
 * matrix.data.slice(0, 9); // Float32Array [1, 2, 0, 3, 4, 0, 0, 0, 0]
 * ```
 */
export function convMatrix(
  inputShape: readonly number[],
  weight: Tensor,
  options: Omit<ConvOptions, 'bias' | 'algorithm'> = {},
): Tensor {
  const op = 'convMatrix';
  const call = readCall(op, options, { weight }, { required: ['weight'], optionNames: MATRIX_OPTION_NAMES });
  const weightTensor = call.tensors.weight as Tensor;
  // Read once, like every tensor's shape (convInfo checks its entries).
  const shape = Array.isArray(inputShape) && inputShape.length <= 16 ? Array.from(inputShape) : inputShape;
  const info = convInfo(shape, weightTensor.shape, call.options as ConvOptions, op);
  // The size check comes before anything is built: the tap maps alone can be large.
  const rows = info.outChannels * sizeOf(info.outSize);
  const columns = info.inChannels * sizeOf(info.inSize);
  if (rows * columns > MAX_MATRIX_ELEMENTS) {
    throw new ConvError(
      op,
      'inputShape',
      `the matrix would be ${rows} x ${columns} = ${rows * columns} entries, more than the limit of ${MAX_MATRIX_ELEMENTS}; input ${formatShape(shape)}, weight ${formatShape(weightTensor.shape)}`,
    );
  }
  const matrix = new Float32Array(rows * columns);
  // One sample: with batch 1 the walk's flat output index is the matrix row, its input offsets the columns.
  walkOutputTaps(
    info,
    (at) => {
      for (let inChannel = 0; inChannel < info.inChannelsPerGroup; inChannel++) {
        const columnBase = at.output * columns + at.inputGroupBase + inChannel * at.inPlane;
        const weightChannelBase = at.weightGroupBase + inChannel * at.inChannelStride;
        for (let tap = 0; tap < at.count; tap++) {
          // `+=`: with reflect/replicate/circular padding several taps can read one input.
          matrix[columnBase + at.inputOffset[tap]] += weightTensor.data[weightChannelBase + at.tapOffset[tap]];
        }
      }
    },
    1,
  );
  return { shape: Object.freeze([rows, columns]), data: matrix };
}
