import { selectAlgorithm } from '../algorithms/select.js';
import type { Tensor } from '../tensor.js';
import { namedArguments, planCall, PREVIOUS_STAGE, type OpName, type OperandsOf, type OptionsOf } from './table.js';

/**
 * The body of every op of the table: checks and validates the call ({@link planCall}), then
 * computes its stages in order, each on the algorithm `selectAlgorithm` picks for its record.
 * Nothing is allocated before validation has passed.
 */
export function runOp<Op extends OpName>(op: Op, operands: OperandsOf<Op>, options: OptionsOf<Op> | undefined): Tensor {
  const { algorithm, stages, tensors } = planCall(op, namedArguments<Tensor>(op, operands, options), options);
  let previous: Tensor | undefined;
  for (const { info, input, weight, bias } of stages) {
    const source = (input === PREVIOUS_STAGE ? previous : tensors[input]) as Tensor;
    const data = selectAlgorithm(info, algorithm)(
      info,
      source.data,
      (tensors[weight] as Tensor).data,
      tensors[bias]?.data,
    );
    previous = { shape: info.outputShape, data };
  }
  return previous as Tensor;
}
