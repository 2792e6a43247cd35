import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Tensor } from './tensor.js';

/** Options as a backend takes them; testkit does not name core's option types. */
type Options = Record<string, unknown>;

/**
 * Maps ONNX node attributes onto a backend's options: pass core's module (its
 * `fromOnnxConvAttributes` and `fromOnnxConvTransposeAttributes`), so the one ONNX adapter in
 * core is the one the vectors test, and testkit needs no dependency on core.
 */
export interface OnnxAdapters {
  fromOnnxConvAttributes(attributes: never): object;
  fromOnnxConvTransposeAttributes(attributes: never): object;
}

/** The repository's copy of the shared conformance vectors. */
export const CONFORMANCE_ROOT = fileURLToPath(new URL('../../../fixtures/conformance/', import.meta.url));

export const CONFORMANCE_FOLDERS = [
  'onnx',
  'onnx_pytorch_converted',
  'onnx_pytorch_operator',
  'onnx_ort',
  'onnx_attr_torch',
  'torch_public',
] as const;

/** One conformance case, mapped onto convkit's options. */
export interface ConformanceCase {
  /** `folder/name`. */
  readonly id: string;
  readonly kind: 'conv' | 'convTranspose';
  readonly input: Tensor;
  readonly weight: Tensor;
  readonly options: Options;
  readonly expected: Tensor;
  /** True when every value is a small integer: such cases must match exactly. */
  readonly exact: boolean;
}

interface RawTensor {
  dims: number[];
  data: number[];
}

interface RawCase {
  name: string;
  op: string;
  attributes: Record<string, unknown>;
  inputs: { X: RawTensor; W: RawTensor; B?: RawTensor };
  output: RawTensor;
}

function toTensor(raw: RawTensor): Tensor {
  return { shape: raw.dims, data: Float32Array.from(raw.data) };
}

function torchOptions(raw: RawCase, transposed: boolean): Options {
  const attributes = raw.attributes as {
    stride: number[];
    dilation: number[];
    groups: number;
    padding: number[] | 'same' | 'valid';
    output_padding?: number[];
    input_pad?: [number, number][];
  };
  let padding: unknown = attributes.padding;
  if (attributes.input_pad) {
    // The input was zero-padded by input_pad first; on top of symmetric padding that is one asymmetric padding.
    const symmetric = attributes.padding as number[];
    padding = attributes.input_pad.map(
      ([begin, end], axis) => [begin + symmetric[axis], end + symmetric[axis]] as [number, number],
    );
  }
  const common = { stride: attributes.stride, dilation: attributes.dilation, groups: attributes.groups };
  if (transposed) {
    return { ...common, padding, outputPadding: attributes.output_padding };
  }
  return { ...common, padding };
}

function isSmallIntegers(values: readonly number[]): boolean {
  return values.every((value) => Number.isInteger(value) && Math.abs(value) < 2 ** 24);
}

function mapCase(folder: string, raw: RawCase, adapters: OnnxAdapters): ConformanceCase {
  const transposed = raw.op === 'ConvTranspose' || raw.op.startsWith('conv_transpose');
  const onnx = raw.op === 'Conv' || raw.op === 'ConvTranspose';
  const options = (
    onnx
      ? transposed
        ? adapters.fromOnnxConvTransposeAttributes(raw.attributes as never)
        : adapters.fromOnnxConvAttributes(raw.attributes as never)
      : torchOptions(raw, transposed)
  ) as Options;
  const bias = raw.inputs.B ? toTensor(raw.inputs.B) : undefined;
  return {
    id: `${folder}/${raw.name}`,
    kind: transposed ? 'convTranspose' : 'conv',
    input: toTensor(raw.inputs.X),
    weight: toTensor(raw.inputs.W),
    options: bias ? { ...options, bias } : options,
    expected: toTensor(raw.output),
    exact: [raw.inputs.X, raw.inputs.W, raw.inputs.B, raw.output].every(
      (tensor) => !tensor || isSmallIntegers(tensor.data),
    ),
  };
}

/** Every conformance case of every folder, in a stable order, ONNX attributes mapped by `adapters`. */
export function loadConformanceCases(adapters: OnnxAdapters, root = CONFORMANCE_ROOT): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  for (const folder of CONFORMANCE_FOLDERS) {
    const files = readdirSync(`${root}/${folder}`)
      .filter((file) => file.endsWith('.json') && file !== '_index.json')
      .sort();
    for (const file of files) {
      const raw = JSON.parse(readFileSync(`${root}/${folder}/${file}`, 'utf8')) as RawCase;
      if (raw.name === undefined) raw.name = file.replace(/\.json$/, '');
      cases.push(mapCase(folder, raw, adapters));
    }
  }
  return cases;
}

/** The number of cases each folder's `_index.json` lists. */
export function indexedCaseCounts(root = CONFORMANCE_ROOT): Record<string, number> {
  return Object.fromEntries(
    CONFORMANCE_FOLDERS.map((folder) => [
      folder,
      (JSON.parse(readFileSync(`${root}/${folder}/_index.json`, 'utf8')) as unknown[]).length,
    ]),
  );
}
