import {
  type BackwardOptionsOf,
  type GradientNameOf,
  type Gradients,
  namedArguments,
  needsActivation,
  OP_TABLE,
  type OpName,
  type OperandsOf,
  PREVIOUS_STAGE,
  planBackward,
  stageGradientTensors,
  type Tensor,
  type TensorShape,
} from '@convkit/core';
import type { GradientRunner } from '../gradient-runner.js';
import { type GpuTensor, hostOperand, type Operand, resolveCall } from '../gpu-tensor.js';

/**
 * The backward of every op of core's op table on one gpu backend: resolves `GpuTensor` handles,
 * validates exactly as core's backward op does (core's `planBackward`, so a rejection carries the
 * same `ConvError`), then runs the stages in reverse: each stage's input gradient on the forward
 * convolution kernel (the adjoint record), its weight and bias gradients on their own kernels.
 * A later stage's input is recomputed on the forward kernel only when its weight gradient is asked for.
 *
 * @example
 * ```ts
 * import { tensor } from '@convkit/core';
 * import { startBackend } from '../backend.js';
 * import { GradientRunner } from '../gradient-runner.js';
 * import { ConvolutionRunner } from '../runner.js';
 * import { runBackwardOp } from './run-backward.js';
 * const backend = await startBackend('cpu');
 * const gradients = new GradientRunner(backend, 2 ** 24, new ConvolutionRunner(backend, 2 ** 24));
 * const operands = [tensor([1, 2, 3], [1, 1, 3]), tensor([1, 1], [1, 1, 2])] as const;
 * (await runBackwardOp(gradients, 'conv1d', operands, tensor([1, 1], [1, 1, 2]), undefined)).gradWeight.data;
 * // Float32Array [3, 5]
 * ```
 */
export async function runBackwardOp<Op extends OpName, Need extends string>(
  gradients: GradientRunner,
  op: Op,
  operands: OperandsOf<Op, Tensor | GpuTensor>,
  gradOutput: Tensor | GpuTensor,
  options: BackwardOptionsOf<Op, Need, Tensor | GpuTensor> | undefined,
): Promise<Gradients<Need & GradientNameOf<Op>, GradientNameOf<Op>>> {
  const name = `${op}Backward`;
  const args = { ...namedArguments<Tensor | GpuTensor>(op, operands, options), gradOutput };
  const call = resolveCall(gradients.convolutions, name, options, args, OP_TABLE[op].tensorOptions);
  const { stages } = planBackward(op, call.tensors, call.tensors.gradOutput as TensorShape, call.options, {
    shapeOnly: call.shapeOnly,
  });
  // The gradient kernels read host data: a result kept on the device is read back once, here, after validation.
  const resolved: Readonly<Record<string, Operand | undefined>> = Object.fromEntries(
    Object.entries(call.operands as Readonly<Record<string, Operand | undefined>>).map(([arg, operand]) => [
      arg,
      hostOperand(operand),
    ]),
  );
  const upstreamOperand = resolved.gradOutput as Operand;
  const activations: (Operand | undefined)[] = [];
  if (stages.some(needsActivation)) {
    let previous: Operand | undefined;
    for (const { stage } of [...stages].reverse()) {
      const source = (stage.input === PREVIOUS_STAGE ? previous : resolved[stage.input]) as Operand;
      activations.push(source);
      const output = await gradients.convolutions.run(
        stage.info,
        source,
        resolved[stage.weight] as Operand,
        resolved[stage.bias],
      );
      previous = { tensor: output, device: null };
    }
  }
  const result: Record<string, Tensor> = {};
  let upstream = upstreamOperand;
  for (const [reverseIndex, entry] of stages.entries()) {
    const { stage } = entry;
    const input =
      activations[stages.length - 1 - reverseIndex] ??
      (stage.input === PREVIOUS_STAGE
        ? { tensor: { shape: stage.info.inputShape, data: new Float32Array(0) }, device: null }
        : (resolved[stage.input] as Operand));
    const data = await gradients.run(
      entry.gradient,
      { input, weight: resolved[stage.weight] as Operand, gradOutput: upstream },
      entry.need,
    );
    stageGradientTensors(entry, data, result);
    if (data.gradInput) upstream = { tensor: { shape: stage.info.inputShape, data: data.gradInput }, device: null };
  }
  return result as Gradients<Need & GradientNameOf<Op>, GradientNameOf<Op>>;
}
