/**
 * The one error class of convkit. Every invalid call of an operation throws it, before any
 * allocation, with the operation (`op`, e.g. `'conv2d'`), the argument at fault (`arg`, e.g.
 * `'weight'`) and a message that names both and the shapes involved.
 *
 * @example
 * ```ts
 * import { conv2d, tensor, ConvError } from '@convkit/core';
 * const input = tensor(new Float32Array(8 * 25), [1, 8, 5, 5]);
 * const weight = tensor(new Float32Array(4 * 27), [4, 3, 3, 3]);
 * conv2d(input, weight, { groups: 2 });
 * // throws ConvError: conv2d: weight.shape[1] * groups (3 * 2 = 6) must equal input channels (8); input [1,8,5,5], weight [4,3,3,3]
 * let caught: unknown;
 * try {
 *   conv2d(input, weight, { groups: 2 });
 * } catch (error) {
 *   caught = error;
 * }
 * caught instanceof ConvError ? [caught.op, caught.arg] : []; // ['conv2d', 'weight']
 * ```
 */
export class ConvError extends Error {
  override readonly name = 'ConvError';
  /** The operation that refused its arguments, e.g. `'conv2d'` or `'convTranspose'`. */
  readonly op: string;
  /** The argument at fault, e.g. `'input'`, `'weight'`, `'stride'`, `'outputSize'`. */
  readonly arg: string;

  constructor(op: string, arg: string, message: string) {
    super(`${op}: ${message}`);
    this.op = op;
    this.arg = arg;
  }
}

/**
 * Formats a shape the way every message of convkit shows it: `[1,8,5,5]`.
 *
 * @example
 * ```ts
 * import { formatShape } from '@convkit/core/shape';
 * formatShape([1, 8, 5, 5]); // '[1,8,5,5]'
 * ```
 */
export function formatShape(shape: readonly number[]): string {
  // Bounded: a message never grows with what it was given (a rank-1e6 "shape" shows 8 dims).
  if (shape.length > MAX_SHOWN_ENTRIES) {
    return `[${shape.slice(0, MAX_SHOWN_ENTRIES).map(formatExtent).join(',')},... (${shape.length} dims)]`;
  }
  return `[${shape.map(formatExtent).join(',')}]`;
}

/** A dim as a message shows it: a number as it is, anything else (a malformed shape's entry) described. */
function formatExtent(extent: unknown): string {
  return typeof extent === 'number' ? String(extent) : describeValue(extent);
}

/** The most entries of an array a message shows. */
const MAX_SHOWN_ENTRIES = 8;
/** The most characters of a string a message shows. */
const MAX_SHOWN_CHARACTERS = 40;

/**
 * Describes any value for an error message in a bounded number of characters, never embedding
 * data: small arrays of numbers are shown, typed arrays, long arrays and objects only by kind and
 * size, strings cut at 40 characters.
 *
 * @example
 * ```ts
 * import { describeValue } from '@convkit/core';
 * describeValue([1, 2]); // '[1,2]'
 * describeValue(new Float32Array(1e6)); // 'a Float32Array of 1000000 elements'
 * describeValue('same'); // "'same'"
 * ```
 */
export function describeValue(value: unknown, depth = 0): string {
  if (typeof value === 'string') {
    const shown = value.length > MAX_SHOWN_CHARACTERS ? `${value.slice(0, MAX_SHOWN_CHARACTERS)}...` : value;
    return `'${shown}'`;
  }
  if (ArrayBuffer.isView(value)) {
    const length = (value as unknown as { length?: number }).length ?? value.byteLength;
    return `a ${Object.prototype.toString.call(value).slice(8, -1)} of ${length} elements`;
  }
  if (Array.isArray(value)) {
    const small = value.length <= MAX_SHOWN_ENTRIES && depth < 2;
    if (small && value.every((entry) => typeof entry !== 'object' || Array.isArray(entry))) {
      return `[${value.map((entry) => describeValue(entry, depth + 1)).join(',')}]`;
    }
    return `an array of ${value.length} entries`;
  }
  if (typeof value === 'function') return 'a function';
  if (value !== null && typeof value === 'object') return 'an object';
  if (typeof value === 'symbol') return 'a symbol';
  return String(value);
}
