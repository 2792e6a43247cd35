import * as core from '@convkit/core';
import type { ConvOptions, ConvTransposeOptions, Tensor } from '@convkit/core';
import type { Gpu } from '@convkit/gpu';
import { type Comparison, type FuzzOp, GPU_TOLERANCE, compareTensors, fuzzCase, runFuzzCase } from '@convkit/testkit';

// The checks the Node suites and the browser suite both run, so both judge a backend alike.
// No vitest here: the browser suite is bundled into a page.

/** How a group of checks went: how many passed and the largest error seen. */
export interface Tally {
  passed: number;
  maxError: number;
}

/** An error's message (what a failure line quotes). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs one comparison into `tally`: it passes, or its failure is pushed onto `failures` under
 * `name`; a throw is a failure too, quoting its message.
 */
export async function tallyComparison(
  tally: Tally,
  failures: string[],
  name: string,
  compare: () => Promise<Comparison> | Comparison,
): Promise<void> {
  try {
    const comparison = await compare();
    tally.maxError = Math.max(tally.maxError, comparison.maxAbsError);
    if (comparison.ok) tally.passed += 1;
    else failures.push(`${name}: ${comparison.message}`);
  } catch (error) {
    failures.push(`${name}: threw ${messageOf(error)}`);
  }
}

/** A third-party conformance vector (conv or transposed conv) on `gpu`, against its expected output. */
export async function compareConformanceCase(
  gpu: Gpu,
  entry: { kind: 'conv' | 'convTranspose'; input: Tensor; weight: Tensor; options: unknown; expected: Tensor },
): Promise<Comparison> {
  const got =
    entry.kind === 'conv'
      ? await gpu.conv(entry.input, entry.weight, entry.options as ConvOptions)
      : await gpu.convTranspose(entry.input, entry.weight, entry.options as ConvTransposeOptions);
  return compareTensors(got, entry.expected, GPU_TOLERANCE);
}

/**
 * `runs` fuzz cases of `op` from `seed` on `gpu`, each against core's direct algorithm, into
 * `tally`. Returns the failures.
 */
export async function fuzzAgainstCore(
  gpu: Gpu,
  op: FuzzOp,
  { seed, runs }: { seed: number; runs: number },
  tally: Tally,
): Promise<string[]> {
  const failures: string[] = [];
  for (let run = 0; run < runs; run++) {
    const entry = fuzzCase(op, seed + run);
    await tallyComparison(tally, failures, entry.description, async () =>
      compareTensors(await runFuzzCase(gpu, entry), runFuzzCase(core, entry, { algorithm: 'direct' }), GPU_TOLERANCE),
    );
  }
  return failures;
}
