import {
  checkCall,
  namedArguments,
  OP_TABLE,
  PREVIOUS_STAGE,
  type OpDescriptor,
  type OpName,
  type OperandsOf,
  type OptionsOf,
  type Tensor,
} from '@convkit/core';
import { resolveCall, type GpuTensor, type Operand } from '../gpu-tensor.js';
import type { ConvolutionRunner } from '../runner.js';

/**
 * Every op of core's op table on one gpu backend: resolves `GpuTensor` handles, checks the call
 * with core's `checkCall` and validates it with the op's resolver from the table (so a rejection
 * carries the very `ConvError` core's op of the same name throws, rank checks included), then
 * runs the op's stages in order on the convolution kernel (separable: depthwise, then pointwise
 * on the depthwise output).
 *
 * @example
 * ```ts
 * import { tensor } from '@convkit/core';
 * import { startBackend } from '../backend.js';
 * import { ConvolutionRunner } from '../runner.js';
 * import { runOp } from './run-op.js';
 * const runner = new ConvolutionRunner(await startBackend('cpu'), 2 ** 24);
 * const operands = [tensor([1, 2, 3], [1, 1, 3]), tensor([1, 1], [1, 1, 2])] as const;
 * (await runOp(runner, 'conv1d', operands, undefined)).data; // Float32Array [3, 5]
 * ```
 */
export async function runOp<Op extends OpName>(
  runner: ConvolutionRunner,
  op: Op,
  operands: OperandsOf<Op, Tensor | GpuTensor>,
  options: OptionsOf<Op, Tensor | GpuTensor> | undefined,
): Promise<Tensor> {
  const descriptor = OP_TABLE[op] as unknown as OpDescriptor<readonly string[], readonly string[], unknown>;
  const args = namedArguments<Tensor | GpuTensor>(op, operands, options);
  const call = resolveCall(runner, op, options, args, descriptor.tensorOptions);
  checkCall(op, call.options, call.tensors);
  const shapes = descriptor.operands.map((name) => (call.tensors[name] as Tensor).shape);
  const resolved = descriptor.resolve(op, call.options ?? {}, ...shapes);
  const resolvedOperands = call.operands as Readonly<Record<string, Operand | undefined>>;
  let previous: Operand | undefined;
  for (const stage of descriptor.stages(resolved)) {
    const input = stage.input === PREVIOUS_STAGE ? previous : resolvedOperands[stage.input];
    const output = await runner.run(
      stage.info,
      input as Operand,
      resolvedOperands[stage.weight] as Operand,
      resolvedOperands[stage.bias],
    );
    previous = { tensor: output, device: null };
  }
  return (previous as Operand).tensor;
}
