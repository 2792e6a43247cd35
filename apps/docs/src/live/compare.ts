import type { Tensor } from '@convkit/core';
import type { ExampleResult } from '../../examples/backend';

/**
 * The largest absolute difference between two example results, tensor by tensor; `Infinity` when
 * their names or shapes differ, so a mismatch can never read as agreement.
 */
export function maxDifference(cpu: ExampleResult, gpu: ExampleResult): number {
  const names = Object.keys(cpu);
  if (names.join() !== Object.keys(gpu).join()) return Infinity;
  let largest = 0;
  for (const name of names) {
    const [want, got]: Tensor[] = [cpu[name], gpu[name]];
    if (want.shape.join() !== got.shape.join()) return Infinity;
    for (let index = 0; index < want.data.length; index++) {
      const difference = Math.abs(want.data[index] - got.data[index]);
      if (!(difference <= largest)) largest = Number.isNaN(difference) ? Infinity : difference;
    }
  }
  return largest;
}
