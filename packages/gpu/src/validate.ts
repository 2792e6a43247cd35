import { ConvError, checkTensor, type ConvAlgorithm, type Tensor } from '@convkit/core';

const ALGORITHMS: readonly ConvAlgorithm[] = ['auto', 'direct'];

/**
 * The checks core's ops run before the shape module, with core's exact messages (core keeps them
 * in its internal `ops/run.ts`): the options are an object, the tensors are tensors, and the
 * `algorithm` option, accepted for parity though every GPU backend runs the one kernel, is valid.
 *
 * @throws {ConvError} exactly as core's op of the same name would.
 * @example
 * ```ts
 * import { tensor } from '@convkit/core';
 * import { checkCall } from './validate.js';
 * checkCall('conv', [], { input: tensor([1], [1, 1, 1]) }); // throws ConvError 'conv: options must be an object, got an array'
 * ```
 */
export function checkCall(op: string, options: unknown, tensors: Record<string, Tensor | undefined>): void {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new ConvError(op, 'options', `options must be an object, got ${Array.isArray(options) ? 'an array' : String(options)}`);
  }
  for (const [arg, value] of Object.entries(tensors)) checkTensor(op, arg, value);
  const algorithm = (options as { algorithm?: unknown } | undefined)?.algorithm;
  if (algorithm !== undefined && !ALGORITHMS.includes(algorithm as ConvAlgorithm)) {
    throw new ConvError(op, 'algorithm', `algorithm must be 'auto' or 'direct', got ${JSON.stringify(algorithm)}`);
  }
}
