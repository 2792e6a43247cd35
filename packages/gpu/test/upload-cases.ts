import * as core from '@convkit/core';
import { OP_TABLE, type Tensor } from '@convkit/core';
import type { Gpu, GpuTensor } from '@convkit/gpu';
// The browser suite bundles this module: '@convkit/testkit' is browser-safe (what reads files is in /node).
import { FUZZ_OPS, GPU_TOLERANCE, compareTensors, fuzzCase, runOp, type FuzzCase } from '@convkit/testkit';

type Argument = Tensor | GpuTensor;

/** Calls `op` of `api` (core or a Gpu) with a fuzz case's arguments, each passed through `wrap`. */
async function callOp(
  api: unknown,
  entry: FuzzCase,
  wrap: (value: Tensor) => Promise<Argument> | Argument,
): Promise<Tensor> {
  const options: Record<string, unknown> = { ...entry.options };
  for (const key of OP_TABLE[entry.op].tensorOptions) {
    if (options[key] !== undefined) options[key] = await wrap(options[key] as Tensor);
  }
  const operands = await Promise.all(entry.operands.map(wrap));
  return runOp<Promise<Tensor> | Tensor>(api as object, entry.op, operands, options);
}

/**
 * Runs `runs` fuzz cases per op three ways: core, the gpu with plain tensors, the gpu with every
 * tensor argument (input, weights, biases) uploaded. Returns the failures as messages, empty when
 * all three agree within the GPU tolerance; `maxError.value` grows to the largest error seen.
 * Shared by the Node tests and the browser suite.
 */
export async function compareUploads(gpu: Gpu, seed: number, runs: number, maxError = { value: 0 }): Promise<string[]> {
  const failures: string[] = [];
  for (const op of FUZZ_OPS) {
    for (let run = 0; run < runs; run++) {
      const entry = fuzzCase(op, seed + run);
      const want = await callOp(core, entry, (value) => value);
      const plain = await callOp(gpu, entry, (value) => value);
      const handles: GpuTensor[] = [];
      const uploaded = await callOp(gpu, entry, async (value) => {
        const handle = await gpu.upload(value);
        handles.push(handle);
        return handle;
      });
      for (const handle of handles) handle.dispose();
      for (const [name, got] of [
        ['plain', plain],
        ['uploaded', uploaded],
      ] as const) {
        const comparison = compareTensors(got, want, GPU_TOLERANCE);
        maxError.value = Math.max(maxError.value, comparison.maxAbsError);
        if (!comparison.ok)
          failures.push(`${op} ${name} seed ${entry.seed} (${entry.description}): ${comparison.message}`);
      }
    }
  }
  return failures;
}
