// A CommonJS consumer: require() of the published core package.
const { conv1d, tensor } = require('@convkit/core');
const { receptiveField } = require('@convkit/core/shape');

const out = Array.from(conv1d(tensor([1, 2, 3, 4], [1, 1, 4]), tensor([1, 1], [1, 1, 2])).data);
const sizes = receptiveField([1, 2, 4].map((dilation) => ({ kernelSize: 3, dilation }))).map((step) => step.size);
if (out.join() !== '3,5,7' || sizes.join() !== '3,7,15') {
  console.error(`cjs consumer: got ${out} and ${sizes}`);
  process.exit(1);
}
console.log('cjs consumer ok');
