import * as core from '@convkit/core';
import { ConvError, OP_NAMES, OP_TABLE, type OpName, type Tensor } from '@convkit/core';
import type { Gpu, GpuTensor } from '@convkit/gpu';
// Relative imports, not '@convkit/testkit': the browser suite bundles this module.
import { GPU_TOLERANCE, compareTensors } from '../../testkit/src/compare.js';
import { mulberry32, randomTensor } from '../../testkit/src/random.js';

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

/**
 * Invalid calls of every op, as operand shapes and options: options that are not an object for
 * every op, a wrong rank for every rank-checked entry point, and one op-specific mistake each.
 */
export const INVALID_CALLS: readonly [string, OpName, EntryPointCase][] = [
  ...OP_NAMES.map((op): [string, OpName, EntryPointCase] => [
    `${op} with options that are not an object`,
    op,
    { operands: VALID_CALLS[op].operands, options: [] as never },
  ]),
  ...OP_NAMES.filter((op) => OP_TABLE[op].spatialRank !== undefined).map((op): [string, OpName, EntryPointCase] => {
    const rank = OP_TABLE[op].spatialRank === 1 ? 2 : 1;
    const spatial = new Array<number>(rank).fill(3);
    const weightSpatial = new Array<number>(rank).fill(2);
    return [
      `${op} given ${rank}-D tensors`,
      op,
      {
        operands: [
          [1, 1, ...spatial],
          [1, 1, ...weightSpatial],
        ],
      },
    ];
  }),
  [
    'conv1d with a channel mismatch',
    'conv1d',
    {
      operands: [
        [1, 3, 3],
        [1, 1, 2],
      ],
    },
  ],
  ['conv2d with a bias of the wrong length', 'conv2d', { ...VALID_CALLS.conv2d, tensorOptions: { bias: [3] } }],
  [
    'conv3d with a group mismatch',
    'conv3d',
    {
      operands: [
        [1, 2, 3, 3, 3],
        [2, 2, 2, 2, 2],
      ],
      options: { groups: 2 },
    },
  ],
  [
    'convTranspose2d with output padding not below the stride',
    'convTranspose2d',
    {
      operands: [
        [1, 1, 3, 3],
        [1, 1, 2, 2],
      ],
      options: { stride: 2, outputPadding: 2 },
    },
  ],
  [
    'convTranspose3d with stride 0',
    'convTranspose3d',
    { operands: VALID_CALLS.convTranspose3d.operands, options: { stride: 0 } },
  ],
];

/** The tensors of a case, seeded: operands in order, then the options with their tensors filled in. */
export function caseArguments(entry: EntryPointCase, seed: number): { operands: Tensor[]; options: unknown } {
  const random = mulberry32(seed);
  const operands = entry.operands.map((shape) => randomTensor(random, shape));
  if (Array.isArray(entry.options)) return { operands, options: entry.options };
  const options: Record<string, unknown> = { ...entry.options };
  for (const [key, shape] of Object.entries(entry.tensorOptions ?? {})) options[key] = randomTensor(random, shape);
  return { operands, options };
}

/** Calls `op` of core or of a Gpu with operands and options. */
export function callOp(api: unknown, op: OpName, operands: readonly unknown[], options: unknown): unknown {
  return (api as Record<OpName, (...args: unknown[]) => unknown>)[op](...operands, options);
}

/** The ConvError core's op throws for a call this suite calls invalid. */
export function coreError(op: OpName, entry: EntryPointCase): ConvError {
  const { operands, options } = caseArguments(entry, 1);
  try {
    callOp(core, op, operands, options);
  } catch (error) {
    if (error instanceof ConvError) return error;
    throw error;
  }
  throw new Error(`core accepted ${op} ${JSON.stringify(entry)}, a call this suite calls invalid`);
}

/**
 * Runs every valid call on `gpu` twice (plain tensors, then every tensor argument uploaded) against
 * core's reference, and every invalid call, expecting core's very ConvError as a rejection.
 * Returns the failures as messages; `maxError.value` grows to the largest error seen.
 */
export async function compareEntryPoints(gpu: Gpu, maxError: { value: number }): Promise<string[]> {
  const failures: string[] = [];
  for (const op of OP_NAMES) {
    const { operands, options } = caseArguments(VALID_CALLS[op], 7 + op.length);
    const want = callOp(core, op, operands, { ...(options as object), algorithm: 'direct' }) as Tensor;
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
        const got = (await callOp(gpu, op, args, callOptions)) as Tensor;
        const comparison = compareTensors(got, want, GPU_TOLERANCE);
        maxError.value = Math.max(maxError.value, comparison.maxAbsError);
        if (!comparison.ok) failures.push(`${op} with ${how}: ${comparison.message}`);
      } catch (error) {
        failures.push(`${op} with ${how}: threw ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    for (const handle of uploads) handle.dispose();
  }
  for (const [name, op, entry] of INVALID_CALLS) {
    const expected = coreError(op, entry);
    const { operands, options } = caseArguments(entry, 1);
    let pending: unknown;
    try {
      pending = callOp(gpu, op, operands, options);
    } catch (error) {
      failures.push(`${name}: threw synchronously (${String(error)}), want a rejection`);
      continue;
    }
    const rejection = await (pending as Promise<unknown>).then(
      () => undefined,
      (error: unknown) => error,
    );
    if (
      !(rejection instanceof ConvError) ||
      rejection.message !== expected.message ||
      rejection.op !== expected.op ||
      rejection.arg !== expected.arg
    ) {
      failures.push(`${name}: got ${String(rejection)}, want ${expected.op}/${expected.arg} "${expected.message}"`);
    }
  }
  return failures;
}
