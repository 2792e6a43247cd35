/**
 * The span of input covered by one kernel application: `dilation * (kernel - 1) + 1`. The one
 * place this is computed (dilation spreads the `kernel` taps `dilation` apart, so the last tap
 * lands `dilation * (kernel - 1)` after the first); every record carries it as `effectiveKernelSize`.
 *
 * @example
 * ```ts
 * import { effectiveKernelSize } from '@convkit/core/shape';
 * effectiveKernelSize(3, 2); // 5
 * effectiveKernelSize([3, 3], [1, 4]); // [3, 9]
 * ```
 */
export function effectiveKernelSize(kernelSize: number, dilation?: number): number;
export function effectiveKernelSize(kernelSize: readonly number[], dilation?: number | readonly number[]): number[];
export function effectiveKernelSize(
  kernelSize: number | readonly number[],
  dilation: number | readonly number[] = 1,
): number | number[] {
  const extent = (kernel: number, step: number): number => step * (kernel - 1) + 1;
  if (typeof kernelSize === 'number') return extent(kernelSize, typeof dilation === 'number' ? dilation : dilation[0]);
  return kernelSize.map((kernel, axis) => extent(kernel, typeof dilation === 'number' ? dilation : dilation[axis]));
}
