// Type-checked against the shipped .d.ts files only (the consumer has no access to sources).
import { conv, convTranspose, tensor, ConvError, type ConvOptions, type Tensor } from '@convkit/core';
import { convInfo, type ConvInfo, type Padding } from '@convkit/core/shape';

const padding: Padding = [
  [1, 0],
  [0, 1],
];
const options: ConvOptions = { stride: [1, 2], dilation: 1, groups: 1, padding, paddingMode: 'reflect' };
const input: Tensor = tensor(new Float32Array(16), [1, 1, 4, 4]);
const weight: Tensor = tensor(new Float32Array(9), [1, 1, 3, 3]);
const output: Tensor = conv(input, weight, options);
const info: ConvInfo = convInfo(input.shape, weight.shape, options);
const back: Tensor = convTranspose(output, weight, { stride: [1, 2], outputSize: [4, 4] });
const width: number = info.outSize[1] + back.shape.length;
const error: ConvError = new ConvError('conv', 'input', 'message');
const op: string = error.op;
// @ts-expect-error paddingMode is not an option of a transposed convolution.
convTranspose(output, weight, { paddingMode: 'reflect' });
export { width, op };
