import { ConvError, describeValue, formatShape } from '../errors.js';
import type { Padding } from './types.js';

/**
 * The largest element count convkit allocates for one tensor (2^31 - 1, the limit of typed-array indexing here).
 *
 * @example
 * ```ts
 * import { MAX_ELEMENTS } from '@convkit/core/shape';
 * MAX_ELEMENTS; // 2147483647
 * ```
 */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/** Context carried through validation so that every message names the op and both shapes. */
export interface ShapeContext {
  readonly op: string;
  readonly inputShape: readonly number[];
  readonly weightShape: readonly number[];
}

export function shapesSuffix(context: ShapeContext): string {
  return `input ${formatShape(context.inputShape)}, weight ${formatShape(context.weightShape)}`;
}

export function fail(context: ShapeContext, arg: string, message: string): never {
  throw new ConvError(context.op, arg, `${message}; ${shapesSuffix(context)}`);
}

/** Bounded: a message never embeds what it was given whole. */
const describe = describeValue;

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

/**
 * Expands `stride`, `dilation` or `outputPadding` to one integer per spatial dim and checks its range.
 */
export function perDimIntegers(
  context: ShapeContext,
  arg: string,
  value: number | readonly number[] | undefined,
  spatialRank: number,
  fallback: number,
  minimum: number,
): number[] {
  if (value === undefined) return new Array<number>(spatialRank).fill(fallback);
  const values = typeof value === 'number' ? new Array<number>(spatialRank).fill(value) : value;
  if (!Array.isArray(values)) {
    fail(context, arg, `${arg} must be a number or an array of ${spatialRank} numbers, got ${describe(value)}`);
  }
  if (values.length !== spatialRank) {
    fail(
      context,
      arg,
      `${arg} must have one entry per spatial dim (${spatialRank}), got ${values.length}: ${describe(value)}`,
    );
  }
  for (const entry of values) {
    if (!isInteger(entry) || entry < minimum) {
      const wanted = minimum === 0 ? 'non-negative integers' : 'positive integers';
      fail(context, arg, `${arg} must be ${wanted}, got ${describe(value)}`);
    }
  }
  return [...values];
}

/**
 * Throws unless `value` is an integer in `[minimum, MAX_ELEMENTS]`: the check the shape helpers
 * share with the ops (a size above the element limit can never be allocated).
 *
 * @example
 * ```ts
 * import { checkExtent } from '@convkit/core/shape';
 * checkExtent('effectiveKernelSize', 'kernelSize', 3, 1); // 3
 * checkExtent('effectiveKernelSize', 'kernelSize', Number.NaN, 1); // throws ConvError
 * ```
 */
export function checkExtent(op: string, arg: string, value: unknown, minimum: number): number {
  if (!isInteger(value) || value < minimum || value > MAX_ELEMENTS) {
    throw new ConvError(op, arg, `${arg} must be an integer in [${minimum}, 2^31 - 1], got ${describeValue(value)}`);
  }
  return value;
}

export function positiveInteger(context: ShapeContext, arg: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (!isInteger(value) || value < 1) {
    fail(context, arg, `${arg} must be a positive integer, got ${describe(value)}`);
  }
  return value;
}

/**
 * Explicit padding (a number, one number per dim, or `[begin, end]` pairs) as begin/end arrays.
 * Strings are resolved by the caller; this only handles the numeric forms.
 */
export function explicitPadding(
  context: ShapeContext,
  padding: Exclude<Padding, string> | undefined,
  spatialRank: number,
): { padBegin: number[]; padEnd: number[] } {
  if (padding === undefined) {
    return { padBegin: new Array<number>(spatialRank).fill(0), padEnd: new Array<number>(spatialRank).fill(0) };
  }
  if (typeof padding === 'number') {
    if (!isInteger(padding) || padding < 0) {
      fail(context, 'padding', `padding must be a non-negative integer, got ${describe(padding)}`);
    }
    return {
      padBegin: new Array<number>(spatialRank).fill(padding),
      padEnd: new Array<number>(spatialRank).fill(padding),
    };
  }
  if (!Array.isArray(padding)) {
    fail(context, 'padding', `padding must be a number, an array or a padding string, got ${describe(padding)}`);
  }
  if (padding.length !== spatialRank) {
    fail(
      context,
      'padding',
      `padding must have one entry per spatial dim (${spatialRank}), got ${padding.length}: ${describe(padding)}` +
        (padding.length === 2 * spatialRank && padding.every((entry) => typeof entry === 'number')
          ? ' (asymmetric padding is written as [begin, end] pairs, not ONNX flat pads)'
          : ''),
    );
  }
  const padBegin: number[] = [];
  const padEnd: number[] = [];
  for (const entry of padding as readonly unknown[]) {
    const pair = typeof entry === 'number' ? [entry, entry] : entry;
    if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((side) => isInteger(side) && side >= 0)) {
      fail(
        context,
        'padding',
        `padding entries must be non-negative integers or [begin, end] pairs of them, got ${describe(padding)}`,
      );
    }
    padBegin.push(pair[0]);
    padEnd.push(pair[1]);
  }
  return { padBegin, padEnd };
}
