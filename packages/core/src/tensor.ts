import { ConvError, describeValue, formatShape } from './errors.js';

/**
 * A dense float32 tensor: a shape and its row-major, contiguous data. Any plain object of this
 * form is accepted by every operation; there is no class to construct.
 *
 * @example
 * ```ts
 * import type { Tensor } from '@convkit/core';
 * const x: Tensor = { shape: [1, 1, 2, 2], data: new Float32Array([1, 2, 3, 4]) };
 * x.data.length; // 4
 * ```
 */
export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/**
 * A tensor known by its shape alone, its data held elsewhere (a result a GPU backend keeps on its
 * device): what `planCall` and `planBackward` validate for the tensors they are told are shape-only.
 *
 * @example
 * ```ts
 * import type { TensorShape } from '@convkit/core';
 * const kept: TensorShape = { shape: [1, 4, 8, 8] };
 * kept.shape.length; // 4
 * ```
 */
export interface TensorShape {
  readonly shape: readonly number[];
}

/**
 * The number of elements of a shape (1 for a scalar shape `[]`).
 *
 * @example
 * ```ts
 * import { sizeOf } from '@convkit/core';
 * sizeOf([2, 3, 4]); // 24
 * ```
 */
export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const extent of shape) size *= extent;
  return size;
}

/**
 * Builds a tensor from numbers and a shape, copying the data into a fresh `Float32Array`.
 *
 * @throws {ConvError} when a dimension is not a non-negative integer or the data length does not
 * match the shape.
 * @example
 * ```ts
 * import { tensor } from '@convkit/core';
 * const kernel = tensor([1, 0, -1], [1, 1, 3]); // a 1-D edge detector, [C_out, C_in, k]
 * kernel.data; // Float32Array [1, 0, -1]
 * ```
 */
export function tensor(data: ArrayLike<number>, shape: readonly number[]): Tensor {
  checkShape('tensor', 'shape', shape);
  checkElementLimit('tensor', shape);
  const size = sizeOf(shape);
  if (data.length !== size) {
    throw new ConvError(
      'tensor',
      'data',
      `data length ${data.length} does not match shape ${formatShape(shape)} (${size} elements)`,
    );
  }
  return { shape: Object.freeze([...shape]), data: Float32Array.from(data) };
}

/**
 * Builds a zero-filled tensor of the given shape.
 *
 * @example
 * ```ts
 * import { zeros } from '@convkit/core';
 * zeros([1, 3, 2, 2]).data.length; // 12
 * ```
 */
export function zeros(shape: readonly number[]): Tensor {
  checkShape('zeros', 'shape', shape);
  checkElementLimit('zeros', shape);
  return { shape: Object.freeze([...shape]), data: new Float32Array(sizeOf(shape)) };
}

/** The most elements a tensor may have (2^31 - 1, as `MAX_ELEMENTS` of the shape module). */
const MAX_TENSOR_ELEMENTS = 2 ** 31 - 1;

function checkElementLimit(op: string, shape: readonly number[]): void {
  const count = sizeOf(shape);
  if (count > MAX_TENSOR_ELEMENTS) {
    throw new ConvError(
      op,
      'shape',
      `shape ${formatShape(shape)} has ${count} elements, more than the limit of 2^31 - 1`,
    );
  }
}

/** Throws unless every dimension of `shape` is a finite non-negative integer. */
export function checkShape(op: string, arg: string, shape: readonly number[]): void {
  if (!Array.isArray(shape)) {
    throw new ConvError(op, arg, `${arg} must be an array of dimensions, got ${describeValue(shape)}`);
  }
  for (let axis = 0; axis < shape.length; axis++) {
    const extent = shape[axis];
    if (typeof extent !== 'number' || !Number.isInteger(extent) || extent < 0) {
      throw new ConvError(
        op,
        arg,
        `${arg}[${axis}] must be a non-negative integer, got ${describeValue(extent)}; ${arg} ${formatShape(shape)}`,
      );
    }
  }
}
