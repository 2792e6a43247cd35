import { ConvError, describeValue, formatShape } from '../errors.js';
import { checkShape, sizeOf } from '../tensor.js';
import type { Tensor } from '../tensor.js';
import type { ConvAlgorithm } from './types.js';

/** The most dims a tensor may have; a longer `shape` is refused before it is read. */
const MAX_RANK = 16;

/** True for a Float32Array of any realm (a vm context, an iframe, a worker's transfer), where `instanceof` fails. */
function isFloat32Array(value: unknown): value is Float32Array {
  return ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Float32Array]';
}

/**
 * Throws unless `tensor.data` is a Float32Array (of any realm) whose length matches `tensor.shape`.
 *
 * @example
 * ```ts
 * import { checkTensor } from '@convkit/core';
 * checkTensor('myOp', 'input', { shape: [2, 2], data: new Float32Array(3) });
 * // throws ConvError: myOp: input.data has 3 elements but input [2,2] needs 4
 * ```
 */
export function checkTensor(op: string, arg: string, value: Tensor | undefined): void {
  if (value !== undefined) readTensor(op, arg, value);
}

/**
 * Reads a tensor argument once (its `shape` entries and its `data` reference) and checks it: the
 * snapshot is what validation and computation both see, so a getter cannot show validation one
 * shape and the algorithm another.
 */
function readTensor(op: string, arg: string, value: unknown): Tensor {
  const shape = readShape(op, arg, value);
  const { data } = value as { data: unknown };
  if (!isFloat32Array(data)) {
    throw new ConvError(
      op,
      arg,
      `${arg}.data must be a Float32Array, got ${describeValue(data)}; ${arg} ${formatShape(shape)}`,
    );
  }
  const expected = sizeOf(shape);
  if (data.length !== expected) {
    throw new ConvError(
      op,
      arg,
      `${arg}.data has ${data.length} elements but ${arg} ${formatShape(shape)} needs ${expected}`,
    );
  }
  return { shape, data };
}

/** Reads and checks a tensor argument's `shape` once (a frozen copy); its `data` is not touched. */
function readShape(op: string, arg: string, value: unknown): readonly number[] {
  if (value === null || typeof value !== 'object' || isFloat32Array(value) || Array.isArray(value)) {
    throw new ConvError(op, arg, `${arg} must be a tensor { shape, data: Float32Array }, got ${describeValue(value)}`);
  }
  const { shape: rawShape } = value as { shape: unknown };
  if (!Array.isArray(rawShape)) {
    throw new ConvError(
      op,
      arg,
      `${arg} must be a tensor { shape, data: Float32Array }, got an object without a shape array`,
    );
  }
  if (rawShape.length > MAX_RANK) {
    throw new ConvError(op, arg, `${arg}.shape has ${rawShape.length} dims, more than the ${MAX_RANK} convkit reads`);
  }
  const shape = Object.freeze(Array.from(rawShape as unknown[])) as readonly number[];
  checkShape(op, `${arg}.shape`, shape);
  return shape;
}

/** PyTorch's and ONNX's spellings, and near misses, of convkit's option names. */
const KNOWN_MISSPELLINGS: Readonly<Record<string, string>> = {
  strides: 'stride',
  dilations: 'dilation',
  group: 'groups',
  pads: 'padding',
  pad: 'padding',
  auto_pad: 'padding',
  output_padding: 'outputPadding',
  padding_mode: 'paddingMode',
  kernel_size: 'kernelSize',
  kernel_shape: 'kernelSize',
  biases: 'bias',
  output_size: 'outputSize',
  output_shape: 'outputSize',
  depthwise_bias: 'depthwiseBias',
};

/** Lower case, without `_`, `-` or a plural `s`: `padding_mode` and `paddingModes` both read `paddingmode`. */
function normalizedName(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, '').replace(/s$/, '');
}

/** The known option name `name` most likely meant, or undefined. */
function suggestOption(
  name: string,
  known: readonly string[],
  aliases: Readonly<Record<string, string>>,
): string | undefined {
  const alias = Object.hasOwn(aliases, name) ? aliases[name] : undefined;
  if (alias !== undefined && known.includes(alias)) return alias;
  const normalized = normalizedName(name);
  return known.find((candidate) => normalizedName(candidate) === normalized);
}

/**
 * Throws for a key the op does not take (PyTorch raises for an unknown keyword), suggesting the
 * one it probably meant: from `aliases` (PyTorch's and ONNX's spellings by default), else a known
 * name equal up to case, `_`, `-` and a plural `s`.
 *
 * @throws {ConvError} with `arg` `'options'`.
 * @example
 * ```ts
 * import { checkOptionNames } from '@convkit/core/shape';
 * checkOptionNames('conv', ['padding_mode'], ['padding', 'paddingMode']);
 * // throws ConvError: conv: unknown option 'padding_mode'; did you mean 'paddingMode'? (conv takes 'padding', 'paddingMode')
 * ```
 */
export function checkOptionNames(
  op: string,
  keys: readonly string[],
  known: readonly string[],
  aliases: Readonly<Record<string, string>> = KNOWN_MISSPELLINGS,
): void {
  for (const key of keys) {
    if (known.includes(key)) continue;
    const suggestion = suggestOption(key, known, aliases);
    const hint = suggestion === undefined ? '' : `; did you mean '${suggestion}'?`;
    throw new ConvError(
      op,
      'options',
      `unknown option ${describeValue(key)}${hint} (${op} takes ${known.map((name) => `'${name}'`).join(', ')})`,
    );
  }
}

/**
 * A copy of an option value: arrays (and `[begin, end]` pairs inside them) copied, so later reads
 * see the same values. Every array option has one entry per spatial dim (an `outputSize` at most
 * one per dim of the output), so a longer one is refused before it is read.
 */
function copyOption(op: string, key: string, value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  if (value.length > MAX_RANK) {
    throw new ConvError(op, key, `${key} must have one entry per spatial dim, got an array of ${value.length} entries`);
  }
  return Array.from(value as unknown[], (entry) =>
    Array.isArray(entry) && entry.length <= MAX_RANK ? Array.from(entry as unknown[]) : entry,
  );
}

/**
 * What an op's entry reads of its call: which tensors it needs, which options it knows.
 *
 * @example
 * ```ts
 * import type { CallSpec } from '@convkit/core';
 * const spec: CallSpec = { required: ['input', 'weight'], optionNames: ['stride', 'bias'], tensorOptions: ['bias'] };
 * spec.required.length; // 2
 * ```
 */
export interface CallSpec {
  /** The tensor arguments that must be present (the op's operands). */
  readonly required: readonly string[];
  /** Every options key the op takes; others are refused. Absent: any key goes. */
  readonly optionNames?: readonly string[];
  /** The options keys that hold tensors (read into the call's tensors). */
  readonly tensorOptions?: readonly string[];
  /**
   * Tensors known by their shape alone, whose data the caller holds elsewhere (a result kept on a
   * GPU): their `shape` is read and checked as any tensor's, their `data` is never read, and they
   * appear in the call's `shapes` but not in its `tensors`.
   */
  readonly shapeOnly?: readonly string[];
}

/**
 * A call as read once at entry: everything later stages read comes from here.
 *
 * @example
 * ```ts
 * import { readCall, tensor, type ReadCall } from '@convkit/core';
 * const call: ReadCall = readCall('conv', undefined, { input: tensor([1], [1, 1, 1]) }, { required: ['input'] });
 * call.algorithm; // 'auto'
 * ```
 */
export interface ReadCall {
  readonly algorithm: ConvAlgorithm;
  /** A snapshot of every named tensor (shape copied, data referenced), absent and shape-only ones undefined. */
  readonly tensors: Readonly<Record<string, Tensor | undefined>>;
  /** The shape of every named tensor as read (the spec's `shapeOnly` ones included), absent ones undefined. */
  readonly shapes: Readonly<Record<string, readonly number[] | undefined>>;
  /** A copy of the options: each key read once, arrays copied, `null` dropped (PyTorch's None), tensors snapshotted. */
  readonly options: Readonly<Record<string, unknown>>;
}

const ALGORITHMS: readonly ConvAlgorithm[] = ['auto', 'direct'];

/**
 * Reads and checks a call once, at entry: `options` is an options object (or undefined) naming
 * only keys the op takes, every required tensor is present, every named tensor is a well-formed
 * tensor, and `options.algorithm` is valid. Each option and each tensor's shape is read exactly
 * once into the returned snapshot, which validation and computation then share. An option set to
 * `null` counts as not given (PyTorch's `None`: `bias: null` is no bias). Messages are bounded: they
 * never embed data.
 *
 * @throws {ConvError} naming the op and the argument at fault.
 * @example
 * ```ts
 * import { readCall, tensor } from '@convkit/core';
 * const call = readCall('conv', { stride: 2, bias: null }, { input: tensor([1], [1, 1, 1]) }, { required: ['input'] });
 * call.options; // { stride: 2 }
 * readCall('conv', { strides: 2 }, {}, { required: [], optionNames: ['stride'] });
 * // throws ConvError: conv: unknown option 'strides'; did you mean 'stride'? (conv takes 'stride')
 * ```
 */
export function readCall(
  op: string,
  options: unknown,
  tensors: Readonly<Record<string, unknown>>,
  spec: CallSpec,
): ReadCall {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new ConvError(
      op,
      'options',
      `options must be an object, got ${Array.isArray(options) ? 'an array' : describeValue(options)}`,
    );
  }
  const given = (options ?? {}) as Record<string, unknown>;
  const keys = Object.keys(given);
  if (spec.optionNames) checkOptionNames(op, keys, spec.optionNames);
  const tensorOptions = spec.tensorOptions ?? [];
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    const value = given[key];
    if (value !== null && value !== undefined)
      copy[key] = tensorOptions.includes(key) ? value : copyOption(op, key, value);
  }
  const snapshot: Record<string, Tensor | undefined> = {};
  const shapes: Record<string, readonly number[] | undefined> = {};
  for (const [arg, value] of Object.entries(tensors)) {
    // A tensor option comes from the copy (read once there), an operand from the call.
    const read = tensorOptions.includes(arg) ? copy[arg] : value;
    if (read === undefined || read === null) {
      if (spec.required.includes(arg)) {
        throw new ConvError(
          op,
          arg,
          `${arg} is missing (got ${String(read)}); ${op} takes ${spec.required.join(', ')}`,
        );
      }
      snapshot[arg] = undefined;
      shapes[arg] = undefined;
      continue;
    }
    if (spec.shapeOnly?.includes(arg)) {
      shapes[arg] = readShape(op, arg, read);
      snapshot[arg] = undefined;
      if (tensorOptions.includes(arg)) copy[arg] = { shape: shapes[arg] };
      continue;
    }
    snapshot[arg] = readTensor(op, arg, read);
    shapes[arg] = snapshot[arg].shape;
    if (tensorOptions.includes(arg)) copy[arg] = snapshot[arg];
  }
  for (const arg of spec.required) {
    if (!(arg in tensors)) throw new ConvError(op, arg, `${arg} is missing; ${op} takes ${spec.required.join(', ')}`);
  }
  const algorithm = copy.algorithm;
  if (algorithm !== undefined && !ALGORITHMS.includes(algorithm as ConvAlgorithm)) {
    throw new ConvError(op, 'algorithm', `algorithm must be 'auto' or 'direct', got ${describeValue(algorithm)}`);
  }
  return { algorithm: (algorithm as ConvAlgorithm | undefined) ?? 'auto', tensors: snapshot, shapes, options: copy };
}

/**
 * The checks every op runs before the shape module: `options` is an options object (or
 * undefined), every named tensor is a well-formed tensor, and `options.algorithm` is valid.
 * Returns the algorithm to use. The ops call {@link readCall}, which also refuses unknown option
 * names and missing tensors and returns the snapshot they compute with.
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
  return readCall(op, options, tensors, { required: [] }).algorithm;
}
