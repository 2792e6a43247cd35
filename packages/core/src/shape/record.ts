import { formatShape } from '../errors.js';
import { sizeOf } from '../tensor.js';
import type { Tensor } from '../tensor.js';
import type { Common } from './layout.js';
import { MAX_ELEMENTS, fail, type ShapeContext } from './normalize.js';
import type { ConvInfo } from './types.js';

/**
 * Fields that do not take part in a record's key. `op` only names the call in error messages:
 * `conv2d` and `conv` with the same geometry compute the same thing and share a compiled kernel.
 */
const UNKEYED_FIELDS: ReadonlySet<string> = new Set(['op', 'key']);

/**
 * Adds the derived key and freezes the record and every array in it. The key is built from every
 * field of the record itself (in field order, `name=value` joined by `|`), so that a field added
 * to the record is in the key without anyone remembering to add it.
 */
export function freezeRecord<T extends { readonly key: string }>(fields: Omit<T, 'key'>): T {
  const record: Record<string, unknown> = { ...fields };
  const keyed: string[] = [];
  for (const name of Object.keys(record)) {
    const value = record[name];
    const isArray = Array.isArray(value);
    if (isArray) record[name] = Object.freeze(value.slice());
    if (!UNKEYED_FIELDS.has(name)) keyed.push(`${name}=${isArray ? value.join(',') : String(value)}`);
  }
  record.key = keyed.join('|');
  return Object.freeze(record) as unknown as T;
}

/** Checks a bias (`arg`: its name in the call, `'bias'` or separable's `'depthwiseBias'`) against the output channels. */
export function checkBias(context: ShapeContext, bias: Tensor | undefined, outChannels: number, arg = 'bias'): boolean {
  if (bias === undefined || bias === null) return false;
  if (typeof bias !== 'object' || !Array.isArray(bias.shape)) {
    fail(context, arg, `${arg} must be a tensor { shape, data } of shape [${outChannels}]`);
  }
  if (bias.shape.length !== 1 || bias.shape[0] !== outChannels) {
    fail(context, arg, `${arg} must have shape [${outChannels}] (output channels), got ${formatShape(bias.shape)}`);
  }
  return true;
}

function checkElementCount(context: ShapeContext, arg: string, shape: readonly number[]): void {
  const count = sizeOf(shape);
  if (count > MAX_ELEMENTS) {
    fail(context, arg, `${arg} ${formatShape(shape)} would have ${count} elements, more than the limit of 2^31 - 1`);
  }
}

/** Refuses an output with an empty spatial dim; `explain` says why that dim came out empty. */
export function checkOutputSize(
  context: ShapeContext,
  outSize: readonly number[],
  explain: (axis: number) => string,
): void {
  for (let axis = 0; axis < outSize.length; axis++) {
    if (outSize[axis] < 1) {
      fail(
        context,
        'input',
        `the output would be empty: spatial dim ${axis} has size ${outSize[axis]} (${explain(axis)})`,
      );
    }
  }
}

/** The fields a conv or transposed-conv resolver computes; the rest come from {@link Common}. */
export type ResolvedFields = Omit<
  ConvInfo,
  | 'key'
  | 'op'
  | 'groups'
  | 'stride'
  | 'dilation'
  | 'effectiveKernelSize'
  | 'spatialRank'
  | 'batched'
  | 'batch'
  | 'inChannels'
  | 'inSize'
  | 'kernelSize'
  | 'hasBias'
  | 'inputShape'
  | 'weightShape'
  | 'outputShape'
>;

/** Checks the bias and the element counts, then freezes the record. */
export function finishInfo(
  { context, layout, groups, stride, dilation, effective }: Common,
  bias: Tensor | undefined,
  fields: ResolvedFields,
): ConvInfo {
  const hasBias = checkBias(context, bias, fields.outChannels);
  const outputShape = layout.batched
    ? [layout.batch, fields.outChannels, ...fields.outSize]
    : [fields.outChannels, ...fields.outSize];
  checkElementCount(context, 'input', context.inputShape);
  checkElementCount(context, 'output', outputShape);
  // The resolver's fields are spread last: V8 (Node 20) adds properties written after a spread
  // one by one on a slow path, which made building this record ~30 us, a tenth of a small conv.
  return freezeRecord<ConvInfo>({
    groups,
    stride,
    dilation,
    effectiveKernelSize: effective,
    op: context.op,
    spatialRank: layout.spatialRank,
    batched: layout.batched,
    batch: layout.batch,
    inChannels: layout.channels,
    inSize: layout.inSize,
    kernelSize: layout.kernelSize,
    hasBias,
    inputShape: context.inputShape,
    weightShape: context.weightShape,
    outputShape,
    ...fields,
  });
}
