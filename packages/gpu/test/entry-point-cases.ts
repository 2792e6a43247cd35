import * as core from '@convkit/core';
import { OP_NAMES, OP_TABLE, type OpName, type Tensor } from '@convkit/core';
import type { Gpu, GpuTensor } from '@convkit/gpu';
import { GPU_TOLERANCE, compareTensors, mulberry32, randomTensor, runOp } from '@convkit/testkit';

/**
 * One call of an op: the shape of each operand and tensor-valued option, keyed by the names core's
 * op table gives them (`input`, `weight`, `bias`, `depthwiseWeight`, ...), and the other options.
 */
interface EntryPointCase {
  readonly shapes: Readonly<Record<string, readonly number[]>>;
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * A valid call of every op of core's table (a `Record` over the op names, so an op added to the
 * table fails to typecheck here until it has its case), each with a bias where the op takes one.
 */
export const VALID_CALLS: Record<OpName, EntryPointCase> = {
  conv: { shapes: { input: [1, 4, 5, 5], weight: [4, 2, 3, 3], bias: [4] }, options: { groups: 2, padding: 1 } },
  conv1d: { shapes: { input: [2, 2, 7], weight: [3, 2, 3], bias: [3] }, options: { stride: 2, dilation: 2 } },
  conv2d: {
    shapes: { input: [1, 2, 5, 6], weight: [2, 2, 3, 3] },
    options: { padding: 'same', paddingMode: 'reflect' },
  },
  conv3d: { shapes: { input: [1, 1, 3, 4, 4], weight: [2, 1, 2, 2, 2], bias: [2] }, options: { padding: 1 } },
  convTranspose: { shapes: { input: [1, 2, 3, 3], weight: [2, 1, 3, 3] }, options: { stride: 2, groups: 2 } },
  convTranspose1d: {
    shapes: { input: [1, 1, 4], weight: [1, 2, 3], bias: [2] },
    options: { stride: 2, outputPadding: 1 },
  },
  convTranspose2d: { shapes: { input: [1, 2, 3, 3], weight: [2, 3, 2, 2] }, options: { stride: 2, padding: 1 } },
  convTranspose3d: { shapes: { input: [2, 1, 2, 2, 2], weight: [1, 2, 2, 2, 2], bias: [2] }, options: { stride: 2 } },
  depthwiseConv: { shapes: { input: [1, 2, 5, 5], weight: [4, 1, 3, 3], bias: [4] }, options: { padding: 1 } },
  pointwiseConv: { shapes: { input: [1, 3, 4, 4], weight: [2, 3, 1, 1], bias: [2] }, options: { stride: 2 } },
  separableConv: {
    shapes: {
      input: [1, 2, 5, 5],
      depthwiseWeight: [2, 1, 3, 3],
      pointwiseWeight: [3, 2, 1, 1],
      depthwiseBias: [2],
      bias: [3],
    },
    options: { padding: 1 },
  },
};

/**
 * The tensors of an op's case, seeded: the operands in the table's order, then the options with the
 * table's tensor-valued options filled in (in the table's order, so the random draws never reorder).
 */
export function caseArguments(op: OpName, seed: number): { operands: Tensor[]; options: unknown } {
  const { shapes, options: plainOptions } = VALID_CALLS[op];
  const random = mulberry32(seed);
  const tensorAt = (name: string) => randomTensor(random, shapes[name] ?? []);
  const operands = OP_TABLE[op].operands.map(tensorAt);
  const options: Record<string, unknown> = { ...plainOptions };
  for (const key of OP_TABLE[op].tensorOptions) if (shapes[key] !== undefined) options[key] = tensorAt(key);
  return { operands, options };
}

/**
 * Runs every valid call on `gpu` twice (plain tensors, then every tensor argument uploaded) against
 * core's reference (the invalid calls of every op are testkit's shared ERROR_CASES).
 * Returns the failures as messages; `maxError.value` grows to the largest error seen.
 */
export async function compareEntryPoints(gpu: Gpu, maxError: { value: number }): Promise<string[]> {
  const failures: string[] = [];
  for (const op of OP_NAMES) {
    const { operands, options } = caseArguments(op, 7 + op.length);
    const want = runOp<Tensor>(core, op, operands, { ...(options as object), algorithm: 'direct' });
    const uploads: GpuTensor[] = [];
    const upload = async (value: Tensor) => {
      const handle = await gpu.upload(value);
      uploads.push(handle);
      return handle;
    };
    const uploadedOptions: Record<string, unknown> = { ...(options as object) };
    for (const key of OP_TABLE[op].tensorOptions) {
      if (uploadedOptions[key] !== undefined) uploadedOptions[key] = await upload(uploadedOptions[key] as Tensor);
    }
    const uploadedOperands = [];
    for (const operand of operands) uploadedOperands.push(await upload(operand));
    for (const [how, args, callOptions] of [
      ['plain tensors', operands, options],
      ['uploaded tensors', uploadedOperands, uploadedOptions],
    ] as const) {
      try {
        const got = await runOp<Promise<Tensor>>(gpu, op, args, callOptions);
        const comparison = compareTensors(got, want, GPU_TOLERANCE);
        maxError.value = Math.max(maxError.value, comparison.maxAbsError);
        if (!comparison.ok) failures.push(`${op} with ${how}: ${comparison.message}`);
      } catch (error) {
        failures.push(`${op} with ${how}: threw ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    for (const handle of uploads) handle.dispose();
  }
  return failures;
}
