import {
  type BackwardOptions,
  type ConvInfo,
  checkCall,
  checkGradOutput,
  type GradientName,
  type Gradients,
  gradientInfo,
  readNeed,
  type Tensor,
} from '@convkit/core';
import { type GradientRunner, gradientTensors } from '../gradient-runner.js';
import { type GpuTensor, resolveCall } from '../gpu-tensor.js';

/**
 * The body of every gpu backward op, as core's: the same checks and messages (core's `checkCall`,
 * `readNeed`, the op's shape-module resolver and `checkGradOutput`), then the gradient kernels.
 */
export async function runBackward<Need extends GradientName>(
  gradients: GradientRunner,
  op: string,
  args: { input: Tensor | GpuTensor; weight: Tensor | GpuTensor; gradOutput: Tensor | GpuTensor },
  options: BackwardOptions<Need> | undefined,
  resolve: (inputShape: readonly number[], weightShape: readonly number[]) => ConvInfo,
): Promise<Gradients<Need>> {
  const call = resolveCall(gradients.convolutions, op, options, args);
  checkCall(op, call.options, call.tensors);
  const need = readNeed(op, call.options);
  const { input, weight, gradOutput } = call.operands;
  const forward = resolve(input.tensor.shape, weight.tensor.shape);
  checkGradOutput(forward, gradOutput.tensor);
  const data = await gradients.run(gradientInfo(forward), call.operands, need);
  return gradientTensors(forward, data) as Gradients<Need>;
}

/** The forward options of a backward call: `need` removed, as the forward resolvers that check every key expect. */
export function forwardOptions<Options extends { need?: unknown }>(
  options: Options | undefined,
): Omit<Options, 'need'> {
  const { need: _need, ...rest } = options ?? ({} as Options);
  return rest;
}
