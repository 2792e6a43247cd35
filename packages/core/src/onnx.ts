import { ConvError, describeValue } from './errors.js';
import { checkOptionNames } from './shape/check-call.js';
import type { ConvInfo, ConvOptions, ConvTransposeOptions, Padding } from './shape/types.js';

/**
 * The attributes of an ONNX `Conv` or `ConvTranspose` node, as the node carries them.
 *
 * @example
 * ```ts
 * import { fromOnnxConvAttributes, type OnnxConvAttributes } from '@convkit/core';
 * const node: OnnxConvAttributes = { auto_pad: 'SAME_UPPER', strides: [2, 2], group: 1 };
 * fromOnnxConvAttributes(node); // { padding: 'same_upper', stride: [2, 2], groups: 1 }
 * ```
 */
export interface OnnxConvAttributes {
  auto_pad?: 'NOTSET' | 'SAME_UPPER' | 'SAME_LOWER' | 'VALID' | string;
  dilations?: readonly number[];
  group?: number;
  kernel_shape?: readonly number[];
  /** ONNX's flat order: all begins, then all ends. */
  pads?: readonly number[];
  strides?: readonly number[];
  output_padding?: readonly number[];
  output_shape?: readonly number[];
}

/**
 * ONNX's flat `pads` (all begins, then all ends) as one `[begin, end]` pair per spatial dim.
 *
 * @throws {ConvError} when `pads` has an odd length.
 * @example
 * ```ts
 * import { fromOnnxPads } from '@convkit/core';
 * fromOnnxPads([1, 0, 2, 3]); // [[1, 2], [0, 3]]: top 1, bottom 2, left 0, right 3
 * ```
 */
export function fromOnnxPads(pads: readonly number[], op = 'fromOnnxPads'): [number, number][] {
  if (pads.length % 2 !== 0) {
    throw new ConvError(op, 'pads', `pads must have an even length (begins then ends), got [${pads.join(',')}]`);
  }
  const rank = pads.length / 2;
  return Array.from({ length: rank }, (_, axis) => [pads[axis], pads[axis + rank]] as [number, number]);
}

/**
 * The begin/end padding of a shape record (or any per-dim begins and ends) as ONNX's flat `pads`.
 *
 * @example
 * ```ts
 * import { convInfo, toOnnxPads } from '@convkit/core';
 * toOnnxPads(convInfo([1, 1, 5, 5], [1, 1, 3, 3], { padding: [[1, 2], [0, 3]] })); // [1, 0, 2, 3]
 * ```
 */
export function toOnnxPads(padding: {
  readonly padBegin: readonly number[];
  readonly padEnd: readonly number[];
}): number[] {
  return [...padding.padBegin, ...padding.padEnd];
}

/** ONNX's Conv attributes; ConvTranspose adds `output_padding` and `output_shape`. */
const ONNX_CONV_ATTRIBUTES = ['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides'];
/** convkit's (PyTorch's) names, and near misses, of ONNX's attributes: what a mix-up suggests. */
const ONNX_SPELLINGS: Readonly<Record<string, string>> = {
  stride: 'strides',
  dilation: 'dilations',
  groups: 'group',
  padding: 'pads',
  kernelSize: 'kernel_shape',
  kernel_size: 'kernel_shape',
  autoPad: 'auto_pad',
  outputPadding: 'output_padding',
  outputSize: 'output_shape',
  output_size: 'output_shape',
};

/** Refuses attributes that are not an object, or name what ONNX's operator does not have. */
function checkAttributes(op: string, attributes: unknown, known: readonly string[]): void {
  if (attributes === null || typeof attributes !== 'object' || Array.isArray(attributes)) {
    throw new ConvError(
      op,
      'attributes',
      `attributes must be an object of ONNX attributes, got ${Array.isArray(attributes) ? 'an array' : describeValue(attributes)}`,
    );
  }
  checkOptionNames(op, Object.keys(attributes), known, ONNX_SPELLINGS);
}

/**
 * The attributes of the ONNX `Conv` or `ConvTranspose` node that computes a resolved record (the
 * inverse of {@link fromOnnxConvAttributes} and {@link fromOnnxConvTransposeAttributes}). Padding is
 * written as the explicit `pads` core resolved, or as `auto_pad` when `padding` was ONNX's
 * `'same_upper'` / `'same_lower'`; `output_padding` appears only on a transposed node that has one.
 *
 * @example
 * ```ts
 * import { convInfo, toOnnxConvAttributes } from '@convkit/core';
 * const info = convInfo([1, 3, 8, 8], [4, 3, 3, 3], { stride: 2, padding: [[1, 0], [1, 0]] });
 * toOnnxConvAttributes(info);
 * // { kernel_shape: [3, 3], strides: [2, 2], dilations: [1, 1], group: 1, pads: [1, 1, 0, 0] }
 * toOnnxConvAttributes(info, { padding: 'same_upper' }).auto_pad; // 'SAME_UPPER'
 * ```
 */
export function toOnnxConvAttributes(
  info: Pick<
    ConvInfo,
    'transposed' | 'kernelSize' | 'stride' | 'dilation' | 'groups' | 'padBegin' | 'padEnd' | 'outputPadding'
  >,
  options: { readonly padding?: Padding } = {},
): OnnxConvAttributes {
  const attributes: OnnxConvAttributes = {
    kernel_shape: [...info.kernelSize],
    strides: [...info.stride],
    dilations: [...info.dilation],
    group: info.groups,
  };
  if (options.padding === 'same_upper') attributes.auto_pad = 'SAME_UPPER';
  else if (options.padding === 'same_lower') attributes.auto_pad = 'SAME_LOWER';
  else attributes.pads = toOnnxPads(info);
  if (info.transposed && info.outputPadding.some((extent) => extent !== 0)) {
    attributes.output_padding = [...info.outputPadding];
  }
  return attributes;
}

/**
 * Maps the attributes of an ONNX `Conv` node onto {@link ConvOptions}: `pads` (flat, begins then
 * ends) become `[begin, end]` pairs, `auto_pad` becomes `'valid'`, `'same_upper'` or `'same_lower'`.
 *
 * @example
 * ```ts
 * import { fromOnnxConvAttributes } from '@convkit/core';
 * fromOnnxConvAttributes({ pads: [1, 0, 2, 3], strides: [2, 2] });
 * // { padding: [[1, 2], [0, 3]], stride: [2, 2] }
 * ```
 */
export function fromOnnxConvAttributes(attributes: OnnxConvAttributes): ConvOptions {
  const op = 'fromOnnxConvAttributes';
  checkAttributes(op, attributes, ONNX_CONV_ATTRIBUTES);
  const options: ConvOptions = {};
  switch (attributes.auto_pad ?? 'NOTSET') {
    case 'SAME_UPPER':
      options.padding = 'same_upper';
      break;
    case 'SAME_LOWER':
      options.padding = 'same_lower';
      break;
    case 'VALID':
      options.padding = 'valid';
      break;
    case 'NOTSET':
      if (attributes.pads) options.padding = fromOnnxPads(attributes.pads, op);
      break;
    default:
      throw new ConvError(op, 'auto_pad', `unknown auto_pad ${describeValue(attributes.auto_pad)}`);
  }
  if (attributes.strides) options.stride = [...attributes.strides];
  if (attributes.dilations) options.dilation = [...attributes.dilations];
  if (attributes.group !== undefined) options.groups = attributes.group;
  return options;
}

/**
 * Maps the attributes of an ONNX `ConvTranspose` node onto {@link ConvTransposeOptions}.
 * `output_shape` decides the padding (ONNX's rule): with `SAME_UPPER` the odd extra goes at the
 * end, with any other `auto_pad` at the beginning, i.e. `'same_lower'`; `pads` are then ignored.
 *
 * @example
 * ```ts
 * import { fromOnnxConvTransposeAttributes } from '@convkit/core';
 * fromOnnxConvTransposeAttributes({ strides: [3, 2], output_shape: [10, 8] });
 * // { padding: 'same_lower', outputSize: [10, 8], stride: [3, 2] }
 * ```
 */
export function fromOnnxConvTransposeAttributes(attributes: OnnxConvAttributes): ConvTransposeOptions {
  const op = 'fromOnnxConvTransposeAttributes';
  checkAttributes(op, attributes, [...ONNX_CONV_ATTRIBUTES, 'output_padding', 'output_shape']);
  const options: ConvTransposeOptions = {};
  const autoPad = attributes.auto_pad ?? 'NOTSET';
  if (!['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'].includes(autoPad)) {
    throw new ConvError(op, 'auto_pad', `unknown auto_pad '${autoPad}'`);
  }
  if (attributes.output_shape) {
    options.padding = autoPad === 'SAME_UPPER' ? 'same_upper' : 'same_lower';
    options.outputSize = [...attributes.output_shape];
  } else if (autoPad === 'SAME_UPPER') {
    options.padding = 'same_upper';
  } else if (autoPad === 'SAME_LOWER') {
    options.padding = 'same_lower';
  } else if (autoPad === 'VALID') {
    options.padding = 'valid';
  } else if (attributes.pads) {
    options.padding = fromOnnxPads(attributes.pads, op);
  }
  if (attributes.strides) options.stride = [...attributes.strides];
  if (attributes.dilations) options.dilation = [...attributes.dilations];
  if (attributes.group !== undefined) options.groups = attributes.group;
  if (attributes.output_padding) options.outputPadding = [...attributes.output_padding];
  return options;
}
