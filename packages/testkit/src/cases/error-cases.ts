import { ones, type Tensor } from '../tensor.js';
import type { CaseBackends } from './hand-cases.js';

/** An invalid call and the full text of the error every backend must answer it with. */
export interface ErrorCase {
  /** A sentence about the refusal, used as the test name. */
  readonly name: string;
  readonly op: string;
  /** The positional arguments in call order (tensors, shapes, or deliberately malformed values). */
  readonly operands: readonly unknown[];
  /** The options argument as passed (may itself be malformed); omitted means none. */
  readonly options?: unknown;
  /** The full message of the ConvError. */
  readonly message: string;
  /** The argument the error names (ConvError.arg), where the case pins it. */
  readonly arg?: string;
  /** The op the error names (ConvError.op), when it differs from `op`. */
  readonly errorOp?: string;
  readonly backends: CaseBackends;
}

const x = ones([1, 8, 5, 5]);
const w = ones([4, 8, 3, 3]);
const signal = ones([1, 1, 5]);
const taps3 = ones([1, 1, 3]);
/** A tensor whose data is shorter than its shape. */
const short = (shape: number[], length: number): Tensor => ({ shape, data: new Float32Array(length) });

/** Core's error cases and gpu's invalid calls, in one list. */
export const ERROR_CASES: readonly ErrorCase[] = [
  {
    name: 'a group mismatch names the op, the argument and both shapes',
    op: 'conv2d',
    operands: [x, ones([4, 3, 3, 3])],
    options: { groups: 2 },
    arg: 'weight',
    message:
      'conv2d: weight.shape[1] * groups (3 * 2 = 6) must equal input channels (8); input [1,8,5,5], weight [4,3,3,3]',
    backends: 'all',
  },
  {
    name: 'conv with a weight group mismatch',
    op: 'conv',
    operands: [x, ones([4, 3, 3, 3])],
    options: { groups: 2 },
    arg: 'weight',
    message:
      'conv: weight.shape[1] * groups (3 * 2 = 6) must equal input channels (8); input [1,8,5,5], weight [4,3,3,3]',
    backends: 'all',
  },
  {
    name: 'refuses an input whose rank does not fit the weight',
    op: 'conv',
    operands: [ones([1, 1, 1, 5, 5]), ones([1, 1, 3, 3])],
    arg: 'input',
    message:
      'conv: input must have 4 dims (batched [N, C, ...]) or 3 (unbatched [C, ...]) to match a weight with 2 spatial dims, got 5; input [1,1,1,5,5], weight [1,1,3,3]',
    backends: 'all',
  },
  {
    name: 'conv1d refuses a weight of rank 4',
    op: 'conv1d',
    operands: [x, ones([1, 8, 3, 3])],
    message:
      'conv1d: weight must have 3 dims ([C_out, C_in/groups, ...kernel]), got 4; input [1,8,5,5], weight [1,8,3,3]',
    backends: 'all',
  },
  {
    name: 'convTranspose2d refuses a weight of rank 3',
    op: 'convTranspose2d',
    operands: [ones([1, 2, 3]), ones([2, 1, 3])],
    message:
      'convTranspose2d: weight must have 4 dims ([C_in, C_out/groups, ...kernel]), got 3; input [1,2,3], weight [2,1,3]',
    backends: 'all',
  },
  {
    name: 'refuses a weight with more than 3 spatial dims',
    op: 'conv',
    operands: [ones([1, 1, 2, 2, 2, 2]), ones([1, 1, 1, 1, 1, 1])],
    message:
      'conv: weight must have 3, 4 or 5 dims ([C_out, C_in/groups, ...kernel]), got 6; input [1,1,2,2,2,2], weight [1,1,1,1,1,1]',
    backends: 'all',
  },
  {
    name: 'refuses input channels not divisible by groups',
    op: 'conv2d',
    operands: [x, ones([3, 8, 3, 3])],
    options: { groups: 3 },
    arg: 'groups',
    message: 'conv2d: input channels (8) must be divisible by groups (3); input [1,8,5,5], weight [3,8,3,3]',
    backends: 'all',
  },
  {
    name: 'refuses output channels not divisible by groups',
    op: 'conv2d',
    operands: [x, ones([3, 4, 3, 3])],
    options: { groups: 2 },
    message:
      'conv2d: weight.shape[0] (output channels, 3) must be divisible by groups (2); input [1,8,5,5], weight [3,4,3,3]',
    backends: 'all',
  },
  {
    name: 'refuses a weight whose input channels do not match the input',
    op: 'conv2d',
    operands: [x, ones([4, 6, 3, 3])],
    message:
      'conv2d: weight.shape[1] * groups (6 * 1 = 6) must equal input channels (8); input [1,8,5,5], weight [4,6,3,3]',
    backends: 'all',
  },
  {
    name: 'refuses a transposed weight whose first dim is not the input channels',
    op: 'convTranspose',
    operands: [ones([1, 4, 3, 3]), ones([2, 2, 3, 3])],
    message: 'convTranspose: weight.shape[0] (2) must equal input channels (4); input [1,4,3,3], weight [2,2,3,3]',
    backends: 'all',
  },
  {
    name: 'refuses a bias that is not [C_out]',
    op: 'conv2d',
    operands: [x, w],
    options: { bias: ones([8]) },
    message: 'conv2d: bias must have shape [4] (output channels), got [8]; input [1,8,5,5], weight [4,8,3,3]',
    backends: 'all',
  },
  {
    name: 'conv with a bias of the wrong length',
    op: 'conv',
    operands: [ones([1, 2, 5]), ones([3, 2, 3])],
    options: { bias: ones([2]) },
    message: 'conv: bias must have shape [3] (output channels), got [2]; input [1,2,5], weight [3,2,3]',
    backends: 'all',
  },
  {
    name: 'refuses a non-integer stride',
    op: 'conv2d',
    operands: [x, w],
    options: { stride: 1.5 },
    arg: 'stride',
    message: 'conv2d: stride must be positive integers, got 1.5; input [1,8,5,5], weight [4,8,3,3]',
    backends: 'all',
  },
  {
    name: 'conv with stride 0',
    op: 'conv',
    operands: [signal, taps3],
    options: { stride: 0 },
    arg: 'stride',
    message: 'conv: stride must be positive integers, got 0; input [1,1,5], weight [1,1,3]',
    backends: 'all',
  },
  {
    name: 'refuses a non-positive dilation',
    op: 'conv2d',
    operands: [x, w],
    options: { dilation: [1, 0] },
    message: 'conv2d: dilation must be positive integers, got [1,0]; input [1,8,5,5], weight [4,8,3,3]',
    backends: 'all',
  },
  {
    name: 'refuses zero groups',
    op: 'conv2d',
    operands: [x, w],
    options: { groups: 0 },
    message: 'conv2d: groups must be a positive integer, got 0; input [1,8,5,5], weight [4,8,3,3]',
    backends: 'all',
  },
  {
    name: 'refuses fractional groups',
    op: 'conv2d',
    operands: [x, w],
    options: { groups: 1.5 },
    message: 'conv2d: groups must be a positive integer, got 1.5; input [1,8,5,5], weight [4,8,3,3]',
    backends: 'all',
  },
  {
    name: 'refuses NaN groups',
    op: 'conv2d',
    operands: [x, w],
    options: { groups: Number.NaN },
    message: 'conv2d: groups must be a positive integer, got NaN; input [1,8,5,5], weight [4,8,3,3]',
    backends: 'all',
  },
  {
    name: 'refuses an infinite stride',
    op: 'conv2d',
    operands: [x, w],
    options: { stride: Number.POSITIVE_INFINITY },
    message: 'conv2d: stride must be positive integers, got Infinity; input [1,8,5,5], weight [4,8,3,3]',
    backends: 'all',
  },
  {
    name: 'refuses NaN padding',
    op: 'conv2d',
    operands: [x, w],
    options: { padding: Number.NaN },
    message: 'conv2d: padding must be a non-negative integer, got NaN; input [1,8,5,5], weight [4,8,3,3]',
    backends: 'all',
  },
  {
    name: 'refuses negative padding',
    op: 'conv2d',
    operands: [x, w],
    options: { padding: -1 },
    message: 'conv2d: padding must be a non-negative integer, got -1; input [1,8,5,5], weight [4,8,3,3]',
    backends: 'all',
  },
  {
    name: 'refuses a negative entry in a [begin, end] pair',
    op: 'conv2d',
    operands: [x, w],
    options: {
      padding: [
        [0, -1],
        [1, 1],
      ],
    },
    message:
      'conv2d: padding entries must be non-negative integers or [begin, end] pairs of them, got [[0,-1],[1,1]]; input [1,8,5,5], weight [4,8,3,3]',
    backends: 'all',
  },
  {
    name: 'refuses a padding list of the wrong length',
    op: 'conv2d',
    operands: [x, w],
    options: { padding: [1, 1, 1] },
    message:
      'conv2d: padding must have one entry per spatial dim (2), got 3: [1,1,1]; input [1,8,5,5], weight [4,8,3,3]',
    backends: 'all',
  },
  {
    name: 'points out ONNX flat pads',
    op: 'conv2d',
    operands: [x, w],
    options: { padding: [1, 0, 1, 0] },
    message:
      'conv2d: padding must have one entry per spatial dim (2), got 4: [1,0,1,0] (asymmetric padding is written as [begin, end] pairs, not ONNX flat pads); input [1,8,5,5], weight [4,8,3,3]',
    backends: 'all',
  },
  {
    name: 'refuses a stride list of the wrong length',
    op: 'conv2d',
    operands: [x, w],
    options: { stride: [1, 1, 1] },
    message:
      'conv2d: stride must have one entry per spatial dim (2), got 3: [1,1,1]; input [1,8,5,5], weight [4,8,3,3]',
    backends: 'all',
  },
  {
    name: "refuses PyTorch's 'same' with a stride",
    op: 'conv2d',
    operands: [x, w],
    options: { padding: 'same', stride: 2 },
    message:
      "conv2d: padding 'same' (PyTorch) needs stride 1, got stride [2,2]; use 'same_upper' or 'same_lower' for strided same padding; input [1,8,5,5], weight [4,8,3,3]",
    backends: 'all',
  },
  {
    name: "conv with 'same' padding and stride 2",
    op: 'conv',
    operands: [signal, taps3],
    options: { stride: 2, padding: 'same' },
    message:
      "conv: padding 'same' (PyTorch) needs stride 1, got stride [2]; use 'same_upper' or 'same_lower' for strided same padding; input [1,1,5], weight [1,1,3]",
    backends: 'all',
  },
  {
    name: 'refuses an unknown padding string',
    op: 'conv2d',
    operands: [x, w],
    options: { padding: 'full' },
    message:
      "conv2d: unknown padding 'full'; expected 'valid', 'same', 'same_upper', 'same_lower', a number, or one number or [begin, end] pair per spatial dim; input [1,8,5,5], weight [4,8,3,3]",
    backends: 'all',
  },
  {
    name: 'refuses an unknown padding mode',
    op: 'conv2d',
    operands: [x, w],
    options: { paddingMode: 'mirror' },
    message:
      "conv2d: paddingMode must be one of 'zeros', 'reflect', 'replicate', 'circular', got 'mirror'; input [1,8,5,5], weight [4,8,3,3]",
    backends: 'all',
  },
  {
    name: 'conv with an unknown padding mode',
    op: 'conv',
    operands: [signal, taps3],
    options: { paddingMode: 'mirror' },
    message:
      "conv: paddingMode must be one of 'zeros', 'reflect', 'replicate', 'circular', got 'mirror'; input [1,1,5], weight [1,1,3]",
    backends: 'all',
  },
  {
    name: 'refuses reflect padding as large as the input, as PyTorch does',
    op: 'conv1d',
    operands: [ones([1, 1, 3]), taps3],
    options: { padding: 3, paddingMode: 'reflect' },
    message:
      "conv1d: paddingMode 'reflect' needs padding of at most 2 on spatial dim 0 (input size 3), got [3, 3]; input [1,1,3], weight [1,1,3]",
    backends: 'all',
  },
  {
    name: 'refuses a padding mode on a transposed convolution',
    op: 'convTranspose',
    operands: [ones([1, 1, 3]), taps3],
    options: { paddingMode: 'reflect' },
    message:
      "convTranspose: paddingMode 'reflect' is not supported by transposed convolution, only 'zeros' (as in PyTorch); input [1,1,3], weight [1,1,3]",
    backends: 'all',
  },
  {
    name: "refuses 'same' on a transposed convolution",
    op: 'convTranspose',
    operands: [ones([1, 1, 3]), taps3],
    options: { padding: 'same' },
    message:
      "convTranspose: padding 'same' is not defined for transposed convolution; use 'same_upper' or 'same_lower' (ONNX) or explicit padding; input [1,1,3], weight [1,1,3]",
    backends: 'all',
  },
  {
    name: 'refuses options that are a number',
    op: 'conv2d',
    operands: [x, w],
    options: 3,
    message: 'conv2d: options must be an object, got 3',
    backends: 'all',
  },
  {
    name: 'conv with options that are an array',
    op: 'conv',
    operands: [signal, taps3],
    options: [],
    message: 'conv: options must be an object, got an array',
    backends: 'all',
  },
  {
    name: 'refuses an unknown algorithm',
    op: 'conv2d',
    operands: [x, w],
    options: { algorithm: 'winograd' },
    message: `conv2d: algorithm must be 'auto' or 'direct', got 'winograd'`,
    backends: 'all',
  },
  {
    name: 'conv with an unknown algorithm',
    op: 'conv',
    operands: [signal, taps3],
    options: { algorithm: 'fft' },
    message: `conv: algorithm must be 'auto' or 'direct', got 'fft'`,
    backends: 'all',
  },
  {
    name: 'refuses an output that would be empty',
    op: 'conv2d',
    operands: [ones([1, 1, 2, 5]), ones([1, 1, 3, 3])],
    arg: 'input',
    message:
      'conv2d: the output would be empty: spatial dim 0 has size 0 (input 2 + padding 0 + 0 is smaller than the dilated kernel 3); input [1,1,2,5], weight [1,1,3,3]',
    backends: 'all',
  },
  {
    name: 'conv with a kernel larger than the padded input',
    op: 'conv',
    operands: [ones([1, 1, 2]), ones([1, 1, 5])],
    arg: 'input',
    message:
      'conv: the output would be empty: spatial dim 0 has size -2 (input 2 + padding 0 + 0 is smaller than the dilated kernel 5); input [1,1,2], weight [1,1,5]',
    backends: 'all',
  },
  {
    name: 'refuses a transposed output cropped away entirely',
    op: 'convTranspose',
    operands: [ones([1, 1, 1]), ones([1, 1, 2])],
    options: { padding: 1 },
    message:
      'convTranspose: the output would be empty: spatial dim 0 has size 0 (padding 1 + 1 crops away the whole 2 positions); input [1,1,1], weight [1,1,2]',
    backends: 'all',
  },
  {
    name: 'refuses an outputPadding not below the stride or the dilation',
    op: 'convTranspose',
    operands: [ones([1, 1, 3]), taps3],
    options: { stride: 2, outputPadding: 2 },
    arg: 'outputPadding',
    message:
      'convTranspose: outputPadding [2] must be smaller than either stride [2] or dilation [1] on every spatial dim; input [1,1,3], weight [1,1,3]',
    backends: 'all',
  },
  {
    name: 'convTranspose with output padding not below the stride',
    op: 'convTranspose',
    operands: [ones([1, 1, 4]), taps3],
    options: { stride: 2, outputPadding: 2 },
    arg: 'outputPadding',
    message:
      'convTranspose: outputPadding [2] must be smaller than either stride [2] or dilation [1] on every spatial dim; input [1,1,4], weight [1,1,3]',
    backends: 'all',
  },
  {
    // (4 - 1) * 3 - 1 - 1 + 3 = 10, and at most stride - 1 = 2 more.
    name: 'refuses an outputSize out of range',
    op: 'convTranspose',
    operands: [ones([1, 1, 4]), taps3],
    options: { stride: 3, padding: 1, outputSize: [13] },
    arg: 'outputSize',
    message:
      'convTranspose: outputSize [13] is out of range: spatial dim 0 must lie in [10, 12]; input [1,1,4], weight [1,1,3]',
    backends: 'all',
  },
  {
    // (4 - 1) * 2 + 3 = 9, and at most stride - 1 = 1 more.
    name: 'convTranspose with an unreachable output size',
    op: 'convTranspose',
    operands: [ones([1, 1, 4]), taps3],
    options: { stride: 2, outputSize: [20] },
    arg: 'outputSize',
    message:
      'convTranspose: outputSize [20] is out of range: spatial dim 0 must lie in [9, 10]; input [1,1,4], weight [1,1,3]',
    backends: 'all',
  },
  {
    name: 'refuses outputSize together with outputPadding',
    op: 'convTranspose',
    operands: [ones([1, 1, 4]), taps3],
    options: { stride: 3, outputSize: [12], outputPadding: 1 },
    message:
      'convTranspose: give either outputSize or outputPadding, not both (outputSize [12] decides the output padding); input [1,1,4], weight [1,1,3]',
    backends: 'all',
  },
  {
    name: 'refuses an outputSize of the wrong length',
    op: 'convTranspose',
    operands: [ones([1, 1, 4]), taps3],
    options: { outputSize: [6, 6] },
    message:
      'convTranspose: outputSize must have one entry per spatial dim (1) or be the whole output shape (3 entries), got [6,6]; input [1,1,4], weight [1,1,3]',
    backends: 'all',
  },
  {
    // (2 - 1) * 65536 + 1 = 65537 per dim.
    name: 'refuses a tensor beyond 2^31 elements before allocating anything',
    op: 'convTranspose',
    operands: [ones([1, 1, 2, 2]), ones([1, 1, 1, 1])],
    options: { stride: 2 ** 16 },
    arg: 'output',
    message:
      'convTranspose: output [1,1,65537,65537] would have 4295098369 elements, more than the limit of 2^31 - 1; input [1,1,2,2], weight [1,1,1,1]',
    backends: 'all',
  },
  {
    name: 'refuses data whose length does not match the shape',
    op: 'conv2d',
    operands: [short([1, 8, 5, 5], 199), w],
    arg: 'input',
    message: 'conv2d: input.data has 199 elements but input [1,8,5,5] needs 200',
    backends: 'all',
  },
  {
    name: 'conv with data that does not match its shape',
    op: 'conv',
    operands: [short([1, 1, 5], 4), taps3],
    arg: 'input',
    message: 'conv: input.data has 4 elements but input [1,1,5] needs 5',
    backends: 'all',
  },
  {
    name: 'refuses data that is not a Float32Array',
    op: 'conv2d',
    operands: [{ shape: [1, 1, 1, 1], data: [1] }, ones([1, 1, 1, 1])],
    message: 'conv2d: input.data must be a Float32Array, got [1]; input [1,1,1,1]',
    backends: 'all',
  },
  {
    name: 'refuses a NaN dim in a shape',
    op: 'conv2d',
    operands: [short([1, Number.NaN, 5, 5], 0), ones([1, 1, 3, 3])],
    message: 'conv2d: input.shape[1] must be a non-negative integer, got NaN; input.shape [1,NaN,5,5]',
    backends: 'all',
  },
  {
    // An empty batch is valid (PyTorch gives an empty output); testkit's bad-input data accepts it.
    name: 'refuses empty dims other than the batch',
    op: 'conv2d',
    operands: [short([1, 8, 0, 5], 0), w],
    message: 'conv2d: input has an empty dim (input.shape[2] = 0); input [1,8,0,5], weight [4,8,3,3]',
    backends: 'all',
  },
  {
    name: 'depthwiseConv refuses a weight.shape[1] above 1',
    op: 'depthwiseConv',
    operands: [x, ones([8, 2, 3, 3])],
    message:
      'depthwiseConv: weight.shape[1] must be 1 (weight is [C_in * multiplier, 1, ...kernel]), got 2; input [1,8,5,5], weight [8,2,3,3]',
    backends: 'all',
  },
  {
    name: 'depthwiseConv with weight.shape[1] above 1, in 1-D',
    op: 'depthwiseConv',
    operands: [ones([1, 2, 5]), ones([2, 2, 3])],
    message:
      'depthwiseConv: weight.shape[1] must be 1 (weight is [C_in * multiplier, 1, ...kernel]), got 2; input [1,2,5], weight [2,2,3]',
    backends: 'all',
  },
  {
    name: 'depthwiseConv refuses output channels that are not a multiple of the input channels',
    op: 'depthwiseConv',
    operands: [x, ones([12, 1, 3, 3])],
    message:
      'depthwiseConv: weight.shape[0] (12) must be a multiple of the input channels (8), as weight is [C_in * multiplier, 1, ...kernel]; input [1,8,5,5], weight [12,1,3,3]',
    backends: 'all',
  },
  {
    name: 'depthwiseConv refuses a groups option',
    op: 'depthwiseConv',
    operands: [x, ones([8, 1, 3, 3])],
    options: { groups: 8 },
    message:
      'depthwiseConv: depthwiseConv takes no groups option (one group per input channel, always); use conv for other group counts; input [1,8,5,5], weight [8,1,3,3]',
    backends: 'all',
  },
  {
    name: 'depthwiseConv with a groups option, in 1-D',
    op: 'depthwiseConv',
    operands: [ones([1, 2, 5]), ones([2, 1, 3])],
    options: { groups: 2 },
    message:
      'depthwiseConv: depthwiseConv takes no groups option (one group per input channel, always); use conv for other group counts; input [1,2,5], weight [2,1,3]',
    backends: 'all',
  },
  {
    name: 'pointwiseConv refuses a kernel wider than 1',
    op: 'pointwiseConv',
    operands: [x, ones([4, 8, 1, 3])],
    message:
      'pointwiseConv: every kernel dim of a pointwise weight must be 1, got weight.shape[3] = 3; input [1,8,5,5], weight [4,8,1,3]',
    backends: 'all',
  },
  {
    name: 'pointwiseConv with a 3-wide kernel',
    op: 'pointwiseConv',
    operands: [ones([1, 2, 5]), ones([2, 2, 3])],
    message:
      'pointwiseConv: every kernel dim of a pointwise weight must be 1, got weight.shape[2] = 3; input [1,2,5], weight [2,2,3]',
    backends: 'all',
  },
  {
    name: 'pointwiseConv refuses spatial options',
    op: 'pointwiseConv',
    operands: [x, ones([4, 8, 1, 1])],
    options: { padding: 1 },
    message:
      'pointwiseConv: a pointwise (1x1) convolution takes no padding; use conv for that; input [1,8,5,5], weight [4,8,1,1]',
    backends: 'all',
  },
  {
    // The depthwise stage turns [1,8,5,5] into [1,8,3,3]; the pointwise weight wants 6 channels.
    name: 'separableConv checks the pointwise stage before running the depthwise one',
    op: 'separableConv',
    operands: [x, ones([8, 1, 3, 3]), ones([4, 6, 1, 1])],
    message:
      'separableConv: weight.shape[1] * groups (6 * 1 = 6) must equal input channels (8); input [1,8,3,3], weight [4,6,1,1]',
    backends: 'all',
  },
  {
    name: 'separableConv with a pointwise weight that misses the depthwise channels',
    op: 'separableConv',
    operands: [ones([1, 2, 5]), ones([2, 1, 3]), ones([4, 3, 1])],
    message:
      'separableConv: weight.shape[1] * groups (3 * 1 = 3) must equal input channels (2); input [1,2,3], weight [4,3,1]',
    backends: 'all',
  },
  {
    name: 'separableConv with a depthwise bias of the wrong length',
    op: 'separableConv',
    operands: [ones([1, 2, 5]), ones([2, 1, 3]), ones([4, 2, 1])],
    options: { depthwiseBias: ones([3]) },
    message:
      'separableConv: depthwiseBias must have shape [2] (output channels), got [3]; input [1,2,5], weight [2,1,3]',
    backends: 'all',
  },
  // Every entry point of core's op table (a gpu suite checks each has its cases): options that
  // are not an object, a rank the op does not take, and one op-specific mistake each.
  {
    name: 'conv1d with options that are not an object',
    op: 'conv1d',
    operands: [ones([2, 2, 7]), ones([3, 2, 3])],
    options: [],
    arg: 'options',
    message: 'conv1d: options must be an object, got an array',
    backends: 'all',
  },
  {
    name: 'conv2d with options that are not an object',
    op: 'conv2d',
    operands: [ones([1, 2, 5, 6]), ones([2, 2, 3, 3])],
    options: [],
    arg: 'options',
    message: 'conv2d: options must be an object, got an array',
    backends: 'all',
  },
  {
    name: 'conv3d with options that are not an object',
    op: 'conv3d',
    operands: [ones([1, 1, 3, 4, 4]), ones([2, 1, 2, 2, 2])],
    options: [],
    arg: 'options',
    message: 'conv3d: options must be an object, got an array',
    backends: 'all',
  },
  {
    name: 'convTranspose with options that are not an object',
    op: 'convTranspose',
    operands: [ones([1, 2, 3, 3]), ones([2, 1, 3, 3])],
    options: [],
    arg: 'options',
    message: 'convTranspose: options must be an object, got an array',
    backends: 'all',
  },
  {
    name: 'convTranspose1d with options that are not an object',
    op: 'convTranspose1d',
    operands: [ones([1, 1, 4]), ones([1, 2, 3])],
    options: [],
    arg: 'options',
    message: 'convTranspose1d: options must be an object, got an array',
    backends: 'all',
  },
  {
    name: 'convTranspose2d with options that are not an object',
    op: 'convTranspose2d',
    operands: [ones([1, 2, 3, 3]), ones([2, 3, 2, 2])],
    options: [],
    arg: 'options',
    message: 'convTranspose2d: options must be an object, got an array',
    backends: 'all',
  },
  {
    name: 'convTranspose3d with options that are not an object',
    op: 'convTranspose3d',
    operands: [ones([2, 1, 2, 2, 2]), ones([1, 2, 2, 2, 2])],
    options: [],
    arg: 'options',
    message: 'convTranspose3d: options must be an object, got an array',
    backends: 'all',
  },
  {
    name: 'depthwiseConv with options that are not an object',
    op: 'depthwiseConv',
    operands: [ones([1, 2, 5, 5]), ones([4, 1, 3, 3])],
    options: [],
    arg: 'options',
    message: 'depthwiseConv: options must be an object, got an array',
    backends: 'all',
  },
  {
    name: 'pointwiseConv with options that are not an object',
    op: 'pointwiseConv',
    operands: [ones([1, 3, 4, 4]), ones([2, 3, 1, 1])],
    options: [],
    arg: 'options',
    message: 'pointwiseConv: options must be an object, got an array',
    backends: 'all',
  },
  {
    name: 'separableConv with options that are not an object',
    op: 'separableConv',
    operands: [ones([1, 2, 5, 5]), ones([2, 1, 3, 3]), ones([3, 2, 1, 1])],
    options: [],
    arg: 'options',
    message: 'separableConv: options must be an object, got an array',
    backends: 'all',
  },
  {
    name: 'conv1d given 2-D tensors',
    op: 'conv1d',
    operands: [ones([1, 1, 3, 3]), ones([1, 1, 2, 2])],
    arg: 'weight',
    message:
      'conv1d: weight must have 3 dims ([C_out, C_in/groups, ...kernel]), got 4; input [1,1,3,3], weight [1,1,2,2]',
    backends: 'all',
  },
  {
    name: 'conv2d given 1-D tensors',
    op: 'conv2d',
    operands: [ones([1, 1, 3]), ones([1, 1, 2])],
    arg: 'weight',
    message: 'conv2d: weight must have 4 dims ([C_out, C_in/groups, ...kernel]), got 3; input [1,1,3], weight [1,1,2]',
    backends: 'all',
  },
  {
    name: 'conv3d given 1-D tensors',
    op: 'conv3d',
    operands: [ones([1, 1, 3]), ones([1, 1, 2])],
    arg: 'weight',
    message: 'conv3d: weight must have 5 dims ([C_out, C_in/groups, ...kernel]), got 3; input [1,1,3], weight [1,1,2]',
    backends: 'all',
  },
  {
    name: 'convTranspose1d given 2-D tensors',
    op: 'convTranspose1d',
    operands: [ones([1, 1, 3, 3]), ones([1, 1, 2, 2])],
    arg: 'weight',
    message:
      'convTranspose1d: weight must have 3 dims ([C_in, C_out/groups, ...kernel]), got 4; input [1,1,3,3], weight [1,1,2,2]',
    backends: 'all',
  },
  {
    name: 'convTranspose2d given 1-D tensors',
    op: 'convTranspose2d',
    operands: [ones([1, 1, 3]), ones([1, 1, 2])],
    arg: 'weight',
    message:
      'convTranspose2d: weight must have 4 dims ([C_in, C_out/groups, ...kernel]), got 3; input [1,1,3], weight [1,1,2]',
    backends: 'all',
  },
  {
    name: 'convTranspose3d given 1-D tensors',
    op: 'convTranspose3d',
    operands: [ones([1, 1, 3]), ones([1, 1, 2])],
    arg: 'weight',
    message:
      'convTranspose3d: weight must have 5 dims ([C_in, C_out/groups, ...kernel]), got 3; input [1,1,3], weight [1,1,2]',
    backends: 'all',
  },
  {
    name: 'conv1d with a channel mismatch',
    op: 'conv1d',
    operands: [ones([1, 3, 3]), ones([1, 1, 2])],
    arg: 'weight',
    message:
      'conv1d: weight.shape[1] * groups (1 * 1 = 1) must equal input channels (3); input [1,3,3], weight [1,1,2]',
    backends: 'all',
  },
  {
    name: 'conv2d with a bias of the wrong length',
    op: 'conv2d',
    operands: [ones([1, 2, 5, 6]), ones([2, 2, 3, 3])],
    options: { padding: 'same', paddingMode: 'reflect', bias: ones([3]) },
    arg: 'bias',
    message: 'conv2d: bias must have shape [2] (output channels), got [3]; input [1,2,5,6], weight [2,2,3,3]',
    backends: 'all',
  },
  {
    name: 'conv3d with a group mismatch',
    op: 'conv3d',
    operands: [ones([1, 2, 3, 3, 3]), ones([2, 2, 2, 2, 2])],
    options: { groups: 2 },
    arg: 'weight',
    message:
      'conv3d: weight.shape[1] * groups (2 * 2 = 4) must equal input channels (2); input [1,2,3,3,3], weight [2,2,2,2,2]',
    backends: 'all',
  },
  {
    name: 'convTranspose2d with output padding not below the stride',
    op: 'convTranspose2d',
    operands: [ones([1, 1, 3, 3]), ones([1, 1, 2, 2])],
    options: { stride: 2, outputPadding: 2 },
    arg: 'outputPadding',
    message:
      'convTranspose2d: outputPadding [2,2] must be smaller than either stride [2,2] or dilation [1,1] on every spatial dim; input [1,1,3,3], weight [1,1,2,2]',
    backends: 'all',
  },
  {
    name: 'convTranspose3d with stride 0',
    op: 'convTranspose3d',
    operands: [ones([2, 1, 2, 2, 2]), ones([1, 2, 2, 2, 2])],
    options: { stride: 0 },
    arg: 'stride',
    message: 'convTranspose3d: stride must be positive integers, got 0; input [2,1,2,2,2], weight [1,2,2,2,2]',
    backends: 'all',
  },
  {
    // (64 * 62 * 62) rows x (64 * 64 * 64) columns.
    name: 'convMatrix refuses a matrix that would not fit in memory',
    op: 'convMatrix',
    operands: [[1, 64, 64, 64], ones([64, 64, 3, 3])],
    message:
      'convMatrix: the matrix would be 246016 x 262144 = 64491618304 entries, more than the limit of 33554432; input [1,64,64,64], weight [64,64,3,3]',
    backends: 'core',
  },
  {
    name: 'im2col refuses a kernelSize that is not an array',
    op: 'im2col',
    operands: [x],
    options: { kernelSize: 3 },
    message: 'im2col: kernelSize must be an array of 1 to 3 positive integers, got 3',
    backends: 'core',
  },
  {
    name: 'col2im refuses columns that do not match the sliding geometry',
    op: 'col2im',
    operands: [ones([1, 9, 5])],
    options: { kernelSize: [3, 3], outputSize: [5, 5] },
    message:
      'col2im: columns [1,9,5] have 5 window positions, but kernel [3,3] over [5,5] with this stride, padding and dilation slides to 9 (3x3)',
    backends: 'core',
  },
  {
    name: 'receptiveField refuses a zero stride',
    op: 'receptiveField',
    operands: [[{ kernelSize: 3, stride: 0 }]],
    message: 'receptiveField: layers[0].stride must be an integer in [1, 2^31 - 1], got 0',
    backends: 'core',
  },
  {
    name: 'tensor refuses data whose length does not match the shape',
    op: 'tensor',
    operands: [
      [1, 2, 3],
      [2, 2],
    ],
    message: 'tensor: data length 3 does not match shape [2,2] (4 elements)',
    backends: 'core',
  },
  {
    name: 'tensor refuses a negative dim',
    op: 'tensor',
    operands: [[], [2, -1]],
    message: 'tensor: shape[1] must be a non-negative integer, got -1; shape [2,-1]',
    backends: 'core',
  },
];
