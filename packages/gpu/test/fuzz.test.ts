import { afterAll, describe, expect, it } from 'vitest';
import * as core from '@convkit/core';
import { FUZZ_OPS, GPU_TOLERANCE, compareTensors, fuzzCase, runFuzzCase } from '@convkit/testkit';
import { NODE_MODES, reportLine, describeGpu } from './node-modes.js';

/** CI runs this fixed seed and 100 cases per op per backend; FUZZ_SEED and FUZZ_RUNS change them. */
const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_261_128);
const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 100);

describe.each(NODE_MODES)('the differential fuzzer against core on %s', (mode) => {
  const gpu = describeGpu(mode);
  let passed = 0;
  let maxError = 0;
  afterAll(() =>
    console.log(
      reportLine(`fuzz (seed ${FUZZ_SEED}, ${FUZZ_RUNS} per op)`, mode, passed, FUZZ_RUNS * FUZZ_OPS.length, maxError),
    ),
  );

  it.each(FUZZ_OPS)(
    '%s agrees with core on random valid shapes',
    { timeout: 60_000 + FUZZ_RUNS * 1_000 },
    async (op) => {
      const failures: string[] = [];
      for (let run = 0; run < FUZZ_RUNS; run++) {
        const entry = fuzzCase(op, FUZZ_SEED + run);
        try {
          const comparison = compareTensors(
            await runFuzzCase(gpu(), entry),
            runFuzzCase(core, entry, { algorithm: 'direct' }),
            GPU_TOLERANCE,
          );
          maxError = Math.max(maxError, comparison.maxAbsError);
          if (comparison.ok) passed += 1;
          else failures.push(`${entry.description}: ${comparison.message}`);
        } catch (error) {
          failures.push(`${entry.description}: threw ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      if (failures.length > 0) console.error(`[@convkit/gpu] fuzz failures on ${mode}:\n${failures.join('\n')}`);
      expect(failures, failures.slice(0, 5).join('\n')).toEqual([]);
    },
  );
});
