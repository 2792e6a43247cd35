/**
 * A generator of random invalid calls, for fuzzing refusals: a valid call of an op (its shapes
 * written out here, never derived from the code under test) with exactly one fault put in, drawn
 * from faults that no backend may accept whatever the rest of the call is. A backend must refuse
 * each with a ConvError (never a TypeError or RangeError), in a bounded message, at once.
 */

interface FuzzTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** One invalid call: the op, its arguments in call order (options last), and the fault put in. */
export interface InvalidCall {
  readonly op: string;
  readonly args: readonly unknown[];
  readonly fault: string;
}

function filled(shape: readonly number[]): FuzzTensor {
  return { shape: [...shape], data: new Float32Array(shape.reduce((product, extent) => product * extent, 1)) };
}

/** Valid calls, one per op: the operand shapes. Every fault below breaks each of them. */
const VALID_SHAPES: Readonly<Record<string, readonly (readonly number[])[]>> = {
  conv: [
    [1, 4, 6],
    [4, 4, 3],
  ],
  conv2d: [
    [1, 2, 5, 5],
    [2, 2, 3, 3],
  ],
  convTranspose: [
    [1, 2, 4],
    [2, 3, 3],
  ],
  depthwiseConv: [
    [1, 2, 6],
    [2, 1, 3],
  ],
  pointwiseConv: [
    [1, 2, 6],
    [3, 2, 1],
  ],
  separableConv: [
    [1, 2, 6],
    [2, 1, 3],
    [3, 2, 1],
  ],
};

/** Values no tensor argument may be. */
const BAD_TENSORS: readonly [string, () => unknown][] = [
  ['undefined', () => undefined],
  ['null', () => null],
  ['a number', () => 3],
  ['a long string', () => 'tensor'.repeat(10_000)],
  ['a bare Float32Array of 2^22 elements', () => new Float32Array(2 ** 22)],
  ['a plain array', () => [1, 2, 3]],
  ['a shape that is a string', () => ({ shape: '1,1,3', data: new Float32Array(3) })],
  ['a negative dim', () => ({ shape: [1, -1, 3], data: new Float32Array(3) })],
  ['a NaN dim', () => ({ shape: [1, Number.NaN, 3], data: new Float32Array(3) })],
  ['a fractional dim', () => ({ shape: [1, 1.5, 3], data: new Float32Array(3) })],
  ['a dim of 2^40', () => ({ shape: [1, 2 ** 40, 3], data: new Float32Array(3) })],
  ['a rank of 2^20', () => ({ shape: new Array(2 ** 20).fill(1), data: new Float32Array(1) })],
  ['data of the wrong length', () => ({ shape: [1, 1, 3], data: new Float32Array(4) })],
  ['Float64Array data', () => ({ shape: [1, 1, 3], data: new Float64Array(3) })],
  ['an empty spatial dim', () => ({ shape: [1, 1, 0], data: new Float32Array(0) })],
];

/** Option entries no op of the family accepts (for `conv2d`'s rank and every other base above). */
const BAD_OPTIONS: readonly [string, (random: () => number) => Record<string, unknown>][] = [
  ['stride 0', () => ({ stride: 0 })],
  ['stride -1', () => ({ stride: -1 })],
  ['stride 1.5', () => ({ stride: 1.5 })],
  ['stride NaN', () => ({ stride: Number.NaN })],
  ['stride a string', () => ({ stride: '2' })],
  ['stride of 2^20 entries', () => ({ stride: new Array(2 ** 20).fill(1) })],
  ['stride an object', () => ({ stride: {} })],
  ['dilation 0', () => ({ dilation: 0 })],
  ['dilation of 5 entries', () => ({ dilation: [1, 1, 1, 1, 1] })],
  ['padding -1', () => ({ padding: -1 })],
  ['padding a long unknown string', () => ({ padding: 'same'.repeat(50_000) })],
  ['padding pairs of 3', () => ({ padding: [[1, 1, 1]] })],
  ['padding 2^40', () => ({ padding: 2 ** 40 })],
  ['groups 0', () => ({ groups: 0 })],
  ['groups -2', () => ({ groups: -2 })],
  ['groups 2.5', () => ({ groups: 2.5 })],
  ['groups 3, dividing no channel count', () => ({ groups: 3 })],
  ['paddingMode unknown', () => ({ paddingMode: 'mirror' })],
  ['algorithm unknown', () => ({ algorithm: 'fft' })],
  ['bias of the wrong length', () => ({ bias: filled([7]) })],
  ['bias a bare Float32Array', () => ({ bias: new Float32Array(2 ** 20) })],
  ['an unknown option name', (random) => ({ [`opt${Math.floor(random() * 1e6)}`]: 1 })],
  ['a misspelled option name', () => ({ strides: 1 })],
];

/** Whole options arguments that are not an options object. */
const BAD_OPTIONS_ARGUMENTS: readonly [string, () => unknown][] = [
  ['options a number', () => 5],
  ['options an array', () => [1]],
  ['options a string', () => 'stride=2'],
];

/**
 * `count` invalid calls drawn with `random` (a seeded generator such as `mulberry32`): each a
 * valid call of one op with one fault (a bad tensor argument, a bad option, or a bad options
 * argument).
 *
 * @example
 * ```ts
 * import { invalidCalls, mulberry32 } from '@convkit/testkit';
 * invalidCalls(mulberry32(1), 3).length; // 3
 * ```
 */
export function invalidCalls(random: () => number, count: number): InvalidCall[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const ops = Object.keys(VALID_SHAPES);
  const calls: InvalidCall[] = [];
  for (let index = 0; index < count; index++) {
    const op = pick(ops);
    const operands: unknown[] = VALID_SHAPES[op].map(filled);
    let options: unknown = {};
    let fault: string;
    const kind = random();
    if (kind < 0.4) {
      const position = Math.floor(random() * operands.length);
      const [name, make] = pick(BAD_TENSORS);
      operands[position] = make();
      fault = `operand ${position}: ${name}`;
    } else if (kind < 0.9) {
      const [name, make] = pick(BAD_OPTIONS);
      options = make(random);
      fault = name;
    } else {
      const [name, make] = pick(BAD_OPTIONS_ARGUMENTS);
      options = make();
      fault = name;
    }
    calls.push({ op, args: [...operands, options], fault });
  }
  return calls;
}
