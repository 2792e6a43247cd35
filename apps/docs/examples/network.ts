import { tensor } from '@convkit/core';
import type { ConvBackend, DeviceTensor } from './backend';

// A small network of 4 layers kept on the device: a 3x3 conv, a depthwise 3x3,
// a pointwise 1x1 and a stride-2 transposed conv. The input is uploaded once,
// each layer reads the previous one's result where it lies, and only the last
// result is read back. Change a weight or add a layer and press Run.
export default async function network(backend: ConvBackend) {
  const input = tensor(
    Array.from({ length: 16 }, (_, i) => (i % 5) - 2),
    [1, 1, 4, 4],
  );
  const stem = tensor([1, 0, -1, 2, 0, -2, 1, 0, -1, 1, 2, 1, 0, 0, 0, -1, -2, -1], [2, 1, 3, 3]); // Sobel x, y
  const blur = tensor(
    Array.from({ length: 18 }, () => 1 / 9),
    [2, 1, 3, 3],
  ); // a 3x3 box blur per channel
  const mix = tensor([1, 1, 1, -1, 0.5, 0.5], [3, 2, 1, 1]); // 2 channels -> 3
  const up = tensor(
    Array.from({ length: 12 }, (_, i) => (i % 4) + 1),
    [3, 1, 2, 2],
  ); // 3 channels -> 1, twice the size

  const layers = [
    (x: DeviceTensor) => backend.resident.conv(x, stem, { padding: 1 }),
    (x: DeviceTensor) => backend.resident.depthwiseConv(x, blur, { padding: 1 }),
    (x: DeviceTensor) => backend.resident.pointwiseConv(x, mix),
    (x: DeviceTensor) => backend.resident.convTranspose(x, up, { stride: 2 }),
  ];

  let uploads = 0;
  let readbacks = 0;
  let hidden = await backend.upload(input);
  uploads += 1;
  for (const layer of layers) {
    const next = await layer(hidden);
    hidden.dispose(); // free each intermediate once the next layer has read it
    hidden = next;
  }
  const output = await hidden.read();
  readbacks += 1;
  hidden.dispose();

  // Row 0: this chain. Row 1: the same layers as plain ops, each uploading its
  // input and reading its result back.
  const transfers = tensor([uploads, readbacks, layers.length, layers.length], [2, 2]);
  return { input, output, transfers };
}
