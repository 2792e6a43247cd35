import { tensor } from '@convkit/core';
import type { ConvBackend, ExampleResult } from './backend';

// A stride-2 conv takes a 4x4 input to 2x2; the transposed conv with the same weight takes it
// back to 4x4 (outputPadding picks 4 over 3, both give 2x2 going down). The shape comes back;
// the values do not: the result is C^T C x, not x.
export default async function restore(backend: ConvBackend): Promise<ExampleResult> {
  const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [1, 1, 4, 4]);
  const w = tensor([0, 1, 0, 1, 1, 1, 0, 1, 0], [1, 1, 3, 3]); // a plus sign
  const down = await backend.conv(x, w, { stride: 2, padding: 1 });
  const up = await backend.convTranspose(down, w, { stride: 2, padding: 1, outputPadding: 1 });
  return { x, down, up };
}
