import {
  namedArguments,
  OP_TABLE,
  planCall,
  PREVIOUS_STAGE,
  type OpName,
  type OperandsOf,
  type OptionsOf,
  type Tensor,
} from '@convkit/core';
import { resolveCall, type GpuTensor, type Operand } from '../gpu-tensor.js';
import type { ConvolutionRunner } from '../runner.js';

/**
 * Every op of core's op table on one gpu backend: resolves `GpuTensor` handles, then checks and
 * validates the call exactly as core's op does (core's `planCall`: `checkCall`, then the op's
 * resolver from the table, so a rejection carries the very `ConvError` core's op of the same name
 * throws, rank checks included), then runs the op's stages in order on the convolution kernel
 * (separable: depthwise, then pointwise on the depthwise output).
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
  const args = namedArguments<Tensor | GpuTensor>(op, operands, options);
  const call = resolveCall(runner, op, options, args, OP_TABLE[op].tensorOptions);
  const { stages, tensors } = planCall(op, call.tensors, call.options);
  // The host side of each operand is the tensor as core read it once (the shape validated is the
  // shape computed); the device copy, where there is one, is the uploaded handle's.
  const operand = (name: string): Operand | undefined => {
    const tensor = tensors[name];
    const device = (call.operands as Readonly<Record<string, Operand | undefined>>)[name]?.device ?? null;
    return tensor === undefined ? undefined : { tensor, device };
  };
  let previous: Operand | undefined;
  for (const { info, input, weight, bias } of stages) {
    const source = (input === PREVIOUS_STAGE ? previous : operand(input)) as Operand;
    previous = { tensor: await runner.run(info, source, operand(weight) as Operand, operand(bias)), device: null };
  }
  return (previous as Operand).tensor;
}
