import { selectAlgorithm } from '../algorithms/select.js';
import { checkCall } from '../shape/check-call.js';
import { convInfo } from '../shape/conv-info.js';
import { convTransposeInfo } from '../shape/conv-transpose-info.js';
import type { ConvAlgorithm, ConvInfo, ConvOptions, ConvTransposeOptions } from '../shape/types.js';
import type { Tensor } from '../tensor.js';

export function execute(
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
 * The body of every op: checks the options and tensors, lets `resolve` validate the call through
 * the shape module, then computes it. Nothing is allocated before validation has passed.
 */
export function runValidated(
  op: string,
  input: Tensor,
  weight: Tensor,
  options: { bias?: Tensor; algorithm?: ConvAlgorithm } | undefined,
  resolve: (inputShape: readonly number[], weightShape: readonly number[]) => ConvInfo,
): Tensor {
  const algorithm = checkCall(op, options, { input, weight, bias: options?.bias });
  return execute(resolve(input.shape, weight.shape), input, weight, options?.bias, algorithm);
}

/** Validates a convolution through the shape module, then computes it. */
export function runConv(
  op: string,
  input: Tensor,
  weight: Tensor,
  options: ConvOptions = {},
  spatialRank?: number,
): Tensor {
  return runValidated(op, input, weight, options, (inputShape, weightShape) =>
    convInfo(inputShape, weightShape, options, op, spatialRank),
  );
}

/** Validates a transposed convolution through the shape module, then computes it. */
export function runConvTranspose(
  op: string,
  input: Tensor,
  weight: Tensor,
  options: ConvTransposeOptions = {},
  spatialRank?: number,
): Tensor {
  return runValidated(op, input, weight, options, (inputShape, weightShape) =>
    convTransposeInfo(inputShape, weightShape, options, op, spatialRank),
  );
}
