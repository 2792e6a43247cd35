import { ones, type Tensor, tensorOf } from '../tensor.js';

/** Where a case applies: every backend, or only core (ops gpu does not offer, such as the matrix view). */
export type CaseBackends = 'all' | 'core';

/** A call whose result was worked out by hand from the math (shown in `name` or `why`), never by the code under test. */
export interface HandCase {
  /** A sentence about the behaviour, used as the test name. */
  readonly name: string;
  readonly op: string;
  /** The positional operands in call order (tensors, or a shape for `convMatrix`). */
  readonly operands: readonly (Tensor | readonly number[])[];
  readonly options?: Readonly<Record<string, unknown>>;
  readonly expected: Tensor;
  readonly backends: CaseBackends;
}

// Kernel [1, 10, 100] writes the three taps of each window as the digits of the output.
const ramp4 = tensorOf([1, 2, 3, 4], [1, 1, 4]);
const digits = tensorOf([1, 10, 100], [1, 1, 3]);

/** The hand-worked cases: padding modes, the documented examples, the matrix view. */
export const HAND_CASES: readonly HandCase[] = [
  {
    name: 'reflect mirrors around the edge without repeating it: [3,2 | 1,2,3,4 | 3,2]',
    op: 'conv1d',
    operands: [ramp4, digits],
    options: { padding: 2, paddingMode: 'reflect' },
    expected: tensorOf([123, 212, 321, 432, 343, 234], [1, 1, 6]),
    backends: 'all',
  },
  {
    name: 'replicate repeats the edge value: [1,1 | 1,2,3,4 | 4,4]',
    op: 'conv1d',
    operands: [ramp4, digits],
    options: { padding: 2, paddingMode: 'replicate' },
    expected: tensorOf([111, 211, 321, 432, 443, 444], [1, 1, 6]),
    backends: 'all',
  },
  {
    name: 'circular wraps around: [3,4 | 1,2,3,4 | 1,2]',
    op: 'conv1d',
    operands: [ramp4, digits],
    options: { padding: 2, paddingMode: 'circular' },
    expected: tensorOf([143, 214, 321, 432, 143, 214], [1, 1, 6]),
    backends: 'all',
  },
  {
    name: 'zeros pads with zeros: [0,0 | 1,2,3,4 | 0,0]',
    op: 'conv1d',
    operands: [ramp4, digits],
    options: { padding: 2 },
    expected: tensorOf([100, 210, 321, 432, 43, 4], [1, 1, 6]),
    backends: 'all',
  },
  {
    // [[1,2,3],[4,5,6]] padded one row above and one column right, by reflection.
    name: 'applies each axis its own asymmetric reflect padding in 2-D',
    op: 'conv2d',
    operands: [tensorOf([1, 2, 3, 4, 5, 6], [1, 1, 2, 3]), tensorOf([1], [1, 1, 1, 1])],
    options: {
      padding: [
        [1, 0],
        [0, 1],
      ],
      paddingMode: 'reflect',
    },
    expected: tensorOf([4, 5, 6, 5, 1, 2, 3, 2, 4, 5, 6, 5], [1, 1, 3, 4]),
    backends: 'all',
  },
  {
    name: 'conv: a difference filter with padding 1 finds the slope of a ramp',
    op: 'conv',
    operands: [tensorOf([1, 2, 3, 4, 5], [1, 1, 5]), tensorOf([1, 0, -1], [1, 1, 3])],
    options: { padding: 1 },
    expected: tensorOf([-2, -2, -2, -2, 4], [1, 1, 5]),
    backends: 'all',
  },
  {
    name: 'conv1d sums neighbours: [1+2, 2+3, 3+4]',
    op: 'conv1d',
    operands: [ramp4, tensorOf([1, 1], [1, 1, 2])],
    expected: tensorOf([3, 5, 7], [1, 1, 3]),
    backends: 'all',
  },
  {
    name: 'conv2d sums a 2x2 window: 1+2+3+4',
    op: 'conv2d',
    operands: [tensorOf([1, 2, 3, 4], [1, 1, 2, 2]), ones([1, 1, 2, 2])],
    expected: tensorOf([10], [1, 1, 1, 1]),
    backends: 'all',
  },
  {
    name: 'conv3d sums a 2x2x2 cube: 1+...+8',
    op: 'conv3d',
    operands: [tensorOf([1, 2, 3, 4, 5, 6, 7, 8], [1, 1, 2, 2, 2]), ones([1, 1, 2, 2, 2])],
    expected: tensorOf([36], [1, 1, 1, 1, 1]),
    backends: 'all',
  },
  {
    name: 'convTranspose stamps the kernel two cells apart: 1*[1,2,3] + 10*[_,_,1,2,3]',
    op: 'convTranspose',
    operands: [tensorOf([1, 10], [1, 1, 2]), tensorOf([1, 2, 3], [1, 1, 3])],
    options: { stride: 2 },
    expected: tensorOf([1, 2, 13, 20, 30], [1, 1, 5]),
    backends: 'all',
  },
  {
    name: 'convTranspose1d with stride 2 stamps [1,1] twice without overlap: [1,1,2,2]',
    op: 'convTranspose1d',
    operands: [tensorOf([1, 2], [1, 1, 2]), tensorOf([1, 1], [1, 1, 2])],
    options: { stride: 2 },
    expected: tensorOf([1, 1, 2, 2], [1, 1, 4]),
    backends: 'all',
  },
  {
    name: 'convTranspose2d of a single 1 is the kernel itself',
    op: 'convTranspose2d',
    operands: [tensorOf([1], [1, 1, 1, 1]), tensorOf([1, 2, 3, 4], [1, 1, 2, 2])],
    expected: tensorOf([1, 2, 3, 4], [1, 1, 2, 2]),
    backends: 'all',
  },
  {
    name: 'convTranspose3d of a single 1 is the 2x2x2 kernel of ones',
    op: 'convTranspose3d',
    operands: [tensorOf([1], [1, 1, 1, 1, 1]), ones([1, 1, 2, 2, 2])],
    expected: ones([1, 1, 2, 2, 2]),
    backends: 'all',
  },
  {
    // Two groups of one channel: channel 0 stamps [1,1], channel 1 stamps [2,-1]; stride 2, one extra cell, bias [0, 100].
    name: 'convTranspose with groups, output padding and bias',
    op: 'convTranspose',
    operands: [tensorOf([1, 2, 3, 4], [1, 2, 2]), tensorOf([1, 1, 2, -1], [2, 1, 2])],
    options: { groups: 2, stride: 2, outputPadding: 1, bias: tensorOf([0, 100], [2]) },
    expected: tensorOf([1, 1, 2, 2, 0, 106, 97, 108, 96, 100], [1, 2, 5]),
    backends: 'all',
  },
  {
    name: 'depthwiseConv keeps channels apart: sums for channel 0, differences for channel 1',
    op: 'depthwiseConv',
    operands: [tensorOf([1, 2, 3, 10, 20, 30], [1, 2, 3]), tensorOf([1, 1, -1, 1], [2, 1, 2])],
    expected: tensorOf([3, 5, 10, 10], [1, 2, 2]),
    backends: 'all',
  },
  {
    name: 'depthwiseConv with a multiplier: output channel c * multiplier + j reads input channel c',
    op: 'depthwiseConv',
    operands: [tensorOf([1, 2, 10, 20], [2, 2]), tensorOf([1, 2, 3, 4], [4, 1, 1])],
    expected: tensorOf([1, 2, 2, 4, 30, 60, 40, 80], [4, 2]),
    backends: 'all',
  },
  {
    name: 'pointwiseConv mixes channels per position: sums, then differences',
    op: 'pointwiseConv',
    operands: [tensorOf([1, 2, 3, 4], [1, 2, 2]), tensorOf([1, 1, 1, -1], [2, 2, 1])],
    expected: tensorOf([4, 6, -2, -2], [1, 2, 2]),
    backends: 'all',
  },
  {
    name: 'separableConv sums windows per channel ([3,5], [30,50]), then the channels',
    op: 'separableConv',
    operands: [tensorOf([1, 2, 3, 10, 20, 30], [1, 2, 3]), ones([2, 1, 2]), ones([1, 2, 1])],
    expected: tensorOf([33, 55], [1, 1, 2]),
    backends: 'all',
  },
  {
    name: 'convMatrix builds the 4x9 Toeplitz matrix of a 2x2 kernel over a 3x3 input',
    op: 'convMatrix',
    operands: [[1, 1, 3, 3], tensorOf([1, 2, 3, 4], [1, 1, 2, 2])],
    expected: tensorOf(
      [1, 2, 0, 3, 4, 0, 0, 0, 0, 0, 1, 2, 0, 3, 4, 0, 0, 0, 0, 0, 0, 1, 2, 0, 3, 4, 0, 0, 0, 0, 0, 1, 2, 0, 3, 4],
      [4, 9],
    ),
    backends: 'core',
  },
  {
    name: 'im2col unfolds the four 2x2 windows of a 3x3 grid into columns',
    op: 'im2col',
    operands: [tensorOf([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3])],
    options: { kernelSize: [2, 2] },
    expected: tensorOf([1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9], [1, 4, 4]),
    backends: 'core',
  },
  {
    // The columns of a 3x3 grid of ones are all ones; folding them back counts the windows over each cell.
    name: 'col2im counts the overlapping 2x2 windows over each cell of a 3x3 grid',
    op: 'col2im',
    operands: [ones([1, 4, 4])],
    options: { kernelSize: [2, 2], outputSize: [3, 3] },
    expected: tensorOf([1, 2, 1, 2, 4, 2, 1, 2, 1], [1, 1, 3, 3]),
    backends: 'core',
  },
];
