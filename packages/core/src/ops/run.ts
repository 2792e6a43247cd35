import { selectAlgorithm } from '../algorithms/select.js';
import { sizeOf, type Tensor } from '../tensor.js';
import { namedArguments, planCall, PREVIOUS_STAGE, type OpName, type OperandsOf, type OptionsOf } from './table.js';

/**
 * The most floats (16 MiB) an intermediate stage's output keeps between calls: a larger one is
 * allocated afresh each time, so what the ops hold on to stays bounded whatever the shapes.
 */
export const STAGE_SCRATCH_FLOATS = 4 * 1024 * 1024;

/** The buffers intermediate stages write into, alternating so a stage never writes what it reads. */
const stageScratch: Float32Array[] = [];

/**
 * A buffer of `floats` for the output of intermediate stage `index`, which only the next stage
 * reads. Kept between calls because a fresh large typed array costs its page faults and zeroing
 * on first touch, which Chromium (whose allocator returns large buffers to the system when they
 * are freed) pays on every call: for a depthwise stage that is as much as the convolution itself.
 */
function stageBuffer(index: number, floats: number): Float32Array | undefined {
  if (floats > STAGE_SCRATCH_FLOATS) return undefined;
  const slot = index % 2;
  const held = stageScratch[slot];
  const buffer = held && held.length >= floats ? held : new Float32Array(floats);
  stageScratch[slot] = buffer;
  return buffer.subarray(0, floats);
}

/**
 * The body of every op of the table: checks and validates the call ({@link planCall}), then
 * computes its stages in order, each on the algorithm `selectAlgorithm` picks for its record.
 * Nothing is allocated before validation has passed; only the last stage's output, which the
 * caller keeps, is always a new array.
 */
export function runOp<Op extends OpName>(op: Op, operands: OperandsOf<Op>, options: OptionsOf<Op> | undefined): Tensor {
  const { algorithm, stages, tensors } = planCall(op, namedArguments<Tensor>(op, operands, options), options);
  let previous: Tensor | undefined;
  stages.forEach(({ info, input, weight, bias }, index) => {
    const source = (input === PREVIOUS_STAGE ? previous : tensors[input]) as Tensor;
    const into = index < stages.length - 1 ? stageBuffer(index, sizeOf(info.outputShape)) : undefined;
    const data = selectAlgorithm(info, algorithm)(
      info,
      source.data,
      (tensors[weight] as Tensor).data,
      tensors[bias]?.data,
      into,
    );
    previous = { shape: info.outputShape, data };
  });
  return previous as Tensor;
}
