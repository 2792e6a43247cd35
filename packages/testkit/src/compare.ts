import type { Tensor } from './tensor.js';

/** An error bound `|got - want| <= absolute + relative * |want|`, declared once per backend. */
export interface Tolerance {
  readonly absolute: number;
  readonly relative: number;
}

/** The conformance README's bound for a float32 CPU implementation. */
export const CPU_TOLERANCE: Tolerance = { absolute: 1e-5, relative: 1e-5 };
/** The bound every GPU mode must meet. */
export const GPU_TOLERANCE: Tolerance = { absolute: 1e-4, relative: 1e-4 };
export const EXACT: Tolerance = { absolute: 0, relative: 0 };

export interface Comparison {
  readonly ok: boolean;
  readonly maxAbsError: number;
  /** First index that breaks the bound, or -1. */
  readonly firstBadIndex: number;
  readonly message: string;
}

/** Compares shapes exactly and values within the tolerance, with a message that says where they differ. */
export function compareTensors(got: Tensor, want: Tensor, tolerance: Tolerance): Comparison {
  const shapeOk =
    got.shape.length === want.shape.length && got.shape.every((extent, axis) => extent === want.shape[axis]);
  if (!shapeOk) {
    return {
      ok: false,
      maxAbsError: Infinity,
      firstBadIndex: -1,
      message: `shape [${got.shape.join(',')}] != expected [${want.shape.join(',')}]`,
    };
  }
  if (got.data.length !== want.data.length) {
    return {
      ok: false,
      maxAbsError: Infinity,
      firstBadIndex: -1,
      message: `data length ${got.data.length} != ${want.data.length}`,
    };
  }
  let maxAbsError = 0;
  let firstBadIndex = -1;
  for (let index = 0; index < want.data.length; index++) {
    const error = Math.abs(got.data[index] - want.data[index]);
    if (!(error <= tolerance.absolute + tolerance.relative * Math.abs(want.data[index]))) {
      if (firstBadIndex < 0) firstBadIndex = index;
    }
    if (error > maxAbsError || Number.isNaN(error)) maxAbsError = Number.isNaN(error) ? Infinity : error;
  }
  const message =
    firstBadIndex < 0
      ? `max |error| ${maxAbsError}`
      : `index ${firstBadIndex}: got ${got.data[firstBadIndex]}, want ${want.data[firstBadIndex]} (max |error| ${maxAbsError})`;
  return { ok: firstBadIndex < 0, maxAbsError, firstBadIndex, message };
}

/**
 * The inner product `<a, b>` in float64, with `scale = sum |a_i * b_i|`: the size of the summed
 * products, which is what float32 rounding of either side is relative to (a plain `|value|`
 * can be near zero by cancellation). The adjoint identities compare two such products.
 */
export function innerProduct(
  a: Float32Array | Float64Array,
  b: Float32Array | Float64Array,
): { value: number; scale: number } {
  let value = 0;
  let scale = 0;
  for (let index = 0; index < a.length; index++) {
    value += a[index] * b[index];
    scale += Math.abs(a[index] * b[index]);
  }
  return { value, scale };
}
