import { ConvError, describeValue } from '../errors.js';
import { checkExtent } from './normalize.js';

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
  const op = 'effectiveKernelSize';
  const extent = (kernel: unknown, step: unknown, axis: number): number =>
    checkExtent(op, `dilation[${axis}]`, step, 1) * (checkExtent(op, `kernelSize[${axis}]`, kernel, 1) - 1) + 1;
  const stepAt = (axis: number): unknown => (Array.isArray(dilation) ? dilation[axis] : dilation);
  if (Array.isArray(dilation) && Array.isArray(kernelSize) && dilation.length !== kernelSize.length) {
    throw new ConvError(
      op,
      'dilation',
      `dilation must have one entry per kernel dim (${kernelSize.length}), got ${describeValue(dilation)}`,
    );
  }
  if (typeof kernelSize === 'number') return extent(kernelSize, stepAt(0), 0);
  if (!Array.isArray(kernelSize)) {
    throw new ConvError(op, 'kernelSize', `kernelSize must be a number or an array, got ${describeValue(kernelSize)}`);
  }
  return kernelSize.map((kernel, axis) => extent(kernel, stepAt(axis), axis));
}
