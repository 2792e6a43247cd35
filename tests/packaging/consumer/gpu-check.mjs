// The published @convkit/gpu in Node on gpu.js's JavaScript (cpu) and WebAssembly (webasm)
// backends; also run after a minifying bundle, which the kernels must survive (the webasm
// backend compiles the kernel from its parsed source, as the GL and WebGPU backends do).
import { tensor } from '@convkit/core';
import { createGpu } from '@convkit/gpu';

const failures = [];
function expectEqual(name, got, want) {
  const same = got.length === want.length && got.every((value, index) => Math.abs(value - want[index]) <= 1e-4);
  if (!same) failures.push(`${name}: got [${got}], want [${want}]`);
}

for (const mode of ['cpu', 'webasm']) {
  const gpu = await createGpu({ mode });
  if (gpu.mode !== mode) failures.push(`gpu.mode is ${gpu.mode}, not ${mode}`);
  // 2x2 box sum over a 3x3 grid of 1..9, and a stride-2 transposed stamp of [1, 2, 3].
  const grid = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]);
  expectEqual(
    `${mode} conv`,
    Array.from((await gpu.conv(grid, tensor([1, 1, 1, 1], [1, 1, 2, 2]))).data),
    [12, 16, 24, 28],
  );
  const stamped = await gpu.convTranspose(tensor([1, 10], [1, 1, 2]), tensor([1, 2, 3], [1, 1, 3]), { stride: 2 });
  expectEqual(`${mode} convTranspose`, Array.from(stamped.data), [1, 2, 13, 20, 30]);
  let rejected = false;
  await gpu.conv(grid, tensor([1, 1], [1, 2, 1, 1])).catch((error) => {
    rejected = error.name === 'ConvError';
  });
  if (!rejected) failures.push(`${mode}: a channel mismatch did not reject with a ConvError`);
  await gpu.dispose();
}

if (failures.length > 0) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log('gpu consumer ok');
