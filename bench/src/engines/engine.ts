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

/** Layout helpers shared by the engines that use NHWC (tfjs). */
export function nchwToNhwc(data: Float32Array, shape: readonly number[]): Float32Array {
  const [batch, channels, height, width] = shape;
  const out = new Float32Array(data.length);
  for (let n = 0; n < batch; n++)
    for (let c = 0; c < channels; c++)
      for (let h = 0; h < height; h++)
        for (let w = 0; w < width; w++)
          out[((n * height + h) * width + w) * channels + c] = data[((n * channels + c) * height + h) * width + w];
  return out;
}

export function nhwcToNchw(data: Float32Array, shape: readonly number[]): Float32Array {
  const [batch, channels, height, width] = shape;
  const out = new Float32Array(data.length);
  for (let n = 0; n < batch; n++)
    for (let c = 0; c < channels; c++)
      for (let h = 0; h < height; h++)
        for (let w = 0; w < width; w++)
          out[((n * channels + c) * height + h) * width + w] = data[((n * height + h) * width + w) * channels + c];
  return out;
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
