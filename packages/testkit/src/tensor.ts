/**
 * The tensor testkit hands to a backend: only `{ shape, data }`, declared here rather than imported
 * from `@convkit/core`, so the test data depends on no code under test and core can devDepend on it.
 */
export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** The number of elements of a shape. */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, extent) => product * extent, 1);
}

/** A tensor of the given values (row-major), checked against its shape. */
export function tensorOf(values: readonly number[], shape: readonly number[]): Tensor {
  if (values.length !== elementCount(shape)) {
    throw new Error(`tensorOf: ${values.length} values do not fill shape [${shape.join(',')}]`);
  }
  return { shape: [...shape], data: Float32Array.from(values) };
}

/** A tensor of ones: error cases need tensors of the right shapes, not of particular values. */
export function ones(shape: readonly number[]): Tensor {
  return { shape: [...shape], data: new Float32Array(elementCount(shape)).fill(1) };
}
