import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ConvOptions, ConvTransposeOptions, Tensor } from '@convkit/core';

/** PyTorch's gradients of convolutions (`scripts/torch-gradients.py`, PyTorch 1.13.1 autograd in float64). */
export const GRADIENTS_ROOT = fileURLToPath(new URL('../../../fixtures/gradients/', import.meta.url));

/** One gradient case: a forward call, an upstream gradient, and the three gradients PyTorch computed for it. */
export interface GradientCase {
  /** `file/name`, e.g. `torch_gradients_2d/conv2d_reflect`. */
  readonly id: string;
  readonly kind: 'conv' | 'convTranspose';
  readonly input: Tensor;
  readonly weight: Tensor;
  readonly gradOutput: Tensor;
  /** The forward options in convkit's names (no bias). */
  readonly options: ConvOptions | ConvTransposeOptions;
  readonly expected: { readonly gradInput: Tensor; readonly gradWeight: Tensor; readonly gradBias: Tensor };
  /** True for integer-valued cases: their gradients are small integers and must match exactly. */
  readonly exact: boolean;
  readonly features: readonly string[];
}

interface RawTensor {
  shape: number[];
  data: number[];
}

interface RawCase {
  name: string;
  op: 'conv' | 'convTranspose';
  options: ConvOptions | ConvTransposeOptions;
  features: string[];
  exact: boolean;
  input: RawTensor;
  weight: RawTensor;
  gradOutput: RawTensor;
  gradInput: RawTensor;
  gradWeight: RawTensor;
  gradBias: RawTensor;
}

function toTensor(raw: RawTensor): Tensor {
  return { shape: raw.shape, data: Float32Array.from(raw.data) };
}

/** Every gradient case of `fixtures/gradients/`, in file order. */
export function loadGradientCases(): GradientCase[] {
  const files = readdirSync(GRADIENTS_ROOT)
    .filter((name) => name.endsWith('.json'))
    .sort();
  return files.flatMap((file) => {
    const { cases } = JSON.parse(readFileSync(`${GRADIENTS_ROOT}${file}`, 'utf8')) as { cases: RawCase[] };
    return cases.map((raw) => ({
      id: `${file.replace(/\.json$/, '')}/${raw.name}`,
      kind: raw.op,
      input: toTensor(raw.input),
      weight: toTensor(raw.weight),
      gradOutput: toTensor(raw.gradOutput),
      options: raw.options,
      expected: {
        gradInput: toTensor(raw.gradInput),
        gradWeight: toTensor(raw.gradWeight),
        gradBias: toTensor(raw.gradBias),
      },
      exact: raw.exact,
      features: raw.features,
    }));
  });
}
