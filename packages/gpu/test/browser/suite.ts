// Bundled by scripts/browser-test.mjs (esbuild, never minified) and run inside headless Chromium:
// the conformance vectors and a seeded fuzzer subset against core, on one gpu.js backend.
import * as core from '@convkit/core';
import type { ConvOptions, ConvTransposeOptions, Tensor } from '@convkit/core';
import { createGpu, type Gpu, type GpuMode } from '@convkit/gpu';
import { compareConformanceCase, fuzzAgainstCore, messageOf, tallyComparison } from '../checks.js';
import { compareEntryPoints } from '../entry-point-cases.js';
import { checkBadInput } from './bad-input-checks.js';
import { compareUploads } from '../upload-cases.js';
import type { GradientCase } from '../../../testkit/src/gradient-compare.js';
import { checkGradients, type GradientReport } from './gradient-suite.js';
import {
  ERROR_CASES,
  FUZZ_OPS,
  GPU_TOLERANCE,
  HAND_CASES,
  compareTensors,
  mulberry32,
  randomTensor,
  runOp,
} from '@convkit/testkit';

/** A conformance case as the Node side serialized it (Float32Arrays as `{ f32: number[] }`). */
interface SerializedCase {
  id: string;
  kind: 'conv' | 'convTranspose';
  input: Tensor;
  weight: Tensor;
  options: ConvOptions | ConvTransposeOptions;
  expected: Tensor;
}

/** What one backend's run reports back to Node. */
export interface SuiteReport {
  mode: string;
  renderer: string;
  software: boolean;
  conformance: { passed: number; total: number; maxError: number };
  fuzz: { passed: number; total: number; maxError: number; seed: number; runsPerOp: number };
  /** The shared hand-worked and error cases (testkit's data), as core and Node run them. */
  cases: { passed: number; total: number; maxError: number };
  /** Reductions longer than gpu.js's 1000-iteration loop cap, a 2.25M-element image, split work, every entry point. */
  extras: { passed: number; total: number; maxError: number };
  /** Every op with uploaded tensors (`gpu.upload`) against plain tensors and core, plus split work and snapshots. */
  uploads: { passed: number; total: number; maxError: number; resident: boolean };
  /** PyTorch's gradient cases and gradient fuzz cases against core (gradient-suite.ts). */
  gradients: GradientReport;
  failures: string[];
  /** Set when the backend did not start: the suite then counts as failed, never as skipped. */
  unavailable?: string;
}

function revive(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && Array.isArray((value as { f32?: unknown }).f32)) {
    return Float32Array.from((value as { f32: number[] }).f32);
  }
  return value;
}

async function runSuite(mode: GpuMode, fuzzSeed: number, fuzzRuns: number): Promise<SuiteReport> {
  const cases = JSON.parse(await (await fetch('/cases.json')).text(), revive) as SerializedCase[];
  const report: SuiteReport = {
    mode,
    renderer: '',
    software: false,
    conformance: { passed: 0, total: cases.length, maxError: 0 },
    fuzz: { passed: 0, total: fuzzRuns * FUZZ_OPS.length, maxError: 0, seed: fuzzSeed, runsPerOp: fuzzRuns },
    cases: { passed: 0, total: 0, maxError: 0 },
    extras: { passed: 0, total: 0, maxError: 0 },
    uploads: { passed: 0, total: 0, maxError: 0, resident: false },
    gradients: { passed: 0, total: 0, maxError: 0 },
    failures: [],
  };
  let gpu: Gpu;
  try {
    gpu = await createGpu({ mode });
  } catch (error) {
    report.unavailable = error instanceof Error ? error.message : String(error);
    return report;
  }
  report.mode = gpu.mode;
  report.renderer = gpu.renderer;
  report.software = gpu.software;
  for (const entry of cases) {
    await tallyComparison(report.conformance, report.failures, entry.id, () => compareConformanceCase(gpu, entry));
  }
  for (const op of FUZZ_OPS) {
    report.failures.push(...(await fuzzAgainstCore(gpu, op, { seed: fuzzSeed, runs: fuzzRuns }, report.fuzz)));
  }
  await checkSharedCases(gpu, report);
  const random = mulberry32(99);
  const extras: [string, Tensor, Tensor, ConvOptions][] = [
    ['1500 input channels', randomTensor(random, [1, 1500, 3]), randomTensor(random, [2, 1500, 2]), {}],
    ['a 1200-tap kernel', randomTensor(random, [1, 1, 1300]), randomTensor(random, [1, 1, 1200]), {}],
    [
      'a 1500 x 1500 image',
      randomTensor(random, [1, 1, 1500, 1500]),
      randomTensor(random, [2, 1, 3, 3]),
      { padding: 1 },
    ],
  ];
  await checkConvs(gpu, extras, report);
  // Every entry point of core's op table, plain and uploaded, and core's errors for invalid calls.
  report.extras.total += 1;
  try {
    const entryError = { value: 0 };
    const failures = await compareEntryPoints(gpu, entryError);
    report.extras.maxError = Math.max(report.extras.maxError, entryError.value);
    if (failures.length === 0) report.extras.passed += 1;
    else report.failures.push(...failures.map((failure) => `entry points, ${failure}`));
  } catch (error) {
    report.failures.push(`entry points: threw ${messageOf(error)}`);
  }
  await checkUploads(gpu, small250(mode), random, report, fuzzSeed, fuzzRuns);
  const gradientCases = JSON.parse(await (await fetch('/gradients.json')).text(), revive) as GradientCase[];
  await checkGradients(gpu, gradientCases, report.gradients, report.failures, fuzzSeed);
  await checkBadInput(gpu, report);
  await gpu.dispose();
  // Work split under a 250-element limit: later calls read input views at a non-zero byteOffset.
  const small = await createGpu({ mode, maxElementsPerCall: 250 });
  const splits: [string, Tensor, Tensor, ConvOptions][] = [
    [
      'a batch split in runs of 2',
      randomTensor(random, [5, 2, 6, 6]),
      randomTensor(random, [3, 2, 3, 3]),
      { padding: 1, bias: randomTensor(random, [3]) },
    ],
    [
      'a channel split in runs of 2',
      randomTensor(random, [2, 1, 5, 5]),
      randomTensor(random, [7, 1, 3, 3]),
      { padding: 1 },
    ],
  ];
  await checkConvs(small, splits, report);
  await small.dispose();
  return report;
}

/** Named conv calls on `gpu` against core, counted in the report's extras. */
async function checkConvs(
  gpu: Gpu,
  calls: [string, Tensor, Tensor, ConvOptions][],
  report: SuiteReport,
): Promise<void> {
  for (const [name, input, weight, options] of calls) {
    report.extras.total += 1;
    await tallyComparison(report.extras, report.failures, name, async () =>
      compareTensors(await gpu.conv(input, weight, options), core.conv(input, weight, options), GPU_TOLERANCE),
    );
  }
}

/** testkit's hand-worked cases (values) and error cases (full ConvError messages), as core and Node run them. */
async function checkSharedCases(gpu: Gpu, report: SuiteReport): Promise<void> {
  for (const entry of HAND_CASES.filter((handCase) => handCase.backends === 'all')) {
    report.cases.total += 1;
    await tallyComparison(report.cases, report.failures, entry.name, async () =>
      compareTensors(
        await runOp<Promise<Tensor>>(gpu, entry.op, entry.operands, entry.options),
        entry.expected,
        GPU_TOLERANCE,
      ),
    );
  }
  for (const entry of ERROR_CASES.filter((errorCase) => errorCase.backends === 'all')) {
    report.cases.total += 1;
    try {
      await runOp<Promise<Tensor>>(gpu, entry.op, entry.operands, entry.options);
      report.failures.push(`${entry.name}: accepted an invalid call`);
    } catch (error) {
      const ok =
        error instanceof core.ConvError &&
        error.message === entry.message &&
        error.op === (entry.errorOp ?? entry.op) &&
        (entry.arg === undefined || error.arg === entry.arg);
      if (ok) report.cases.passed += 1;
      else report.failures.push(`${entry.name}: rejected with ${messageOf(error)}`);
    }
  }
}

function small250(mode: GpuMode): Promise<Gpu> {
  return createGpu({ mode, maxElementsPerCall: 250 });
}

/**
 * `gpu.upload` on this backend: the data must be resident on the device, every op must give the
 * same results with handles as with tensors and core, a snapshot must ignore later changes to its
 * source, and split work must read an uploaded input's host copy.
 */
async function checkUploads(
  gpu: Gpu,
  smallGpu: Promise<Gpu>,
  random: () => number,
  report: SuiteReport,
  seed: number,
  runs: number,
): Promise<void> {
  const record = (name: string, got: Tensor, want: Tensor) => {
    report.uploads.total += 1;
    const comparison = compareTensors(got, want, GPU_TOLERANCE);
    report.uploads.maxError = Math.max(report.uploads.maxError, comparison.maxAbsError);
    if (comparison.ok) report.uploads.passed += 1;
    else report.failures.push(`upload, ${name}: ${comparison.message}`);
  };
  const small = await smallGpu;
  try {
    const probe = await gpu.upload(randomTensor(random, [4]));
    report.uploads.resident = probe.resident;
    probe.dispose();
    const maxError = { value: 0 };
    const failures = await compareUploads(gpu, seed + 7000, Math.max(1, Math.ceil(runs / 10)), maxError);
    report.uploads.total += 1;
    report.uploads.maxError = Math.max(report.uploads.maxError, maxError.value);
    if (failures.length === 0) report.uploads.passed += 1;
    else report.failures.push(...failures.map((failure) => `upload, ${failure}`));
    const input = randomTensor(random, [1, 2, 5, 5]);
    const weight = randomTensor(random, [3, 2, 3, 3]);
    const want = core.conv(input, weight);
    const [inputHandle, weightHandle] = [await gpu.upload(input), await gpu.upload(weight)];
    weight.data.fill(7);
    record('a snapshot ignores later changes to its source', await gpu.conv(inputHandle, weightHandle), want);
    record('a plain tensor changed in place is read afresh', await gpu.conv(input, weight), core.conv(input, weight));
    const batch = randomTensor(random, [5, 2, 6, 6]);
    const splitWeight = randomTensor(random, [3, 2, 3, 3]);
    const bias = randomTensor(random, [3]);
    record(
      'an uploaded input split over calls',
      await small.conv(await small.upload(batch), await small.upload(splitWeight), {
        padding: 1,
        bias: await small.upload(bias),
      }),
      core.conv(batch, splitWeight, { padding: 1, bias }),
    );
  } catch (error) {
    report.failures.push(`upload: threw ${messageOf(error)}`);
  } finally {
    await small.dispose();
  }
}

/** What `'auto'` settles on in this browser, and what it passed over. */
async function chooseAuto(): Promise<{ mode: string; software: boolean; renderer: string; skipped: string[] }> {
  const gpu = await createGpu({ mode: 'auto' });
  const chosen = {
    mode: gpu.mode,
    software: gpu.software,
    renderer: gpu.renderer,
    skipped: gpu.skipped.map(({ mode, reason }) => `${mode}: ${reason}`),
  };
  await gpu.dispose();
  return chosen;
}

Object.assign(globalThis, { runSuite, chooseAuto });
