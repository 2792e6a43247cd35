import { afterAll, describe, expect, it } from 'vitest';
import { FUZZ_OPS } from '@convkit/testkit';
import { type Tally, fuzzAgainstCore } from './checks.js';
import { NODE_MODES, reportLine, describeGpu } from './node-modes.js';

/** CI runs this fixed seed and 100 cases per op per backend; FUZZ_SEED and FUZZ_RUNS change them. */
const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_261_128);
const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 100);

describe.each(NODE_MODES)('the differential fuzzer against core on %s', (mode) => {
  const gpu = describeGpu(mode);
  const tally: Tally = { passed: 0, maxError: 0 };
  afterAll(() =>
    console.log(
      reportLine(
        `fuzz (seed ${FUZZ_SEED}, ${FUZZ_RUNS} per op)`,
        mode,
        tally.passed,
        FUZZ_RUNS * FUZZ_OPS.length,
        tally.maxError,
      ),
    ),
  );

  it.each(FUZZ_OPS)(
    '%s agrees with core on random valid shapes',
    { timeout: 60_000 + FUZZ_RUNS * 1_000 },
    async (op) => {
      const failures = await fuzzAgainstCore(gpu(), op, { seed: FUZZ_SEED, runs: FUZZ_RUNS }, tally);
      if (failures.length > 0) console.error(`[@convkit/gpu] fuzz failures on ${mode}:\n${failures.join('\n')}`);
      expect(failures, failures.slice(0, 5).join('\n')).toEqual([]);
    },
  );
});
