import { tensor } from '@convkit/core';
import type { ConvBackend } from './backend';

// A stride-2 conv takes a 4x4 input to 2x2; the transposed conv with the
// same weight takes it back to 4x4 (outputPadding picks 4 over 3: both go
// down to 2x2). The shape comes back; the values do not: it is C^T C x.
export default async function restore(backend: ConvBackend) {
  const x = tensor(
    Array.from({ length: 16 }, (_, index) => index + 1),
    [1, 1, 4, 4],
  );
  const plus = tensor([0, 1, 0, 1, 1, 1, 0, 1, 0], [1, 1, 3, 3]);
  const down = await backend.conv(x, plus, { stride: 2, padding: 1 });
  const up = await backend.convTranspose(down, plus, {
    stride: 2,
    padding: 1,
    outputPadding: 1,
  });
  return { x, down, up };
}
