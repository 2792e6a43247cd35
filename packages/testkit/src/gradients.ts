import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Tensor } from './tensor.js';
import type { GradientCase } from './gradient-compare.js';

/** PyTorch's gradients of convolutions (`scripts/torch-gradients.py`, PyTorch 1.13.1 autograd in float64). */
export const GRADIENTS_ROOT = fileURLToPath(new URL('../../../fixtures/gradients/', import.meta.url));

interface RawTensor {
  shape: number[];
  data: number[];
}

interface RawCase {
  name: string;
  op: 'conv' | 'convTranspose';
  options: Record<string, unknown>;
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

export type { GradientCase } from './gradient-compare.js';

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
