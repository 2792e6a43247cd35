import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Workload, WorkloadData } from '../workloads.js';

/** A workload made ready on one engine: data uploaded, model built, weights converted. */
export interface PreparedWorkload {
  /** Computes the output from host input to host output; this is what is timed. */
  run(): unknown | Promise<unknown>;
  /** Converts what `run` returned into an NCHW Float32Array, for the check against convkit-core (not timed). */
  read(result: unknown): Float32Array;
  /** Called (untimed) before each timed run, e.g. to make this engine's tfjs backend the active one. */
  activate?(): Promise<void> | void;
  release(): void | Promise<void>;
}

/**
 * One engine of the benchmark. `load` throws (with a reason) when the engine cannot run here; the
 * benchmark then records it as skipped instead of failing. `prepare` throws for a workload the
 * engine does not support, which is recorded the same way.
 */
export interface Engine {
  readonly name: string;
  /** Package and version (or a short description) for the results file. */
  describe(): string;
  load(): Promise<void>;
  prepare(workload: Workload, data: WorkloadData): Promise<PreparedWorkload>;
}

/**
 * Transposes a dense row-major 4-D array: axis `i` of the result is axis `order[i]` of `shape`
 * (numpy's `transpose`). Writes the result in order, reading the input by strides.
 */
export function transpose4d(
  data: Float32Array,
  shape: readonly number[],
  order: readonly [number, number, number, number],
): Float32Array {
  const strides = [shape[1] * shape[2] * shape[3], shape[2] * shape[3], shape[3], 1];
  const [size0, size1, size2, size3] = order.map((axis) => shape[axis]);
  const [step0, step1, step2, step3] = order.map((axis) => strides[axis]);
  const out = new Float32Array(data.length);
  let at = 0;
  for (let i0 = 0; i0 < size0; i0++)
    for (let i1 = 0; i1 < size1; i1++)
      for (let i2 = 0; i2 < size2; i2++)
        for (let i3 = 0; i3 < size3; i3++) out[at++] = data[i0 * step0 + i1 * step1 + i2 * step2 + i3 * step3];
  return out;
}

/** Layout helpers shared by the engines that use NHWC (tfjs); `shape` is the NCHW shape. */
export function nchwToNhwc(data: Float32Array, shape: readonly number[]): Float32Array {
  return transpose4d(data, shape, [0, 2, 3, 1]);
}

export function nhwcToNchw(data: Float32Array, shape: readonly number[]): Float32Array {
  const [batch, channels, height, width] = shape;
  return transpose4d(data, [batch, height, width, channels], [0, 3, 1, 2]);
}

/** The installed version of a dependency, read from its package.json (some packages do not export it). */
export function packageVersion(name: string): string {
  const require = createRequire(import.meta.url);
  let directory = dirname(require.resolve(name));
  while (
    !existsSync(join(directory, 'package.json')) ||
    JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')).name !== name
  ) {
    const parent = dirname(directory);
    if (parent === directory) return 'unknown';
    directory = parent;
  }
  return JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')).version as string;
}
