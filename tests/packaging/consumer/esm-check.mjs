// Run by the packaging test inside a fresh npm project: the published packages as a user meets them.
import { conv2d, convTranspose1d, tensor, ConvError } from '@convkit/core';
import { convOutputShape } from '@convkit/core/shape';

const failures = [];
function expectEqual(name, got, want) {
  const same = got.length === want.length && got.every((value, index) => value === want[index]);
  if (!same) failures.push(`${name}: got [${got}], want [${want}]`);
}

// 2x2 box sum over a 3x3 grid of 1..9: each output is the sum of a 2x2 window.
const grid = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]);
const box = tensor([1, 1, 1, 1], [1, 1, 2, 2]);
expectEqual('core conv2d', Array.from(conv2d(grid, box).data), [12, 16, 24, 28]);
// Stride-2 transposed conv stamps [1, 2, 3] at 0 and 10*[1, 2, 3] at 2.
const stamped = convTranspose1d(tensor([1, 10], [1, 1, 2]), tensor([1, 2, 3], [1, 1, 3]), { stride: 2 });
expectEqual('core convTranspose1d', Array.from(stamped.data), [1, 2, 13, 20, 30]);
expectEqual(
  'core/shape convOutputShape',
  convOutputShape([1, 3, 224, 224], [64, 3, 7, 7], { stride: 2, padding: 3 }),
  [1, 64, 112, 112],
);
try {
  conv2d(grid, tensor([1, 1], [1, 2, 1, 1]));
  failures.push('core: a channel mismatch did not throw');
} catch (error) {
  if (!(error instanceof ConvError)) failures.push(`core: expected a ConvError, got ${error}`);
}

if (failures.length > 0) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log('esm consumer ok');
