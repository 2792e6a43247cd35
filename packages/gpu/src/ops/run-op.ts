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
import { hostOperand, resolveCall, type GpuTensor, type Operand } from '../gpu-tensor.js';
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
  return (await runOpOnDevice(runner, op, operands, options, { keep: false })).tensor;
}

/**
 * {@link runOp}, resolving to the last stage's operand: with `keep`, its output stays on the
 * device where the runner can keep it (`columns`), else it is on the host. Every stage but the
 * last keeps its output on the device where it can, for the next stage to read in place
 * (separable: the depthwise output feeds the pointwise kernel with no readback).
 *
 * @example
 * ```ts
 * import { tensor } from '@convkit/core';
 * import { startBackend } from '../backend.js';
 * import { ConvolutionRunner } from '../runner.js';
 * import { runOpOnDevice } from './run-op.js';
 * const runner = new ConvolutionRunner(await startBackend('cpu'), 2 ** 24);
 * const operands = [tensor([1, 2, 3], [1, 1, 3]), tensor([1, 1], [1, 1, 2])] as const;
 * (await runOpOnDevice(runner, 'conv1d', operands, undefined, { keep: true })).columns; // undefined: the cpu backend keeps nothing on a device
 * ```
 */
export async function runOpOnDevice<Op extends OpName>(
  runner: ConvolutionRunner,
  op: Op,
  operands: OperandsOf<Op, Tensor | GpuTensor>,
  options: OptionsOf<Op, Tensor | GpuTensor> | undefined,
  { keep }: { keep: boolean },
): Promise<Operand> {
  const args = namedArguments<Tensor | GpuTensor>(op, operands, options);
  const call = resolveCall(runner, op, options, args, OP_TABLE[op].tensorOptions);
  const { stages, tensors } = planCall(op, call.tensors, call.options, { shapeOnly: call.shapeOnly });
  // The host side of each operand is the tensor as core read it once (the shape validated is the
  // shape computed); the device copy, where there is one, is the uploaded handle's (which also
  // keeps the packed weight and packed input made at first use); a kept result stays on the
  // device, read in place by a kernel that can, read back (hostOperand) for one that cannot.
  const operand = (name: string): Operand | undefined => {
    const resolved = (call.operands as Readonly<Record<string, Operand | undefined>>)[name];
    if (resolved?.columns) return resolved;
    const tensor = tensors[name];
    if (tensor === undefined) return undefined;
    return { tensor, device: resolved?.device ?? null, handle: resolved?.handle ?? null };
  };
  let previous: Operand | undefined;
  for (let index = 0; index < stages.length; index++) {
    const { info, input, weight, bias } = stages[index];
    const last = index === stages.length - 1;
    const fromPrevious = input === PREVIOUS_STAGE;
    const source = (fromPrevious ? previous : operand(input)) as Operand;
    const inputOperand = runner.readsInPlace(info, source) ? source : hostOperand(source);
    const args = [info, inputOperand, hostOperand(operand(weight)) as Operand, hostOperand(operand(bias))] as const;
    previous = last && !keep ? { tensor: await runner.run(...args), device: null } : await runner.runKeeping(...args);
    // A previous stage's output kept on the device is consumed: its texture is freed.
    if (fromPrevious) source.columns?.array.delete();
  }
  return previous as Operand;
}
