import { readCall } from '../shape/check-call.js';
import { convInfo } from '../shape/conv-info.js';
import { convTransposeInfo } from '../shape/conv-transpose-info.js';
import { depthwiseConvInfo, type DepthwiseConvOptions } from '../shape/depthwise-info.js';
import { pointwiseConvInfo, type PointwiseConvOptions } from '../shape/pointwise-info.js';
import { separableConvInfo, type SeparableConvOptions } from '../shape/separable-info.js';
import type { ConvAlgorithm, ConvInfo, ConvOptions, ConvTransposeOptions, ResolverArguments } from '../shape/types.js';
import type { Tensor, TensorShape } from '../tensor.js';

/**
 * Where a stage reads its input from when it is not one of the op's operands: the output of the
 * stage before it (separable's pointwise stage reads the depthwise stage's output).
 *
 * @example
 * ```ts
 * import { PREVIOUS_STAGE } from '@convkit/core';
 * PREVIOUS_STAGE; // 'previous'
 * ```
 */
export const PREVIOUS_STAGE = 'previous';

/**
 * One convolution a backend runs for an op: a validated shape record and the names of the tensors
 * it reads (operands or tensor-valued options). An op is one stage or several run in order.
 *
 * @example
 * ```ts
 * import { OP_TABLE } from '@convkit/core';
 * const { resolve, stages } = OP_TABLE.conv;
 * stages(resolve('conv', {}, [1, 1, 5], [1, 1, 3]))[0].weight; // 'weight'
 * ```
 */
export interface OpStage<Name extends string = string> {
  readonly info: ConvInfo;
  /** The operand the stage convolves, or {@link PREVIOUS_STAGE}. */
  readonly input: Name | typeof PREVIOUS_STAGE;
  readonly weight: Name;
  /** The tensor-valued option added per output channel, when the op has one. */
  readonly bias: Name;
}

/**
 * One op of the family, as every backend reads it: its tensor arguments in call order, the options
 * that hold tensors, its resolver (the shape module's function that validates a call and returns
 * its record, with the rank for the `1d`/`2d`/`3d` entry points) and how that record becomes the
 * stages a backend runs. The options type is the resolver's `options` parameter; the operands'
 * names in a signature are the resolver's shape parameters.
 *
 * @example
 * ```ts
 * import { OP_TABLE } from '@convkit/core';
 * OP_TABLE.separableConv.operands; // ['input', 'depthwiseWeight', 'pointwiseWeight']
 * ```
 */
export interface OpDescriptor<
  Operands extends readonly string[] = readonly string[],
  TensorOptions extends readonly string[] = readonly string[],
  Options = never,
  Resolved = unknown,
> {
  /** The tensor arguments, in call order. */
  readonly operands: Operands;
  /** The options keys whose values are tensors, checked (after the operands) in this order. */
  readonly tensorOptions: TensorOptions;
  /** Every options key the op takes (PyTorch's names in camelCase); a call with another is refused. */
  readonly optionNames: readonly string[];
  /** The spatial rank a rank-checked entry point demands (`conv2d`: 2); absent where any rank goes. */
  readonly spatialRank?: 1 | 2 | 3;
  /** Validates a call through the shape module: the op name for errors, the options, one shape per operand. */
  readonly resolve: (
    op: string,
    options: Options,
    ...shapes: { [Index in keyof Operands]: readonly number[] }
  ) => Resolved;
  /** The convolutions a backend runs for the resolved record, in order. */
  readonly stages: (resolved: Resolved) => readonly OpStage<Operands[number] | TensorOptions[number]>[];
}

/** A descriptor with its literal types kept (the operand names, the options type), checked against {@link OpDescriptor}. */
function defineOp<
  const Operands extends readonly string[],
  const TensorOptions extends readonly string[],
  Options,
  Resolved,
  Shapes extends { [Index in keyof Operands]: readonly number[] },
>(descriptor: {
  readonly operands: Operands;
  readonly tensorOptions: TensorOptions;
  readonly optionNames: readonly string[];
  readonly spatialRank?: 1 | 2 | 3;
  readonly resolve: (op: string, options: Options, ...shapes: Shapes) => Resolved;
  readonly stages: (resolved: Resolved) => readonly OpStage<Operands[number] | TensorOptions[number]>[];
}) {
  return Object.freeze(descriptor);
}

/**
 * The keys of `ConvOptions`. Depthwise and pointwise take them all too: the keys they refuse
 * (`groups`; `padding`, `dilation`, `paddingMode`) get their resolver's own message.
 */
const CONV_OPTION_NAMES = [
  'bias',
  'stride',
  'dilation',
  'groups',
  'padding',
  'paddingMode',
  'algorithm',
] as const satisfies readonly (keyof ConvOptions)[];

/** The one stage of an op that convolves its input with its weight and adds its bias. */
function singleStage(info: ConvInfo): readonly OpStage<'input' | 'weight' | 'bias'>[] {
  return [{ info, input: 'input', weight: 'weight', bias: 'bias' }];
}

/**
 * An op of one stage (input, weight, bias), resolved by `resolveInfo` (`convInfo`,
 * `convTransposeInfo`, `depthwiseConvInfo`, ...) at the entry point's spatial rank (any rank when it has none).
 */
function singleStageOp<Options>(
  resolveInfo: (...call: ResolverArguments<Options>) => ConvInfo,
  spatialRank?: 1 | 2 | 3,
  optionNames: readonly string[] = CONV_OPTION_NAMES,
) {
  return defineOp({
    operands: ['input', 'weight'],
    tensorOptions: ['bias'],
    optionNames,
    spatialRank,
    resolve: (op: string, options: Options, input: readonly number[], weight: readonly number[]) =>
      resolveInfo(input, weight, options, op, spatialRank),
    stages: singleStage,
  });
}

const convOp = (spatialRank?: 1 | 2 | 3) => singleStageOp<ConvOptions>(convInfo, spatialRank);
const convTransposeOp = (spatialRank?: 1 | 2 | 3) =>
  singleStageOp<ConvTransposeOptions>(
    convTransposeInfo,
    spatialRank,
    // paddingMode: taken so that the resolver can say only 'zeros' exists for transposed convolution.
    [...CONV_OPTION_NAMES, 'outputPadding', 'outputSize'],
  );

/**
 * The op family: one descriptor per entry point of `@convkit/core`. Core's ops, every gpu
 * backend, the test suites, the docs and the benchmark read it, so an op added here (with its
 * algorithm and its kernel) reaches all of them.
 *
 * @example
 * ```ts
 * import { OP_TABLE } from '@convkit/core';
 * OP_TABLE.conv2d.spatialRank; // 2
 * OP_TABLE.depthwiseConv.resolve('depthwiseConv', {}, [1, 4, 8, 8], [4, 1, 3, 3]).groups; // 4
 * ```
 */
export const OP_TABLE = Object.freeze({
  conv: convOp(),
  conv1d: convOp(1),
  conv2d: convOp(2),
  conv3d: convOp(3),
  convTranspose: convTransposeOp(),
  convTranspose1d: convTransposeOp(1),
  convTranspose2d: convTransposeOp(2),
  convTranspose3d: convTransposeOp(3),
  depthwiseConv: singleStageOp<DepthwiseConvOptions>(depthwiseConvInfo),
  pointwiseConv: singleStageOp<PointwiseConvOptions>(pointwiseConvInfo),
  separableConv: defineOp({
    operands: ['input', 'depthwiseWeight', 'pointwiseWeight'],
    tensorOptions: ['depthwiseBias', 'bias'],
    // groups: taken so that the depthwise stage's resolver can say it has one group per channel.
    optionNames: ['depthwiseBias', 'bias', 'stride', 'dilation', 'groups', 'padding', 'paddingMode', 'algorithm'],
    resolve: (
      op: string,
      options: SeparableConvOptions,
      input: readonly number[],
      depthwiseWeight: readonly number[],
      pointwiseWeight: readonly number[],
    ) => separableConvInfo(input, depthwiseWeight, pointwiseWeight, options, op),
    // Two convolutions, the second reading the first's output: depthwise, then pointwise.
    stages: ({ depthwise, pointwise }) => [
      { info: depthwise, input: 'input', weight: 'depthwiseWeight', bias: 'depthwiseBias' },
      { info: pointwise, input: PREVIOUS_STAGE, weight: 'pointwiseWeight', bias: 'bias' },
    ],
  }),
});

/**
 * The name of an op of {@link OP_TABLE}: `'conv'`, `'conv2d'`, `'separableConv'`, ...
 *
 * @example
 * ```ts
 * import { OP_TABLE, type OpName } from '@convkit/core';
 * const op: OpName = 'convTranspose2d';
 * OP_TABLE[op].spatialRank; // 2
 * ```
 */
export type OpName = keyof typeof OP_TABLE;

/**
 * Every op name of {@link OP_TABLE}, in table order.
 *
 * @example
 * ```ts
 * import { OP_NAMES } from '@convkit/core';
 * OP_NAMES.length; // 11
 * ```
 */
export const OP_NAMES = Object.freeze(Object.keys(OP_TABLE)) as readonly OpName[];

type ResolverOf<Op extends OpName> = (typeof OP_TABLE)[Op]['resolve'];

/**
 * The names of an op's options keys that hold tensors: `'bias'`, or `'depthwiseBias' | 'bias'`.
 *
 * @example
 * ```ts
 * import type { TensorOptionOf } from '@convkit/core';
 * const key: TensorOptionOf<'separableConv'> = 'depthwiseBias';
 * key; // 'depthwiseBias'
 * ```
 */
export type TensorOptionOf<Op extends OpName> = (typeof OP_TABLE)[Op]['tensorOptions'][number];

/**
 * An options type with its tensor-valued keys (`bias`, `depthwiseBias`) accepting `Operand`
 * instead of a `Tensor` (a gpu backend's uploaded handles); every other key unchanged.
 *
 * @example
 * ```ts
 * import type { ConvOptions, WithTensorOptions } from '@convkit/core';
 * const options: WithTensorOptions<ConvOptions, 'bias', Float32Array> = { bias: new Float32Array(2) };
 * options.bias?.length; // 2
 * ```
 */
export type WithTensorOptions<Options, Keys extends string, Operand> = {
  [Key in keyof Options]: Key extends Keys ? Operand | undefined : Options[Key];
};

/**
 * The tensors of one call of `op` by name: its operands, then its tensor-valued options, in the
 * table's order. That is what `checkCall` checks (it reports the first bad one) and what the
 * op's stages read. Options that are not an object give no tensor-valued options (`checkCall`
 * rejects them).
 *
 * @example
 * ```ts
 * import { namedArguments, tensor } from '@convkit/core';
 * const weight = tensor([1, 1], [1, 1, 2]);
 * Object.keys(namedArguments('conv2d', [weight, weight], { stride: 2 })); // ['input', 'weight', 'bias']
 * ```
 */
export function namedArguments<Value>(
  op: OpName,
  operands: readonly Value[],
  options: unknown,
): Record<string, Value | undefined> {
  const { operands: names, tensorOptions } = OP_TABLE[op] as OpDescriptor;
  const named: Record<string, Value | undefined> = {};
  names.forEach((name, index) => {
    named[name] = operands[index];
  });
  for (const key of tensorOptions) {
    named[key] = (options as Record<string, Value | undefined> | null | undefined)?.[key];
  }
  return named;
}

/**
 * One call's named tensors (see {@link namedArguments}) with each present one passed through
 * `resolve`, and its options with their tensor-valued keys (`tensorOptions`, the table's) set to
 * the resolved values: how a backend whose handles stand for tensors (gpu's `GpuTensor`) turns a
 * call into one core reads. Options that are not an object are returned as they are (core's
 * checks reject them).
 *
 * @example
 * ```ts
 * import { namedArguments, OP_TABLE, resolveArguments, tensor, type Tensor } from '@convkit/core';
 * const handles = new Map([['w', tensor([1, 1], [1, 1, 2])]]);
 * const options = { bias: 'w', stride: 2 };
 * const named = namedArguments('conv', ['w', 'w'], options);
 * const call = resolveArguments(named, options, OP_TABLE.conv.tensorOptions, (name) => handles.get(name));
 * call.tensors.input?.shape; // [1, 1, 2]
 * (call.options as { bias: Tensor }).bias === handles.get('w'); // true
 * ```
 */
export function resolveArguments<From, To>(
  named: Readonly<Record<string, From | undefined>>,
  options: unknown,
  tensorOptions: readonly string[],
  resolve: (value: From, arg: string) => To,
): { readonly tensors: Record<string, To | undefined>; readonly options: unknown } {
  const tensors: Record<string, To | undefined> = {};
  for (const [arg, value] of Object.entries(named))
    tensors[arg] = value === undefined ? undefined : resolve(value, arg);
  if (options === null || typeof options !== 'object' || Array.isArray(options)) return { tensors, options };
  const replaced: Record<string, unknown> = { ...options };
  for (const key of tensorOptions) if (replaced[key] !== undefined) replaced[key] = tensors[key];
  return { tensors, options: replaced };
}

/**
 * What a backend runs for one call of `op`: reads the options and the named tensors (see
 * {@link namedArguments}) once with `readCall` (unknown option names, missing or malformed tensors
 * refused), validates the call with the op's resolver, and returns the algorithm asked for, the
 * op's stages and the tensors as read, which the stages must compute with. Throws the `ConvError`
 * core's op would, before anything is computed. `shapeOnly` names tensors given as `{ shape }`
 * alone, whose data the backend holds elsewhere (a result kept on its device): validated by shape,
 * left out of the returned `tensors`.
 *
 * @example
 * ```ts
 * import { namedArguments, planCall, tensor } from '@convkit/core';
 * const tensors = namedArguments('conv1d', [tensor([1, 2, 3], [1, 1, 3]), tensor([1, 1], [1, 1, 2])], undefined);
 * planCall('conv1d', tensors, undefined).stages[0].info.outputShape; // [1, 1, 2]
 * const kept = { input: { shape: [1, 1, 3] }, weight: tensor([1, 1], [1, 1, 2]) };
 * planCall('conv1d', kept, undefined, { shapeOnly: ['input'] }).tensors.input; // undefined
 * ```
 */
export function planCall(
  op: OpName,
  tensors: Readonly<Record<string, Tensor | TensorShape | undefined>>,
  options: unknown,
  { shapeOnly = [] }: { readonly shapeOnly?: readonly string[] } = {},
): {
  readonly algorithm: ConvAlgorithm;
  readonly stages: readonly OpStage[];
  /** The tensors as read once at entry: what the stages must compute with (the shape-only ones absent). */
  readonly tensors: Readonly<Record<string, Tensor | undefined>>;
} {
  const descriptor = OP_TABLE[op] as unknown as OpDescriptor<readonly string[], readonly string[], unknown>;
  const call = readCall(op, options, tensors, {
    required: descriptor.operands,
    optionNames: descriptor.optionNames,
    tensorOptions: descriptor.tensorOptions,
    shapeOnly,
  });
  const shapes = descriptor.operands.map((name) => call.shapes[name] as readonly number[]);
  const stages = descriptor.stages(descriptor.resolve(op, call.options, ...shapes));
  return { algorithm: call.algorithm, stages, tensors: call.tensors };
}

/**
 * The options type of an op: its resolver's `options` parameter (`ConvOptions` for `conv`,
 * `SeparableConvOptions` for `separableConv`), with its tensor-valued keys taking `Operand`.
 *
 * @example
 * ```ts
 * import type { OptionsOf } from '@convkit/core';
 * const options: OptionsOf<'conv2d'> = { stride: 2, padding: 'same_upper' };
 * options.padding; // 'same_upper'
 * ```
 */
export type OptionsOf<Op extends OpName, Operand = Tensor> = [Operand] extends [Tensor]
  ? Parameters<ResolverOf<Op>>[1]
  : WithTensorOptions<Parameters<ResolverOf<Op>>[1], TensorOptionOf<Op>, Operand>;

/**
 * An op's tensor arguments as a labelled tuple (`[input: Operand, weight: Operand]`), taken from
 * its resolver's shape parameters.
 *
 * @example
 * ```ts
 * import { tensor, type OperandsOf } from '@convkit/core';
 * const operands: OperandsOf<'conv'> = [tensor([1, 2, 3], [1, 1, 3]), tensor([1, 1], [1, 1, 2])];
 * operands.length; // 2
 * ```
 */
export type OperandsOf<Op extends OpName, Operand = Tensor> =
  ResolverOf<Op> extends (op: string, options: never, ...shapes: infer Shapes) => unknown
    ? { [Index in keyof Shapes]: Operand }
    : never;

/**
 * The op family as methods, derived from {@link OP_TABLE}: core itself is an `OpFamily<Tensor>`,
 * a `@convkit/gpu` instance an `OpFamily<Promise<Tensor>, Tensor | GpuTensor>`. Adding an op to the
 * table adds its method here.
 *
 * @example
 * ```ts
 * import { conv1d, tensor, type OpFamily, type Tensor } from '@convkit/core';
 * const family: Pick<OpFamily<Tensor>, 'conv1d'> = { conv1d }; // `import * as core` is a whole OpFamily<Tensor>
 * family.conv1d(tensor([1, 2, 3], [1, 1, 3]), tensor([1, 1], [1, 1, 2])).data; // Float32Array [3, 5]
 * ```
 */
export type OpFamily<Result, Operand = Tensor> = {
  [Op in OpName]: (...args: [...operands: OperandsOf<Op, Operand>, options?: OptionsOf<Op, Operand>]) => Result;
};
