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

/** {@link callOp} through `gpu.resident`: the result stays on the device, then is read back once. */
async function callResident(gpu: Gpu, entry: FuzzCase, wrap: (value: Tensor) => Argument): Promise<Tensor> {
  const options: Record<string, unknown> = { ...entry.options };
  for (const key of OP_TABLE[entry.op].tensorOptions) {
    if (options[key] !== undefined) options[key] = wrap(options[key] as Tensor);
  }
  const handle = await runOp<Promise<GpuTensor>>(gpu.resident, entry.op, entry.operands.map(wrap), options);
  const result = await handle.read();
  handle.dispose();
  return result;
}

/**
 * `input` as a resident result: an identity pointwise convolution of it (exact: one product by 1
 * per output). The spatial rank comes from the weight, as core reads it (an unbatched input has one dim less).
 */
async function residentCopy(gpu: Gpu, input: Tensor, weight: Tensor): Promise<GpuTensor> {
  const spatialRank = weight.shape.length - 2;
  const channels = input.shape[input.shape.length - spatialRank - 1];
  const identity = new Float32Array(channels * channels);
  for (let channel = 0; channel < channels; channel++) identity[channel * channels + channel] = 1;
  const ones = Array.from({ length: spatialRank }, () => 1);
  return gpu.resident.pointwiseConv(input, { shape: [channels, channels, ...ones], data: identity });
}

/**
 * Runs `runs` fuzz cases per op five ways: core, the gpu with plain tensors, the gpu with every
 * tensor argument (input, weights, biases) uploaded, the op through `gpu.resident` (read back),
 * and the op given a resident result as its input. Returns the failures as messages, empty when
 * all agree within the GPU tolerance; `maxError.value` grows to the largest error seen.
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
      // Kept on the device: the op's result as a resident handle read back once, and the op given
      // an input that is itself a resident result (an identity pointwise convolution of it).
      const kept = await callResident(gpu, entry, (value) => value);
      const fromKept = await callOp(gpu, entry, async (value) => {
        if (value !== entry.operands[0]) return value;
        const handle = await residentCopy(gpu, value, entry.operands[1]);
        handles.push(handle);
        return handle;
      });
      for (const handle of handles) handle.dispose();
      for (const [name, got] of [
        ['plain', plain],
        ['uploaded', uploaded],
        ['resident', kept],
        ['resident input', fromKept],
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
