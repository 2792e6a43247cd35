// The shared bad-input, accepted-odd-call and odd-value cases (data in @convkit/testkit) inside the
// browser, on one backend: each counts as one extra of the suite's report.
import { ConvError, type Tensor } from '@convkit/core';
import type { Gpu } from '@convkit/gpu';
import { ACCEPTED_CASES, BAD_INPUT_CASES } from '../../../testkit/src/bad-input.js';
import { ODD_VALUE_CASES, sameValues } from '../../../testkit/src/odd-values.js';

type AnyCall = (...args: unknown[]) => Promise<Tensor>;

/** What each check adds to: the suite's `extras` counts and its failures. */
interface Tally {
  extras: { passed: number; total: number };
  failures: string[];
}

export async function checkBadInput(gpu: Gpu, report: Tally): Promise<void> {
  const callOf = (op: string): AnyCall => (gpu as unknown as Record<string, AnyCall>)[op].bind(gpu);
  const check = async (name: string, run: () => Promise<string>): Promise<void> => {
    report.extras.total += 1;
    let problem: string;
    try {
      problem = await run();
    } catch (error) {
      problem = `threw ${error instanceof Error ? error.message : String(error)}`;
    }
    if (problem === '') report.extras.passed += 1;
    else report.failures.push(`${name}: ${problem}`);
  };
  for (const entry of BAD_INPUT_CASES.filter((candidate) => candidate.backends === 'all')) {
    await check(`bad input, ${entry.name}`, async () => {
      const args = entry.options === undefined ? entry.operands : [...entry.operands, entry.options];
      try {
        await callOf(entry.op)(...args);
      } catch (error) {
        if (!(error instanceof ConvError)) return `rejected with ${String(error)}, not a ConvError`;
        return error.message === entry.message ? '' : `message ${error.message}`;
      }
      return 'accepted';
    });
  }
  for (const entry of ACCEPTED_CASES.filter((candidate) => candidate.backends === 'all')) {
    await check(`accepted, ${entry.name}`, async () => {
      const got = await callOf(entry.op)(...entry.operands, entry.options);
      if (got.shape.join(',') !== entry.outputShape.join(',')) return `shape [${got.shape.join(',')}]`;
      return entry.outputData && Array.from(got.data).join(',') !== entry.outputData.join(',') ? 'values differ' : '';
    });
  }
  // Float32 accumulation on every browser mode: the float64-only cases do not apply.
  for (const entry of ODD_VALUE_CASES.filter((candidate) => candidate.backends === 'all')) {
    await check(`odd values, ${entry.name}`, async () => {
      const got = await callOf(entry.op)(...entry.operands, entry.options);
      return sameValues(got.data, entry.expected.data, 1e-4, 1e-4);
    });
  }
}
