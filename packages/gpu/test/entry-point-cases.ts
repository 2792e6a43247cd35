import * as core from '@convkit/core';
import { OP_NAMES, OP_TABLE, type OpName, type Tensor } from '@convkit/core';
import type { Gpu, GpuTensor } from '@convkit/gpu';
import { GPU_TOLERANCE, compareTensors, mulberry32, randomTensor, runOp } from '@convkit/testkit';

/** One call of an op: the shapes of its operands, its options, and the shapes of its tensor-valued options. */
interface EntryPointCase {
  readonly operands: readonly (readonly number[])[];
  readonly options?: Readonly<Record<string, unknown>>;
  readonly tensorOptions?: Readonly<Record<string, readonly number[]>>;
}

/**
 * A valid call of every op of core's table (a `Record` over the op names, so an op added to the
 * table fails to typecheck here until it has its case), each with a bias where the op takes one.
 */
export const VALID_CALLS: Record<OpName, EntryPointCase> = {
  conv: {
    operands: [
      [1, 4, 5, 5],
      [4, 2, 3, 3],
    ],
    options: { groups: 2, padding: 1 },
    tensorOptions: { bias: [4] },
  },
  conv1d: {
    operands: [
      [2, 2, 7],
      [3, 2, 3],
    ],
    options: { stride: 2, dilation: 2 },
    tensorOptions: { bias: [3] },
  },
  conv2d: {
    operands: [
      [1, 2, 5, 6],
      [2, 2, 3, 3],
    ],
    options: { padding: 'same', paddingMode: 'reflect' },
  },
  conv3d: {
    operands: [
      [1, 1, 3, 4, 4],
      [2, 1, 2, 2, 2],
    ],
    options: { padding: 1 },
    tensorOptions: { bias: [2] },
  },
  convTranspose: {
    operands: [
      [1, 2, 3, 3],
      [2, 1, 3, 3],
    ],
    options: { stride: 2, groups: 2 },
  },
  convTranspose1d: {
    operands: [
      [1, 1, 4],
      [1, 2, 3],
    ],
    options: { stride: 2, outputPadding: 1 },
    tensorOptions: { bias: [2] },
  },
  convTranspose2d: {
    operands: [
      [1, 2, 3, 3],
      [2, 3, 2, 2],
    ],
    options: { stride: 2, padding: 1 },
  },
  convTranspose3d: {
    operands: [
      [2, 1, 2, 2, 2],
      [1, 2, 2, 2, 2],
    ],
    options: { stride: 2 },
    tensorOptions: { bias: [2] },
  },
  depthwiseConv: {
    operands: [
      [1, 2, 5, 5],
      [4, 1, 3, 3],
    ],
    options: { padding: 1 },
    tensorOptions: { bias: [4] },
  },
  pointwiseConv: {
    operands: [
      [1, 3, 4, 4],
      [2, 3, 1, 1],
    ],
    options: { stride: 2 },
    tensorOptions: { bias: [2] },
  },
  separableConv: {
    operands: [
      [1, 2, 5, 5],
      [2, 1, 3, 3],
      [3, 2, 1, 1],
    ],
    options: { padding: 1 },
    tensorOptions: { depthwiseBias: [2], bias: [3] },
  },
};

/** The tensors of a case, seeded: operands in order, then the options with their tensors filled in. */
export function caseArguments(entry: EntryPointCase, seed: number): { operands: Tensor[]; options: unknown } {
  const random = mulberry32(seed);
  const operands = entry.operands.map((shape) => randomTensor(random, shape));
  const options: Record<string, unknown> = { ...entry.options };
  for (const [key, shape] of Object.entries(entry.tensorOptions ?? {})) options[key] = randomTensor(random, shape);
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
    const { operands, options } = caseArguments(VALID_CALLS[op], 7 + op.length);
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
