import { selectAlgorithm } from '../algorithms/select.js';
import { checkCall } from '../shape/conv-info.js';
import type { ConvAlgorithm, ConvInfo } from '../shape/types.js';
import type { Tensor } from '../tensor.js';
import {
  namedArguments,
  OP_TABLE,
  PREVIOUS_STAGE,
  type OpDescriptor,
  type OpName,
  type OperandsOf,
  type OptionsOf,
} from './table.js';

function execute(
  info: ConvInfo,
  input: Tensor,
  weight: Tensor,
  bias: Tensor | undefined,
  algorithm: ConvAlgorithm,
): Tensor {
  const data = selectAlgorithm(info, algorithm)(info, input.data, weight.data, bias?.data);
  return { shape: info.outputShape, data };
}

/**
 * The body of every op of {@link OP_TABLE}: checks the options and tensors, lets the op's resolver
 * validate the call through the shape module, then computes its stages in order. Nothing is
 * allocated before validation has passed.
 */
export function runOp<Op extends OpName>(op: Op, operands: OperandsOf<Op>, options: OptionsOf<Op> | undefined): Tensor {
  const descriptor = OP_TABLE[op] as unknown as OpDescriptor<readonly string[], readonly string[], unknown, unknown>;
  const tensors = namedArguments<Tensor>(op, operands, options);
  const algorithm = checkCall(op, options, tensors);
  const shapes = (operands as readonly Tensor[]).map((operand) => operand.shape);
  const resolved = descriptor.resolve(op, options ?? {}, ...shapes);
  let previous: Tensor | undefined;
  for (const stage of descriptor.stages(resolved)) {
    const input = stage.input === PREVIOUS_STAGE ? previous : tensors[stage.input];
    previous = execute(stage.info, input as Tensor, tensors[stage.weight] as Tensor, tensors[stage.bias], algorithm);
  }
  return previous as Tensor;
}
