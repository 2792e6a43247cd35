import { afterAll, beforeAll, expect } from 'vitest';
import type { Tensor } from '@convkit/core';
import { type CreateGpuOptions, createGpu, type Gpu, type GpuMode } from '@convkit/gpu';
import { GPU_TOLERANCE, compareTensors, mulberry32, randomTensor } from '@convkit/testkit';

/**
 * The backends CI reaches in Node. `headlessgl` needs the native `gl` addon and an X display:
 * the package's `test` script runs vitest under `xvfb-run`, so here it must work (a suite that
 * silently skipped it would prove nothing).
 */
export const NODE_MODES: readonly GpuMode[] = ['cpu', 'webasm', 'headlessgl'];

/** Largest error seen per backend and suite, printed at the end for the closing note. */
export function reportLine(suite: string, mode: string, passed: number, total: number, maxError: number): string {
  return `[@convkit/gpu] ${suite} on ${mode}: ${passed}/${total} passed, largest |error| ${maxError.toExponential(3)}`;
}

/**
 * The Gpu of the describe block this is called in: created on `mode` before its tests (and checked
 * to be that backend, not a fallback), disposed after them. The tests read it through the returned
 * function, as it exists only once `beforeAll` has run.
 */
export function describeGpu(mode: GpuMode, options: Omit<CreateGpuOptions, 'mode'> = {}): () => Gpu {
  let gpu: Gpu | undefined;
  beforeAll(async () => {
    gpu = await createGpu({ ...options, mode });
    expect(gpu.mode).toBe(mode);
  });
  afterAll(() => gpu?.dispose());
  return () => {
    if (gpu === undefined) throw new Error(`describeGpu: the ${mode} Gpu is read before its beforeAll ran`);
    return gpu;
  };
}

/** Random tensors of the given shapes from one seeded generator, so a suite's data is the same every run. */
export function seededTensors(seed: number): (shape: number[]) => Tensor {
  const random = mulberry32(seed);
  return (shape) => randomTensor(random, shape);
}

/** Asserts a gpu result matches the reference within the gpu tolerance, with the comparison's message. */
export function expectClose(got: Tensor, want: Tensor): void {
  const comparison = compareTensors(got, want, GPU_TOLERANCE);
  expect(comparison.ok, comparison.message).toBe(true);
}
