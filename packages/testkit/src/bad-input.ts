/**
 * Bad input, as a demanding user or a hostile caller writes it, as data every backend runs: calls
 * that must be refused (with the full text of the ConvError) and odd calls that must be accepted
 * as PyTorch accepts them. The fields follow testkit's error cases (name, op, operands, options,
 * message, arg, backends), so the lists can be merged.
 */

interface CaseTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Where a case applies: every backend, or only core (ops and helpers gpu does not offer). */
export type BadInputBackends = 'all' | 'core';

/** A call every backend must refuse with exactly this ConvError. */
export interface BadInputCase {
  /** The class of fault (the note counts cases per class). */
  readonly fault: string;
  /** A sentence about the refusal, used as the test name. */
  readonly name: string;
  readonly op: string;
  /** The positional arguments in call order (tensors, shapes, or deliberately malformed values). */
  readonly operands: readonly unknown[];
  /** The options argument as passed (may itself be malformed); omitted means none. */
  readonly options?: unknown;
  /** The full message of the ConvError. */
  readonly message: string;
  /** The argument the error names (ConvError.arg). */
  readonly arg: string;
  readonly backends: BadInputBackends;
}

/** An odd call that must be accepted as PyTorch accepts it, with the output shape it gives. */
export interface AcceptedCase {
  readonly fault: string;
  readonly name: string;
  readonly op: string;
  readonly operands: readonly unknown[];
  readonly options?: unknown;
  readonly outputShape: readonly number[];
  /** The output values, where the case pins them. */
  readonly outputData?: readonly number[];
  readonly backends: BadInputBackends;
}

function ones(shape: readonly number[]): CaseTensor {
  return { shape: [...shape], data: new Float32Array(shape.reduce((product, extent) => product * extent, 1)).fill(1) };
}

const signal = ones([1, 2, 5]);
const weight = ones([3, 2, 3]);
const depthwiseWeight = ones([2, 1, 3]);
const pointwiseWeight = ones([4, 2, 1]);
const shapes = 'input [1,2,5], weight [3,2,3]';
const CONV_OPTIONS = "'bias', 'stride', 'dilation', 'groups', 'padding', 'paddingMode', 'algorithm'";

/** A misspelled option of conv and the name the error must suggest. */
function misspelled(option: string, suggestion: string): BadInputCase {
  return {
    fault: 'unknown option name',
    name: `conv refuses the option '${option}', suggesting '${suggestion}'`,
    op: 'conv',
    operands: [signal, weight],
    options: { [option]: 1 },
    message: `conv: unknown option '${option}'; did you mean '${suggestion}'? (conv takes ${CONV_OPTIONS})`,
    arg: 'options',
    backends: 'all',
  };
}

export const BAD_INPUT_CASES: readonly BadInputCase[] = [
  {
    fault: 'missing tensor',
    name: 'conv(x, undefined) names the missing weight',
    op: 'conv',
    operands: [signal, undefined],
    message: 'conv: weight is missing (got undefined); conv takes input, weight',
    arg: 'weight',
    backends: 'all',
  },
  {
    fault: 'missing tensor',
    name: 'depthwiseConv() names the missing input first',
    op: 'depthwiseConv',
    operands: [],
    message: 'depthwiseConv: input is missing (got undefined); depthwiseConv takes input, weight',
    arg: 'input',
    backends: 'all',
  },
  {
    fault: 'missing tensor',
    name: 'separableConv(x, dw) names the missing pointwise weight',
    op: 'separableConv',
    operands: [signal, depthwiseWeight],
    message:
      'separableConv: pointwiseWeight is missing (got undefined); separableConv takes input, depthwiseWeight, pointwiseWeight',
    arg: 'pointwiseWeight',
    backends: 'all',
  },
  {
    fault: 'missing tensor',
    name: 'conv(null, w) names the missing input',
    op: 'conv',
    operands: [null, weight],
    message: 'conv: input is missing (got null); conv takes input, weight',
    arg: 'input',
    backends: 'all',
  },
  {
    fault: 'missing tensor',
    name: 'im2col(undefined) names the missing input',
    op: 'im2col',
    operands: [undefined],
    options: { kernelSize: [3] },
    message: 'im2col: input is missing (got undefined); im2col takes input',
    arg: 'input',
    backends: 'core',
  },
  {
    fault: 'missing tensor',
    name: 'convMatrix without a weight names it',
    op: 'convMatrix',
    operands: [[1, 1, 5]],
    message: 'convMatrix: weight is missing (got undefined); convMatrix takes weight',
    arg: 'weight',
    backends: 'core',
  },
  misspelled('strides', 'stride'),
  misspelled('dilations', 'dilation'),
  misspelled('group', 'groups'),
  misspelled('pads', 'padding'),
  misspelled('padding_mode', 'paddingMode'),
  misspelled('biases', 'bias'),
  misspelled('Stride', 'stride'),
  {
    fault: 'unknown option name',
    name: "convTranspose refuses 'output_padding', suggesting 'outputPadding'",
    op: 'convTranspose',
    operands: [ones([1, 1, 4]), ones([1, 1, 3])],
    options: { stride: 2, output_padding: 1 },
    message:
      "convTranspose: unknown option 'output_padding'; did you mean 'outputPadding'? (convTranspose takes 'bias', 'stride', 'dilation', 'groups', 'padding', 'paddingMode', 'algorithm', 'outputPadding', 'outputSize')",
    arg: 'options',
    backends: 'all',
  },
  {
    fault: 'unknown option name',
    name: 'an option name nothing resembles is refused without a suggestion',
    op: 'conv1d',
    operands: [signal, weight],
    options: { fast: true },
    message: `conv1d: unknown option 'fast' (conv1d takes ${CONV_OPTIONS})`,
    arg: 'options',
    backends: 'all',
  },
  {
    fault: 'unknown option name',
    name: "im2col refuses 'kernel_size', suggesting 'kernelSize'",
    op: 'im2col',
    operands: [signal],
    options: { kernel_size: [3] },
    message:
      "im2col: unknown option 'kernel_size'; did you mean 'kernelSize'? (im2col takes 'kernelSize', 'stride', 'padding', 'dilation', 'paddingMode', 'algorithm')",
    arg: 'options',
    backends: 'core',
  },
  {
    fault: 'unknown option name',
    name: "fromOnnxConvAttributes refuses convkit's 'stride', suggesting ONNX's 'strides'",
    op: 'fromOnnxConvAttributes',
    operands: [{ stride: [2] }],
    message:
      "fromOnnxConvAttributes: unknown option 'stride'; did you mean 'strides'? (fromOnnxConvAttributes takes 'auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides')",
    arg: 'options',
    backends: 'core',
  },
  {
    fault: 'data in a message',
    name: 'a bare Float32Array of a million elements is described, not printed',
    op: 'conv',
    operands: [new Float32Array(1_000_000), weight],
    message: 'conv: input must be a tensor { shape, data: Float32Array }, got a Float32Array of 1000000 elements',
    arg: 'input',
    backends: 'all',
  },
  {
    fault: 'data in a message',
    name: 'a padding string of 100,000 characters is cut at 40',
    op: 'conv',
    operands: [signal, weight],
    options: { padding: 'x'.repeat(100_000) },
    message: `conv: unknown padding '${'x'.repeat(40)}...'; expected 'valid', 'same', 'same_upper', 'same_lower', a number, or one number or [begin, end] pair per spatial dim; ${shapes}`,
    arg: 'padding',
    backends: 'all',
  },
  {
    fault: 'data in a message',
    name: 'a stride array of a million entries is refused unread',
    op: 'conv',
    operands: [signal, weight],
    options: { stride: new Array(1_000_000).fill(1) },
    message: 'conv: stride must have one entry per spatial dim, got an array of 1000000 entries',
    arg: 'stride',
    backends: 'all',
  },
  {
    fault: 'data in a message',
    name: 'data given as a plain array is described by its length',
    op: 'conv',
    operands: [{ shape: [1, 2, 5], data: new Array(10).fill(1) }, weight],
    message: 'conv: input.data must be a Float32Array, got an array of 10 entries; input [1,2,5]',
    arg: 'input',
    backends: 'all',
  },
  {
    fault: 'size before allocation',
    name: 'im2col refuses a column matrix above the element limit before allocating it',
    op: 'im2col',
    operands: [ones([1, 1, 512, 512])],
    options: { kernelSize: [100, 100], padding: 50 },
    message:
      'im2col: the columns would have 2631690000 elements (1 channels * 10000 taps * 263169 positions per sample), more than the limit of 2^31 - 1; input [1,1,512,512]',
    arg: 'input',
    backends: 'core',
  },
  {
    fault: 'size before allocation',
    name: 'convMatrix refuses a matrix above its limit before building any index map',
    op: 'convMatrix',
    operands: [[1, 1, 100_000_000], ones([1, 1, 3])],
    message:
      'convMatrix: the matrix would be 99999998 x 100000000 = 9999999800000000 entries, more than the limit of 33554432; input [1,1,100000000], weight [1,1,3]',
    arg: 'inputShape',
    backends: 'core',
  },
  {
    fault: 'size before allocation',
    name: 'col2im refuses an image above the element limit before building any index map',
    op: 'col2im',
    operands: [ones([1, 9, 4])],
    options: { kernelSize: [3, 3], outputSize: [100_000, 100_000] },
    message:
      'col2im: input [1,1,100000,100000] would have 10000000000 elements, more than the limit of 2^31 - 1; input [1,1,100000,100000], weight [1,1,3,3]',
    arg: 'input',
    backends: 'core',
  },
  {
    fault: 'shape helper',
    name: 'convParams refuses groups -2',
    op: 'convParams',
    operands: [{ inChannels: 8, outChannels: 8, kernelSize: 3, groups: -2 }],
    message: 'convParams: groups must be an integer in [1, 2^31 - 1], got -2',
    arg: 'groups',
    backends: 'core',
  },
  {
    fault: 'shape helper',
    name: 'convParams refuses output channels that groups do not divide',
    op: 'convParams',
    operands: [{ inChannels: 8, outChannels: 6, kernelSize: 3, groups: 4 }],
    message: 'convParams: outChannels (6) must be divisible by groups (4)',
    arg: 'groups',
    backends: 'core',
  },
  {
    fault: 'shape helper',
    name: 'effectiveKernelSize refuses NaN',
    op: 'effectiveKernelSize',
    operands: [Number.NaN],
    message: 'effectiveKernelSize: kernelSize[0] must be an integer in [1, 2^31 - 1], got NaN',
    arg: 'kernelSize[0]',
    backends: 'core',
  },
  {
    fault: 'shape helper',
    name: 'resolvePadding refuses a negative input size',
    op: 'resolvePadding',
    operands: ['same', { inSize: [-1], kernelSize: [3] }],
    message: 'conv: inSize[0] must be an integer in [1, 2^31 - 1], got -1',
    arg: 'inSize[0]',
    backends: 'core',
  },
  {
    fault: 'shape helper',
    name: 'receptiveField refuses a negative end padding',
    op: 'receptiveField',
    operands: [[{ kernelSize: 3, padding: [0, -1] }]],
    message: 'receptiveField: layers[0].padding must be an integer in [0, 2^31 - 1], got -1',
    arg: 'layers[0].padding',
    backends: 'core',
  },
  {
    fault: 'shape helper',
    name: 'zeros refuses a shape above the element limit',
    op: 'zeros',
    operands: [[1_000_000, 1_000_000]],
    message: 'zeros: shape [1000000,1000000] has 1000000000000 elements, more than the limit of 2^31 - 1',
    arg: 'shape',
    backends: 'core',
  },
  {
    fault: 'wrong argument named',
    name: 'a depthwiseBias of the wrong length is reported as depthwiseBias',
    op: 'separableConv',
    operands: [signal, depthwiseWeight, pointwiseWeight],
    options: { depthwiseBias: ones([3]) },
    message:
      'separableConv: depthwiseBias must have shape [2] (output channels), got [3]; input [1,2,5], weight [2,1,3]',
    arg: 'depthwiseBias',
    backends: 'all',
  },
  {
    fault: 'outputSize',
    name: 'a whole-shape outputSize must agree with the output batch and channels',
    op: 'convTranspose',
    operands: [ones([1, 1, 4]), ones([1, 1, 3])],
    options: { stride: 2, outputSize: [2, 1, 9] },
    message:
      'convTranspose: outputSize [2,1,9] is a whole output shape whose leading entries must be [1,1] (batch, output channels); input [1,1,4], weight [1,1,3]',
    arg: 'outputSize',
    backends: 'all',
  },
];

export const ACCEPTED_CASES: readonly AcceptedCase[] = [
  ...(
    [
      ['conv', [ones([0, 2, 5]), weight], {}, [0, 3, 3]],
      ['conv2d', [ones([0, 2, 4, 4]), ones([3, 2, 3, 3])], { padding: 1 }, [0, 3, 4, 4]],
      ['conv3d', [ones([0, 1, 2, 2, 2]), ones([1, 1, 1, 1, 1])], {}, [0, 1, 2, 2, 2]],
      ['convTranspose', [ones([0, 2, 4]), ones([2, 3, 3])], { stride: 2 }, [0, 3, 9]],
      ['depthwiseConv', [ones([0, 2, 5]), depthwiseWeight], { padding: 1, stride: 2 }, [0, 2, 3]],
      ['pointwiseConv', [ones([0, 2, 5]), pointwiseWeight], {}, [0, 4, 5]],
      ['separableConv', [ones([0, 2, 5]), depthwiseWeight, pointwiseWeight], {}, [0, 4, 3]],
    ] as const
  ).map(
    ([op, operands, options, outputShape]): AcceptedCase => ({
      fault: 'empty batch',
      name: `${op} with batch 0 gives an empty output of shape [${outputShape.join(',')}]`,
      op,
      operands,
      options,
      outputShape,
      outputData: [],
      backends: 'all',
    }),
  ),
  {
    fault: 'None',
    name: 'bias: null is no bias (PyTorch bias=None)',
    op: 'conv1d',
    operands: [ones([1, 1, 3]), ones([1, 1, 2])],
    options: { bias: null },
    outputShape: [1, 1, 2],
    outputData: [2, 2],
    backends: 'all',
  },
  {
    fault: 'None',
    name: 'paddingMode: null is the default padding mode, zeros',
    op: 'conv1d',
    operands: [ones([1, 1, 3]), ones([1, 1, 3])],
    options: { padding: 1, paddingMode: null },
    outputShape: [1, 1, 3],
    outputData: [2, 3, 2],
    backends: 'all',
  },
  {
    fault: 'None',
    name: 'separableConv takes null for both of its biases',
    op: 'separableConv',
    operands: [signal, depthwiseWeight, pointwiseWeight],
    options: { depthwiseBias: null, bias: null },
    outputShape: [1, 4, 3],
    outputData: [6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6],
    backends: 'all',
  },
  {
    fault: 'outputSize',
    name: "the whole output shape [N, C_out, L] as outputSize, as PyTorch's output_size takes it",
    op: 'convTranspose1d',
    operands: [ones([1, 1, 4]), ones([1, 1, 3])],
    options: { stride: 2, outputSize: [1, 1, 10] },
    outputShape: [1, 1, 10],
    outputData: [1, 1, 2, 1, 2, 1, 2, 1, 1, 0],
    backends: 'all',
  },
  {
    fault: 'outputSize',
    name: 'the whole unbatched output shape [C_out, L] as outputSize',
    op: 'convTranspose',
    operands: [ones([1, 4]), ones([1, 2, 3])],
    options: { stride: 2, outputSize: [2, 9] },
    outputShape: [2, 9],
    backends: 'all',
  },
];
