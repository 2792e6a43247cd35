// The gradient half of the browser suite: PyTorch's gradient cases and seeded gradient fuzz cases
// against core's reference loop, on one gpu.js backend. Bundled with suite.ts.
import {
  conv,
  convBackward,
  convTranspose,
  convTransposeBackward,
  depthwiseConv,
  depthwiseConvBackward,
  pointwiseConv,
  pointwiseConvBackward,
  type Tensor,
} from '@convkit/core';
import type { Gpu } from '@convkit/gpu';
import { GPU_TOLERANCE, compareTensors } from '../../../testkit/src/compare.js';
import { compareGradientCase, type GradientCase } from '../../../testkit/src/gradient-compare.js';
import { type FuzzOp, fuzzCase, mulberry32, randomTensor } from '../../../testkit/src/random.js';

export interface GradientReport {
  passed: number;
  total: number;
  maxError: number;
}

type Call = (...args: unknown[]) => unknown;
type Forward = (input: Tensor, weight: Tensor, options: object) => Tensor;
type Backward = (input: Tensor, weight: Tensor, gradOutput: Tensor, options: object) => unknown;
/** Per op: core's forward (for the output shape) and backward (the oracle, on its reference loop). */
const SINGLE_OPS: Readonly<Record<Exclude<FuzzOp, 'separableConv'>, readonly [Forward, Backward]>> = {
  conv: [conv, convBackward],
  convTranspose: [convTranspose, convTransposeBackward],
  depthwiseConv: [depthwiseConv, depthwiseConvBackward],
  pointwiseConv: [pointwiseConv, pointwiseConvBackward],
};
const FUZZ_RUNS_PER_OP = 4;

function record(report: GradientReport, failures: string[], id: string, ok: boolean, error: number, message: string) {
  report.total += 1;
  report.maxError = Math.max(report.maxError, error);
  if (ok) report.passed += 1;
  else failures.push(`gradients, ${id}: ${message}`);
}

export async function checkGradients(
  gpu: Gpu,
  cases: readonly GradientCase[],
  report: GradientReport,
  failures: string[],
  seed: number,
): Promise<void> {
  for (const entry of cases) {
    try {
      const comparison = await compareGradientCase(gpu, entry, GPU_TOLERANCE);
      record(report, failures, entry.id, comparison.ok, comparison.maxAbsError, comparison.message);
    } catch (error) {
      record(report, failures, entry.id, false, 0, `threw ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  for (const [op, [forward, backward]] of Object.entries(SINGLE_OPS)) {
    for (let run = 0; run < FUZZ_RUNS_PER_OP; run++) {
      const {
        operands: [input, weight],
        options,
        description,
      } = fuzzCase(op as FuzzOp, seed + run, 1024);
      try {
        const { bias: _bias, ...rest } = options;
        const output = forward(input, weight, rest) as Tensor;
        const gradOutput = randomTensor(mulberry32(seed + run), output.shape);
        const method = `${op}Backward` as 'convBackward';
        const want = backward(input, weight, gradOutput, { ...rest, algorithm: 'direct' }) as Record<string, Tensor>;
        const got = (await (gpu[method] as Call)(input, weight, gradOutput, rest)) as Record<string, Tensor>;
        const comparisons = ['gradInput', 'gradWeight', 'gradBias'].map((name) =>
          compareTensors(got[name], want[name], GPU_TOLERANCE),
        );
        const bad = comparisons.find((comparison) => !comparison.ok);
        const error = Math.max(...comparisons.map((comparison) => comparison.maxAbsError));
        record(report, failures, description, bad === undefined, error, bad?.message ?? '');
      } catch (error) {
        record(
          report,
          failures,
          description,
          false,
          0,
          `threw ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
}
