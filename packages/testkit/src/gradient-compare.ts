// Browser-safe (no node: imports): the browser suite bundles it with the cases served as JSON.
import type { Tensor } from './tensor.js';
import { compareTensors, EXACT, type Tolerance } from './compare.js';

/** One gradient case: a forward call, an upstream gradient, and the three gradients PyTorch computed for it. */
export interface GradientCase {
  /** `file/name`, e.g. `torch_gradients_2d/conv2d_reflect`. */
  readonly id: string;
  readonly kind: 'conv' | 'convTranspose';
  readonly input: Tensor;
  readonly weight: Tensor;
  readonly gradOutput: Tensor;
  /** The forward options in convkit's names (no bias). */
  readonly options: Record<string, unknown>;
  readonly expected: { readonly gradInput: Tensor; readonly gradWeight: Tensor; readonly gradBias: Tensor };
  /** True for integer-valued cases: their gradients are small integers and must match exactly. */
  readonly exact: boolean;
  readonly features: readonly string[];
}

/** The backward entry points a backend offers (core's functions, or a gpu instance's methods). */
export interface GradientBackend {
  convBackward(input: Tensor, weight: Tensor, gradOutput: Tensor, options?: object): unknown;
  convTransposeBackward(input: Tensor, weight: Tensor, gradOutput: Tensor, options?: object): unknown;
}

/** The three gradients of a case, each compared with PyTorch's within the tolerance (exactly for integer cases). */
export interface GradientComparison {
  readonly ok: boolean;
  readonly maxAbsError: number;
  readonly message: string;
}

/**
 * Runs one case on a backend (sync or async) and compares its three gradients with PyTorch's:
 * within `tolerance`, or exactly for an integer-valued case.
 */
export async function compareGradientCase(
  backend: GradientBackend,
  entry: GradientCase,
  tolerance: Tolerance,
  extraOptions: object = {},
): Promise<GradientComparison> {
  const options = { ...entry.options, ...extraOptions };
  const got = (await (entry.kind === 'conv'
    ? backend.convBackward(entry.input, entry.weight, entry.gradOutput, options)
    : backend.convTransposeBackward(entry.input, entry.weight, entry.gradOutput, options))) as Record<string, Tensor>;
  let maxAbsError = 0;
  const failures: string[] = [];
  for (const name of ['gradInput', 'gradWeight', 'gradBias'] as const) {
    const comparison = compareTensors(got[name], entry.expected[name], entry.exact ? EXACT : tolerance);
    maxAbsError = Math.max(maxAbsError, comparison.maxAbsError);
    if (!comparison.ok) failures.push(`${name}: ${comparison.message}`);
  }
  return { ok: failures.length === 0, maxAbsError, message: failures.join('; ') || `max |error| ${maxAbsError}` };
}
