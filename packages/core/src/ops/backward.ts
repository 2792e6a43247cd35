import { computeGradients } from '../algorithms/backward.js';
import { selectAlgorithm } from '../algorithms/select.js';
import {
  type BackwardOptions,
  checkGradOutput,
  type GradientName,
  type Gradients,
  gradientInfo,
  readNeed,
} from '../shape/backward-info.js';
import { readCall } from '../shape/check-call.js';
import type { ConvAlgorithm, ConvInfo } from '../shape/types.js';
import type { Tensor, TensorShape } from '../tensor.js';
import {
  namedArguments,
  OP_NAMES,
  OP_TABLE,
  type OpDescriptor,
  type OpName,
  type OpStage,
  type OperandsOf,
  type OptionsOf,
  PREVIOUS_STAGE,
  type TensorOptionOf,
} from './table.js';

type Wrap<Async extends boolean, Value> = Async extends true ? Promise<Value> : Value;

/**
 * The gradients of an op of the table, one per tensor it reads: `gradInput`, `gradWeight`,
 * `gradBias` for a single convolution; for `separableConv` also `gradDepthwiseWeight`,
 * `gradPointwiseWeight` and `gradDepthwiseBias`.
 *
 * @example
 * ```ts
 * import type { GradientNameOf } from '@convkit/core';
 * const name: GradientNameOf<'separableConv'> = 'gradPointwiseWeight';
 * name; // 'gradPointwiseWeight'
 * ```
 */
export type GradientNameOf<Op extends OpName> =
  `grad${Capitalize<(typeof OP_TABLE)[Op]['operands'][number] | TensorOptionOf<Op>>}`;

/**
 * The options of an op's backward: the forward op's options without `bias` (no gradient depends
 * on the last stage's bias) plus `need`.
 *
 * @example
 * ```ts
 * import type { BackwardOptionsOf } from '@convkit/core';
 * const options: BackwardOptionsOf<'conv2d'> = { stride: 2, padding: 1, need: ['gradWeight'] };
 * options.need; // ['gradWeight']
 * ```
 */
export type BackwardOptionsOf<Op extends OpName, Need extends string = GradientNameOf<Op>, Operand = Tensor> = Omit<
  OptionsOf<Op, Operand>,
  'bias'
> &
  BackwardOptions<Need>;

/**
 * The backward of every op of the table, as methods named `<op>Backward`, derived from
 * {@link OP_TABLE}: core is a `BackwardFamily`, a `@convkit/gpu` instance a
 * `BackwardFamily<true, Tensor | GpuTensor>` (its methods return promises).
 *
 * @example
 * ```ts
 * import { conv1dBackward, tensor, type BackwardFamily } from '@convkit/core';
 * const family: Pick<BackwardFamily, 'conv1dBackward'> = { conv1dBackward };
 * family.conv1dBackward(tensor([1, 2, 3], [1, 1, 3]), tensor([1, 1], [1, 1, 2]), tensor([1, 1], [1, 1, 2])).gradBias.data;
 * // Float32Array [2]
 * ```
 */
export type BackwardFamily<Async extends boolean = false, Operand = Tensor> = {
  [Op in OpName as `${Op}Backward`]: <const Need extends GradientNameOf<Op> = GradientNameOf<Op>>(
    ...args: [...operands: OperandsOf<Op, Operand>, gradOutput: Operand, options?: BackwardOptionsOf<Op, Need, Operand>]
  ) => Wrap<Async, Gradients<Need, GradientNameOf<Op>>>;
};

/**
 * The name of the backward entry point of every op of the table, in table order: `'convBackward'`, ...
 *
 * @example
 * ```ts
 * import { BACKWARD_NAMES } from '@convkit/core';
 * BACKWARD_NAMES.includes('separableConvBackward'); // true
 * ```
 */
export const BACKWARD_NAMES = Object.freeze(
  OP_NAMES.map((op) => `${op}Backward` as const),
) as readonly (keyof BackwardFamily)[];

/**
 * The gradient name of a tensor an op reads: `input` -> `gradInput`, `depthwiseBias` -> `gradDepthwiseBias`.
 *
 * @example
 * ```ts
 * import { gradientNameOf } from '@convkit/core';
 * gradientNameOf('pointwiseWeight'); // 'gradPointwiseWeight'
 * ```
 */
export function gradientNameOf(tensorName: string): string {
  return `grad${tensorName[0].toUpperCase()}${tensorName.slice(1)}`;
}

/**
 * One stage's share of a backward call: the table's stage (its record and tensor names), its
 * gradient records (see `gradientInfo`) and the gradients it computes, in a single convolution's names.
 *
 * @example
 * ```ts
 * import { namedArguments, planBackward, tensor, type BackwardStage } from '@convkit/core';
 * const tensors = namedArguments('conv', [tensor([1, 2], [1, 1, 2]), tensor([1], [1, 1, 1])], {});
 * const stage: BackwardStage = planBackward('conv', tensors, tensor([1, 1], [1, 1, 2]), {}).stages[0];
 * stage.gradient.gradInput.transposed; // true
 * ```
 */
export interface BackwardStage {
  readonly stage: OpStage;
  readonly gradient: ReturnType<typeof gradientInfo>;
  /** The stage's own gradients to compute, in a single convolution's names. */
  readonly need: ReadonlySet<GradientName>;
}

/**
 * What a backend runs for one backward call of `op`, the backward of the table's stages: checks
 * the options and tensors (`gradOutput` included) as `checkCall` does, validates through the op's
 * resolver under the backward's name, checks `gradOutput` against the last stage's output, reads
 * `need`, and returns the stages in reverse with what each must compute. A stage's input
 * gradient is computed when it is asked for or an earlier stage needs it as its upstream gradient.
 * `shapeOnly` names tensors (`gradOutput` among them) given as `{ shape }` alone, as for `planCall`.
 *
 * @throws {ConvError} naming the backward op, before anything is computed.
 * @example
 * ```ts
 * import { namedArguments, planBackward, tensor } from '@convkit/core';
 * const tensors = namedArguments('conv', [tensor([1, 2, 3], [1, 1, 3]), tensor([1, 1], [1, 1, 2])], {});
 * const plan = planBackward('conv', tensors, tensor([1, 1], [1, 1, 2]), { need: ['gradWeight'] });
 * [...plan.stages[0].need]; // ['gradWeight']
 * ```
 */
export function planBackward(
  op: OpName,
  tensors: Readonly<Record<string, Tensor | TensorShape | undefined>>,
  gradOutput: Tensor | TensorShape,
  options: unknown,
  { shapeOnly = [] }: { readonly shapeOnly?: readonly string[] } = {},
): { readonly name: string; readonly algorithm: ConvAlgorithm; readonly stages: readonly BackwardStage[] } {
  const name = `${op}Backward`;
  const descriptor = OP_TABLE[op] as unknown as OpDescriptor<readonly string[], readonly string[], unknown>;
  const { algorithm } = readCall(name, options, { ...tensors, gradOutput }, { required: [], shapeOnly });
  const names = [...descriptor.operands, ...descriptor.tensorOptions].map(gradientNameOf);
  const need = readNeed(name, options as BackwardOptions<string> | undefined, names);
  const { need: _need, ...forwardOptions } = (options ?? {}) as Record<string, unknown>;
  const shapes = descriptor.operands.map((operand) => (tensors[operand] as TensorShape).shape);
  const stages = descriptor.stages(descriptor.resolve(name, forwardOptions, ...shapes));
  checkGradOutput(stages[stages.length - 1].info, gradOutput);
  // What each stage must give back of its own tensors, in a single convolution's names.
  const own = stages.map((stage) => {
    const gradients = new Set<GradientName>();
    if (need.has(gradientNameOf(stage.weight))) gradients.add('gradWeight');
    if (need.has(gradientNameOf(stage.bias))) gradients.add('gradBias');
    if (stage.input !== PREVIOUS_STAGE && need.has(gradientNameOf(stage.input))) gradients.add('gradInput');
    return gradients;
  });
  // A stage's input gradient is also the upstream gradient of the stages before it.
  const planned = stages.map((stage, index) => {
    const gradients = new Set(own[index]);
    if (own.slice(0, index).some((earlier) => earlier.size > 0)) gradients.add('gradInput');
    return { stage, gradient: gradientInfo(stage.info), need: gradients as ReadonlySet<GradientName> };
  });
  return { name, algorithm, stages: planned.reverse() };
}

/**
 * True when a backward stage reads a previous stage's output that the call must recompute: its
 * weight gradient correlates that output with the upstream gradient.
 *
 * @example
 * ```ts
 * import { namedArguments, needsActivation, planBackward, tensor } from '@convkit/core';
 * const [x, dw, pw] = [tensor([1, 2, 3, 4], [1, 2, 2]), tensor([1, 1], [2, 1, 1]), tensor([1, 1], [1, 2, 1])];
 * const tensors = namedArguments('separableConv', [x, dw, pw], {});
 * planBackward('separableConv', tensors, tensor([1, 1], [1, 1, 2]), {}).stages.map(needsActivation); // [true, false]
 * ```
 */
export function needsActivation(stage: BackwardStage): boolean {
  return stage.stage.input === PREVIOUS_STAGE && stage.need.has('gradWeight');
}

/**
 * Names one stage's gradients after the op's tensors, in their shapes (`gradWeight` of
 * separable's first stage becomes `gradDepthwiseWeight`), and adds them to `into`.
 *
 * @example
 * ```ts
 * import { namedArguments, planBackward, stageGradientTensors, tensor } from '@convkit/core';
 * const tensors = namedArguments('conv', [tensor([1, 2], [1, 1, 2]), tensor([1], [1, 1, 1])], {});
 * const [stage] = planBackward('conv', tensors, tensor([1, 1], [1, 1, 2]), {}).stages;
 * const into = {};
 * stageGradientTensors(stage, { gradBias: new Float32Array([2]) }, into);
 * Object.keys(into); // ['gradBias']
 * ```
 */
export function stageGradientTensors(
  entry: BackwardStage,
  data: { gradInput?: Float32Array; gradWeight?: Float32Array; gradBias?: Float32Array },
  into: Record<string, Tensor>,
): void {
  const { info } = entry.stage;
  const { stage } = entry;
  if (data.gradWeight) into[gradientNameOf(stage.weight)] = { shape: info.weightShape, data: data.gradWeight };
  if (data.gradBias)
    into[gradientNameOf(stage.bias)] = { shape: Object.freeze([info.outChannels]), data: data.gradBias };
  if (data.gradInput && stage.input !== PREVIOUS_STAGE) {
    into[gradientNameOf(stage.input)] = { shape: info.inputShape, data: data.gradInput };
  }
}

/**
 * The body of every backward op of core: {@link planBackward}, then the stages in reverse, each
 * on `computeGradients` with the upstream gradient the stage after it handed back. The inputs of
 * later stages are recomputed forward only when their weight gradient is asked for.
 */
export function runBackwardOp<Op extends OpName, Need extends string>(
  op: Op,
  operands: OperandsOf<Op>,
  gradOutput: Tensor,
  options: BackwardOptionsOf<Op, Need> | undefined,
): Gradients<Need & GradientNameOf<Op>, GradientNameOf<Op>> {
  const tensors = namedArguments<Tensor>(op, operands, options);
  const { algorithm, stages } = planBackward(op, tensors, gradOutput, options);
  const forwardStages = [...stages].reverse();
  const activations: (Float32Array | undefined)[] = [];
  if (stages.some(needsActivation)) {
    let previous: Float32Array | undefined;
    for (const { stage } of forwardStages) {
      const source =
        stage.input === PREVIOUS_STAGE ? (previous as Float32Array) : (tensors[stage.input] as Tensor).data;
      activations.push(source);
      const info: ConvInfo = stage.info;
      previous = selectAlgorithm(info, algorithm)(
        info,
        source,
        (tensors[stage.weight] as Tensor).data,
        tensors[stage.bias]?.data,
      );
    }
  }
  const result: Record<string, Tensor> = {};
  let upstream = gradOutput.data;
  stages.forEach((entry, reverseIndex) => {
    const index = stages.length - 1 - reverseIndex;
    const { stage } = entry;
    const input =
      activations[index] ??
      (stage.input === PREVIOUS_STAGE ? new Float32Array(0) : (tensors[stage.input] as Tensor).data);
    const data = computeGradients(
      entry.gradient,
      input,
      (tensors[stage.weight] as Tensor).data,
      upstream,
      entry.need,
      algorithm,
    );
    stageGradientTensors(entry, data, result);
    if (data.gradInput) upstream = data.gradInput;
  });
  return result as Gradients<Need & GradientNameOf<Op>, GradientNameOf<Op>>;
}

/**
 * The public signature of the backward of an op of the table that reads an input and one weight
 * (every op but `separableConv`): the forward operands, the output's gradient, then the options.
 */
export type BackwardOpOf<Op extends OpName> = <const Need extends GradientNameOf<Op> = GradientNameOf<Op>>(
  input: Tensor,
  weight: Tensor,
  gradOutput: Tensor,
  options?: BackwardOptionsOf<Op, Need>,
) => Gradients<Need, GradientNameOf<Op>>;

/**
 * Makes the exported backward op of `op` (`convBackward`, `conv2dBackward`, ...): one body,
 * {@link runBackwardOp}, for every such op, so the entry points differ only in their name, type
 * and doc comment (each carries `@function`, so the API reference lists it as the function it is).
 * The function is named after its entry point for stack traces.
 */
export function backwardOpOf<Op extends OpName>(op: Op): BackwardOpOf<Op> {
  const backward: BackwardOpOf<Op> = (input, weight, gradOutput, options) =>
    runBackwardOp(op, [input, weight] as OperandsOf<Op>, gradOutput, options) as never;
  return Object.defineProperty(backward, 'name', { value: `${op}Backward` });
}
