import type { IKernelFunctionThis } from 'gpu.js';

/**
 * A tiny kernel that proves a backend really computes: `2 * a[x] + x`. Run once per backend
 * before it is offered, so that `'auto'` only settles on a backend that returns right numbers.
 *
 * @example
 * ```ts
 * import { GPU } from 'gpu.js';
 * import { probeKernel, PROBE_INPUT, PROBE_EXPECTED } from './probe.js';
 * const kernel = new GPU({ mode: 'cpu' }).createKernel(probeKernel, { output: [PROBE_INPUT.length] });
 * Array.from(kernel(PROBE_INPUT) as Float32Array).every((value, index) => value === PROBE_EXPECTED[index]); // true
 * ```
 */
export function probeKernel(this: IKernelFunctionThis, values: number[]): number {
  return 2 * values[this.thread.x] + this.thread.x;
}

/** The probe's input: values whose doubling is exact in float32, so any backend must match exactly (see {@link probeKernel}). */
export const PROBE_INPUT = new Float32Array([1.5, -2, 3.25, 1e-3, 7, -0.5, 100, 0.125]);
/** What {@link probeKernel} must return for {@link PROBE_INPUT} (see its example). */
export const PROBE_EXPECTED = PROBE_INPUT.map((value, index) => 2 * value + index);
