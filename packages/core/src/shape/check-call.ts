import { ConvError, formatShape } from '../errors.js';
import { checkShape, sizeOf } from '../tensor.js';
import type { Tensor } from '../tensor.js';
import type { ConvAlgorithm } from './types.js';

/**
 * Throws unless `tensor.data` is a Float32Array whose length matches `tensor.shape`.
 *
 * @example
 * ```ts
 * import { checkTensor } from '@convkit/core';
 * checkTensor('myOp', 'input', { shape: [2, 2], data: new Float32Array(3) });
 * // throws ConvError: myOp: input.data has 3 elements but input [2,2] needs 4
 * ```
 */
export function checkTensor(op: string, arg: string, value: Tensor | undefined): void {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object' || !Array.isArray(value.shape)) {
    throw new ConvError(op, arg, `${arg} must be a tensor { shape, data: Float32Array }, got ${String(value)}`);
  }
  checkShape(op, `${arg}.shape`, value.shape);
  if (!(value.data instanceof Float32Array)) {
    throw new ConvError(op, arg, `${arg}.data must be a Float32Array; ${arg} ${formatShape(value.shape)}`);
  }
  const expected = sizeOf(value.shape);
  if (value.data.length !== expected) {
    throw new ConvError(
      op,
      arg,
      `${arg}.data has ${value.data.length} elements but ${arg} ${formatShape(value.shape)} needs ${expected}`,
    );
  }
}

const ALGORITHMS: readonly ConvAlgorithm[] = ['auto', 'direct'];

/**
 * The checks every op runs before the shape module: `options` is an options object (or
 * undefined), every named tensor is a well-formed tensor, and `options.algorithm` is valid.
 * Returns the algorithm to use. `@convkit/gpu` runs the same checks, so both packages reject a
 * malformed call with the same message.
 *
 * @throws {ConvError} naming the op and the argument at fault.
 * @example
 * ```ts
 * import { checkCall, tensor } from '@convkit/core';
 * checkCall('conv', { algorithm: 'direct' }, { input: tensor([1], [1, 1, 1]) }); // 'direct'
 * checkCall('conv', [], {}); // throws ConvError: conv: options must be an object, got an array
 * ```
 */
export function checkCall(
  op: string,
  options: unknown,
  tensors: Readonly<Record<string, Tensor | undefined>>,
): ConvAlgorithm {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new ConvError(
      op,
      'options',
      `options must be an object, got ${Array.isArray(options) ? 'an array' : String(options)}`,
    );
  }
  for (const [arg, value] of Object.entries(tensors)) checkTensor(op, arg, value);
  const algorithm = (options as { algorithm?: unknown } | undefined)?.algorithm;
  if (algorithm === undefined) return 'auto';
  if (!ALGORITHMS.includes(algorithm as ConvAlgorithm)) {
    throw new ConvError(op, 'algorithm', `algorithm must be 'auto' or 'direct', got ${JSON.stringify(algorithm)}`);
  }
  return algorithm as ConvAlgorithm;
}
