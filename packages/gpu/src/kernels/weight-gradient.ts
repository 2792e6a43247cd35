import type { IKernelFunctionThis } from 'gpu.js';

/** The constants of {@link weightGradientKernel}, all read from one shape record. */
export interface WeightGradientConstants {
  [name: string]: number;
  /** Batch items one call reads. */
  batch: number;
  inChannels: number;
  outChannels: number;
  inPlane: number;
  outPlane: number;
  inH: number;
  inW: number;
  outD: number;
  outH: number;
  outW: number;
  kernelD: number;
  kernelH: number;
  kernelW: number;
  /** `kernelH * kernelW`. */
  kernelPlane: number;
  taps: number;
  /** The weight's first dim per group (conv: output channels, transposed: input channels) and its second dim. */
  rowsPerGroup: number;
  columnsPerGroup: number;
  /** 1 for a transposed convolution (weight `[C_in, C_out/g, k]`), else 0. */
  transposed: number;
  mapOffsetH: number;
  mapOffsetW: number;
}

/**
 * The weight gradient of any convolution: each thread computes one weight element, the
 * correlation of the upstream gradient with the input values that weight's tap read, summed over
 * the batch items of the call and every output position. It walks the forward op's tap maps, so
 * padding modes (a padded read lands on the element it copies), stride, dilation and the
 * transposed gather need no case of their own. Loop bounds come from `this.constants`; quotients
 * are corrected by their remainders as in `convolutionKernel`, whose rules this kernel follows.
 *
 * @example
 * ```ts
 * import { GPU } from 'gpu.js';
 * import { convInfo } from '@convkit/core';
 * import { weightGradientGeometry } from '../gradient-runner.js';
 * import { weightGradientKernel } from './weight-gradient.js';
 * const { constants, tapMaps } = weightGradientGeometry(convInfo([1, 1, 4], [1, 1, 2], {}), 1);
 * const kernel = new GPU({ mode: 'cpu' }).createKernel(weightGradientKernel, { output: [2], constants });
 * kernel(new Float32Array([1, 2, 3, 4]), new Float32Array([1, 1, 1]), tapMaps); // Float32Array [6, 9]
 * ```
 */
export function weightGradientKernel(
  this: IKernelFunctionThis<WeightGradientConstants>,
  input: number[],
  gradOutput: number[],
  tapMaps: number[],
): number {
  let pair = Math.floor(this.thread.x / this.constants.taps);
  let tap = this.thread.x - pair * this.constants.taps;
  for (let pass = 0; pass < 2; pass++) {
    if (tap < 0) {
      pair = pair - 1;
      tap = tap + this.constants.taps;
    }
    if (tap >= this.constants.taps) {
      pair = pair + 1;
      tap = tap - this.constants.taps;
    }
  }
  let row = Math.floor(pair / this.constants.columnsPerGroup);
  let column = pair - row * this.constants.columnsPerGroup;
  for (let pass = 0; pass < 2; pass++) {
    if (column < 0) {
      row = row - 1;
      column = column + this.constants.columnsPerGroup;
    }
    if (column >= this.constants.columnsPerGroup) {
      row = row + 1;
      column = column - this.constants.columnsPerGroup;
    }
  }
  let group = Math.floor(row / this.constants.rowsPerGroup);
  let rowInGroup = row - group * this.constants.rowsPerGroup;
  for (let pass = 0; pass < 2; pass++) {
    if (rowInGroup < 0) {
      group = group - 1;
      rowInGroup = rowInGroup + this.constants.rowsPerGroup;
    }
    if (rowInGroup >= this.constants.rowsPerGroup) {
      group = group + 1;
      rowInGroup = rowInGroup - this.constants.rowsPerGroup;
    }
  }
  let td = Math.floor(tap / this.constants.kernelPlane);
  let planeTap = tap - td * this.constants.kernelPlane;
  for (let pass = 0; pass < 2; pass++) {
    if (planeTap < 0) {
      td = td - 1;
      planeTap = planeTap + this.constants.kernelPlane;
    }
    if (planeTap >= this.constants.kernelPlane) {
      td = td + 1;
      planeTap = planeTap - this.constants.kernelPlane;
    }
  }
  let th = Math.floor(planeTap / this.constants.kernelW);
  let tw = planeTap - th * this.constants.kernelW;
  for (let pass = 0; pass < 2; pass++) {
    if (tw < 0) {
      th = th - 1;
      tw = tw + this.constants.kernelW;
    }
    if (tw >= this.constants.kernelW) {
      th = th + 1;
      tw = tw - this.constants.kernelW;
    }
  }
  let outChannel = row;
  let inChannel = group * this.constants.columnsPerGroup + column;
  if (this.constants.transposed > 0) {
    outChannel = group * this.constants.columnsPerGroup + column;
    inChannel = row;
  }
  let sum = 0;
  for (let n = 0; n < this.constants.batch; n++) {
    const inputBase = (n * this.constants.inChannels + inChannel) * this.constants.inPlane;
    const gradBase = (n * this.constants.outChannels + outChannel) * this.constants.outPlane;
    for (let od = 0; od < this.constants.outD; od++) {
      const id = tapMaps[od * this.constants.kernelD + td];
      if (id >= 0) {
        for (let oh = 0; oh < this.constants.outH; oh++) {
          const ih = tapMaps[this.constants.mapOffsetH + oh * this.constants.kernelH + th];
          if (ih >= 0) {
            const inputRow = inputBase + (id * this.constants.inH + ih) * this.constants.inW;
            const gradRow = gradBase + (od * this.constants.outH + oh) * this.constants.outW;
            for (let ow = 0; ow < this.constants.outW; ow++) {
              const iw = tapMaps[this.constants.mapOffsetW + ow * this.constants.kernelW + tw];
              if (iw >= 0) {
                sum += gradOutput[gradRow + ow] * input[inputRow + iw];
              }
            }
          }
        }
      }
    }
  }
  return sum;
}

/** The constants of {@link biasGradientKernel}. */
export interface BiasGradientConstants {
  [name: string]: number;
  batch: number;
  outChannels: number;
  outPlane: number;
}

/**
 * The bias gradient: each thread sums one output channel of the upstream gradient over the batch
 * items of the call and every position.
 *
 * @example
 * ```ts
 * import { GPU } from 'gpu.js';
 * import { biasGradientKernel } from './weight-gradient.js';
 * const constants = { batch: 1, outChannels: 2, outPlane: 2 };
 * const kernel = new GPU({ mode: 'cpu' }).createKernel(biasGradientKernel, { output: [2], constants });
 * kernel(new Float32Array([1, 2, 3, 4])); // Float32Array [3, 7]
 * ```
 */
export function biasGradientKernel(this: IKernelFunctionThis<BiasGradientConstants>, gradOutput: number[]): number {
  let sum = 0;
  for (let n = 0; n < this.constants.batch; n++) {
    const base = (n * this.constants.outChannels + this.thread.x) * this.constants.outPlane;
    for (let position = 0; position < this.constants.outPlane; position++) {
      sum += gradOutput[base + position];
    }
  }
  return sum;
}
