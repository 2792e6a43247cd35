/**
 * Valid calls with odd values (±Infinity, NaN, float32 overflow inside a sum), each result worked
 * out by hand from PyTorch's definition, never by the code under test. The rule for non-finite
 * values: zero padding is made of real zeros, so a padding tap adds `0 * weight`, which is NaN for
 * a weight of ±Infinity or NaN (PyTorch pads, then multiplies); other padding modes read real
 * input; a transposed convolution has no padding taps (its padding crops, and its stride gaps
 * receive nothing, as in PyTorch's col2im). Every backend must give the same NaN/±Infinity pattern.
 */

interface ValueTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** A valid call whose every output (non-finite ones included) is known exactly. */
export interface OddValueCase {
  /** A sentence about the behaviour, with the arithmetic, used as the test name. */
  readonly name: string;
  readonly op: string;
  readonly operands: readonly ValueTensor[];
  readonly options?: Readonly<Record<string, unknown>>;
  readonly expected: ValueTensor;
  /**
   * `'all'`: every backend. `'float64'`: only backends that accumulate a sum in float64 and round
   * once (core's `'direct'`, gpu's `'cpu'` mode); float32 accumulators may overflow on the way.
   */
  readonly backends: 'all' | 'float64';
}

function values(data: readonly number[], shape: readonly number[]): ValueTensor {
  return { shape: [...shape], data: Float32Array.from(data) };
}

const { POSITIVE_INFINITY: inf, NEGATIVE_INFINITY: minusInf, NaN: nan } = Number;
const ramp5x2 = values([1, 2, 3, 4, 5, 1, 2, 3, 4, 5], [1, 2, 5]);
/** Channel 0 has +Infinity on its first tap, channel 1 -Infinity on its last. */
const edgeInfinities = values([inf, 1, 0, 0, 1, minusInf], [2, 1, 3]);

export const ODD_VALUE_CASES: readonly OddValueCase[] = [
  {
    name: 'an Infinity weight over zero padding gives NaN (0 * Inf), over input Infinity: [0,1,2]·w = Inf, [1,2,3]·w = Inf, [2,3,0]·w = 3 + 0 * Inf = NaN',
    op: 'conv1d',
    operands: [values([1, 2, 3], [1, 1, 3]), values([0, 1, inf], [1, 1, 3])],
    options: { padding: 1 },
    expected: values([inf, inf, nan], [1, 1, 3]),
    backends: 'all',
  },
  {
    name: 'the padding NaN is the same for every batch item: [1,2,3] and [4,5,6] each give [Inf, Inf, NaN]',
    op: 'conv1d',
    operands: [values([1, 2, 3, 4, 5, 6], [2, 1, 3]), values([0, 1, inf], [1, 1, 3])],
    options: { padding: 1 },
    expected: values([inf, inf, nan, inf, inf, nan], [2, 1, 3]),
    backends: 'all',
  },
  {
    name: 'a NaN weight in a 3x3 corner over the padding of a 1x1 input gives NaN although the centre tap alone is 2',
    op: 'conv2d',
    operands: [values([2], [1, 1, 1, 1]), values([nan, 0, 0, 0, 1, 0, 0, 0, 0], [1, 1, 3, 3])],
    options: { padding: 1 },
    expected: values([nan], [1, 1, 1, 1]),
    backends: 'all',
  },
  {
    name: 'depthwise, stride 1: [Inf,1,0] gives NaN where Inf meets the left pad, [0,1,-Inf] NaN where -Inf meets the right pad',
    op: 'depthwiseConv',
    operands: [ramp5x2, edgeInfinities],
    options: { padding: 1 },
    expected: values([nan, inf, inf, inf, inf, minusInf, minusInf, minusInf, minusInf, nan], [1, 2, 5]),
    backends: 'all',
  },
  {
    name: 'depthwise, stride 2: windows at -1, 1, 3 give [NaN, Inf, Inf] and [-Inf, -Inf, NaN], as with stride 1',
    op: 'depthwiseConv',
    operands: [ramp5x2, edgeInfinities],
    options: { padding: 1, stride: 2 },
    expected: values([nan, inf, inf, minusInf, minusInf, nan], [1, 2, 3]),
    backends: 'all',
  },
  {
    name: 'depthwise in 3-D: an Infinity weight over the depth padding of a 1x1x1 input gives NaN',
    op: 'depthwiseConv',
    operands: [values([1], [1, 1, 1, 1, 1]), values([inf, 1, 0], [1, 1, 3, 1, 1])],
    options: { padding: [1, 0, 0] },
    expected: values([nan], [1, 1, 1, 1, 1]),
    backends: 'all',
  },
  {
    name: 'reflect padding reads real input, so no NaN: [2,1,2,3,2]·[0,1,Inf] = [Inf, Inf, Inf]',
    op: 'conv1d',
    operands: [values([1, 2, 3], [1, 1, 3]), values([0, 1, inf], [1, 1, 3])],
    options: { padding: 1, paddingMode: 'reflect' },
    expected: values([inf, inf, inf], [1, 1, 3]),
    backends: 'all',
  },
  {
    name: 'an Infinity input times a zero weight is NaN: [Inf,1]·[0,1] = NaN, [1,2]·[0,1] = 2',
    op: 'conv1d',
    operands: [values([inf, 1, 2], [1, 1, 3]), values([0, 1], [1, 1, 2])],
    expected: values([nan, 2], [1, 1, 2]),
    backends: 'all',
  },
  {
    name: 'Infinity and -Infinity in one window give NaN: [Inf,-Inf]·[1,1] = NaN, [-Inf,1]·[1,1] = -Inf',
    op: 'conv1d',
    operands: [values([inf, minusInf, 1], [1, 1, 3]), values([1, 1], [1, 1, 2])],
    expected: values([nan, minusInf], [1, 1, 2]),
    backends: 'all',
  },
  {
    name: 'a transposed conv has no padding taps: stride 3 scatters [1,1]·Inf to 0 and 3, the gaps stay 0',
    op: 'convTranspose1d',
    operands: [values([1, 1], [1, 1, 2]), values([inf], [1, 1, 1])],
    options: { stride: 3 },
    expected: values([inf, 0, 0, inf], [1, 1, 4]),
    backends: 'all',
  },
  {
    name: 'a transposed conv crops its padding: full [1, 1 + 2 * Inf, ...] cropped by 1 leaves [Inf]',
    op: 'convTranspose1d',
    operands: [values([1, 2], [1, 1, 2]), values([1, inf], [1, 1, 2])],
    options: { padding: 1 },
    expected: values([inf], [1, 1, 1]),
    backends: 'all',
  },
  {
    name: 'float64 accumulation: 3e38 + 3e38 - 3e38 passes 6e38 (beyond float32) on the way and ends at 3e38',
    op: 'conv1d',
    operands: [values([3e38, 3e38, -3e38], [1, 1, 3]), values([1, 1, 1], [1, 1, 3])],
    expected: values([3e38], [1, 1, 1]),
    backends: 'float64',
  },
];

/**
 * True when `got` holds `want`'s values: non-finite entries exactly (NaN where NaN, the same
 * infinity), finite ones within `absolute + relative * |want|`. Returns the first mismatch as text.
 *
 * @example
 * ```ts
 * import { sameValues } from '@convkit/testkit';
 * sameValues(new Float32Array([NaN, 1]), new Float32Array([NaN, 1]), 0, 0); // ''
 * ```
 */
export function sameValues(got: Float32Array, want: Float32Array, absolute: number, relative: number): string {
  if (got.length !== want.length) return `length ${got.length} != ${want.length}`;
  for (let index = 0; index < want.length; index++) {
    const expected = want[index];
    const actual = got[index];
    const ok = Number.isFinite(expected)
      ? Math.abs(actual - expected) <= absolute + relative * Math.abs(expected)
      : Object.is(actual, expected) || (Number.isNaN(actual) && Number.isNaN(expected));
    if (!ok) return `index ${index}: got ${actual}, want ${expected}`;
  }
  return '';
}
