import { ConvError } from '../errors.js';
import { selectAlgorithm } from '../algorithms/select.js';
import { checkTensor, convInfo, convTransposeInfo } from '../shape/conv-info.js';
import type { ConvAlgorithm, ConvInfo, ConvOptions, ConvTransposeOptions } from '../shape/types.js';
import type { Tensor } from '../tensor.js';

const ALGORITHMS: readonly ConvAlgorithm[] = ['auto', 'direct'];

/** Throws unless `options` is an options object (or undefined). */
export function checkOptions(op: string, options: unknown): void {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new ConvError(op, 'options', `options must be an object, got ${Array.isArray(options) ? 'an array' : String(options)}`);
  }
}

export function checkAlgorithm(op: string, algorithm: unknown): ConvAlgorithm {
  if (algorithm === undefined) return 'auto';
  if (!ALGORITHMS.includes(algorithm as ConvAlgorithm)) {
    throw new ConvError(op, 'algorithm', `algorithm must be 'auto' or 'direct', got ${JSON.stringify(algorithm)}`);
  }
  return algorithm as ConvAlgorithm;
}

export function execute(info: ConvInfo, input: Tensor, weight: Tensor, bias: Tensor | undefined, algorithm: ConvAlgorithm): Tensor {
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
  checkOptions(op, options);
  checkTensor(op, 'input', input);
  checkTensor(op, 'weight', weight);
  checkTensor(op, 'bias', options?.bias);
  const algorithm = checkAlgorithm(op, options?.algorithm);
  return execute(resolve(input.shape, weight.shape), input, weight, options?.bias, algorithm);
}

/** Validates a convolution through the shape module, then computes it. */
export function runConv(op: string, input: Tensor, weight: Tensor, options: ConvOptions = {}, spatialRank?: number): Tensor {
  return runValidated(op, input, weight, options, (inputShape, weightShape) => convInfo(inputShape, weightShape, options, op, spatialRank));
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
