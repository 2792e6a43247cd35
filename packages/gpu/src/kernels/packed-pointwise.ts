import { geometry3d, type ConvInfo } from '@convkit/core';
import {
  CHANNELS_PER_TEXEL,
  COLUMNS_PER_THREAD,
  exactDivision,
  indent,
  packConvWeight,
  texelAccess,
  unpackConvOutput,
  type PackedConvPlan,
  type PackedInputConstants,
} from './packed-conv.js';

/**
 * True where a convolution is a pointwise GEMM over channels: a 1x1 (x1) kernel, stride 1, no
 * padding, one group (dilation does not matter for one tap). Those take {@link packedPointwisePlan}.
 *
 * @example
 * ```ts
 * import { convInfo } from '@convkit/core';
 * import { pointwisePlanApplies } from './packed-pointwise.js';
 * pointwisePlanApplies(convInfo([1, 8, 5, 5], [4, 8, 1, 1], {})); // true
 * pointwisePlanApplies(convInfo([1, 8, 5, 5], [4, 8, 1, 1], { padding: 1 })); // false
 * ```
 */
export function pointwisePlanApplies(info: ConvInfo): boolean {
  const ones = (values: readonly number[]) => values.every((value) => value === 1);
  const zeros = (values: readonly number[]) => values.every((value) => value === 0);
  return (
    !info.transposed &&
    info.groups === 1 &&
    ones(info.kernelSize) &&
    ones(info.stride) &&
    zeros(info.padBegin) &&
    zeros(info.padEnd)
  );
}

/** The constants of the pointwise kernels: the packed input's, plus the GEMM's sizes. */
export interface PackedPointwiseConstants extends PackedInputConstants {
  outChannels: number;
  /** Input channel texels whose 4 lanes all hold a channel; the partly filled last one is unrolled apart. */
  fullTexels: number;
}

/**
 * The pack kernel of the column layout: one texel holds 4 consecutive columns of one row of one
 * channel plane (zero past the row's end), the layout every packed convolution kernel writes, so
 * a pointwise convolution reads a previous stage's output as it is. Flat (WebGPU): one float per
 * thread, in the same order.
 */
function columnPackSource(constants: PackedPointwiseConstants, flat: boolean): string {
  const inW = constants.inW;
  const rowStart = `(this.thread.z * ${constants.paddedH} + this.thread.y) * ${inW}`;
  const body: string[] = [`const rowStart = ${rowStart};`];
  const whole = inW % COLUMNS_PER_THREAD === 0;
  const lanes = flat ? [null] : [0, 1, 2, 3];
  for (const lane of lanes) {
    const name = `value${lane ?? ''}`;
    const column = lane === null ? 'this.thread.x' : `this.thread.x * ${COLUMNS_PER_THREAD} + ${lane}`;
    if (whole) {
      body.push(`const ${name} = input[rowStart + ${column}];`);
    } else {
      body.push(`let ${name} = 0;`, `if (${column} < ${inW}) {`, `  ${name} = input[rowStart + ${column}];`, '}');
    }
  }
  body.push(flat ? 'return value;' : 'return [value0, value1, value2, value3];');
  return `function packColumns(input) {\n${indent(body, 1).join('\n')}\n}`;
}

/**
 * The pointwise kernel, a GEMM over packed channels: one thread computes 4 output columns of one
 * row of one output channel; per 4 input channels it fetches 4 input texels (4 columns of one
 * channel each) and one weight texel (4 input channels of its output channel), 16 MACs for 5
 * fetches, with no index decoding but the one (batch item, output channel) split.
 */
function pointwiseKernelSource(info: ConvInfo, constants: PackedPointwiseConstants, flat: boolean): string {
  const access = texelAccess(flat);
  const tail = info.inChannels - constants.fullTexels * CHANNELS_PER_TEXEL;
  const body: string[] = [
    ...exactDivision('batchItem', 'outChannel', 'this.thread.z', 'this.constants.outChannels'),
    `const planeBase = batchItem * ${info.inChannels};`,
    `const weightBase = outChannel * ${constants.channelTexels};`,
    ...[0, 1, 2, 3].map((column) => `let sum${column} = 0;`),
  ];
  /** Lines for one weight texel and the `lanes` input channels it covers. */
  const step = (texel: string, lanes: number, suffix: string): string[] => {
    const [w, plane] = [`w${suffix}`, `plane${suffix}`];
    const lines = [...access.weight(w, `weightBase + ${texel}`), `const ${plane} = planeBase + ${texel} * 4;`];
    for (let lane = 0; lane < lanes; lane++) {
      lines.push(...access.input(`in${suffix}${lane}`, `${plane} + ${lane}`, 'this.thread.y', 'this.thread.x'));
    }
    for (let column = 0; column < COLUMNS_PER_THREAD; column++) {
      const products = Array.from(
        { length: lanes },
        (_, lane) => `${access.lane(`in${suffix}${lane}`, column)} * ${access.lane(w, lane)}`,
      );
      lines.push(`sum${column} += ${products.join(' + ')};`);
    }
    return lines;
  };
  if (constants.fullTexels > 0) {
    body.push(
      'for (let texel = 0; texel < this.constants.fullTexels; texel++) {',
      ...indent(step('texel', CHANNELS_PER_TEXEL, ''), 1),
      '}',
    );
  }
  // The partly filled last texel: only its real channels are read (a lane past them would read
  // the next batch item's plane, or past the texture).
  if (tail > 0) body.push(...step(String(constants.fullTexels), tail, 'Tail'));
  body.push('const shift = bias[outChannel];', 'return [sum0 + shift, sum1 + shift, sum2 + shift, sum3 + shift];');
  return `function packedPointwise(input, weight, bias) {\n${indent(body, 1).join('\n')}\n}`;
}

/**
 * Plans a pointwise convolution (see {@link pointwisePlanApplies}) in the column layout: the input
 * is packed 4 columns per texel (`[column blocks, D * H, batch * inChannels]`), which needs no
 * padding and is exactly the layout a packed convolution writes, so a separable convolution's
 * depthwise output feeds it on the device; the output is the same layout over output channels.
 * 1-D and 3-D fold their leading axes into rows.
 *
 * @example
 * ```ts
 * import { convInfo } from '@convkit/core';
 * import { packedPointwisePlan } from './packed-pointwise.js';
 * const plan = packedPointwisePlan(convInfo([2, 6, 3, 9], [5, 6, 1, 1], {}));
 * plan.packOutput; // [3, 3, 12]: 9 columns are 3 texels, 2 batch items of 6 channels are 12 planes
 * plan.convOutput; // [3, 3, 10]
 * plan.constants.fullTexels; // 1: channels 4 and 5 are the partly filled second texel
 * ```
 */
export function packedPointwisePlan(info: ConvInfo, { flat = false }: { flat?: boolean } = {}): PackedConvPlan {
  if (!pointwisePlanApplies(info)) throw new Error('packedPointwisePlan: only 1x1, stride 1, unpadded, ungrouped');
  const { inSize } = geometry3d(info);
  const [inD, inH, inW] = inSize;
  const blocks = Math.ceil(inW / COLUMNS_PER_THREAD);
  const rows = inD * inH;
  const channelTexels = Math.ceil(info.inChannels / CHANNELS_PER_TEXEL);
  const constants: PackedPointwiseConstants = {
    // The GEMM: K = inChannels (whole texels, then the tail), N = outChannels.
    fullTexels: Math.floor(info.inChannels / CHANNELS_PER_TEXEL),
    channelTexels,
    inChannelsPerGroup: info.inChannels,
    outChannels: info.outChannels,
    inD,
    inH,
    inW,
    // The column layout as the packed kernels' padded extents (read by the flat texel access).
    paddedD: 1,
    paddedH: rows,
    paddedW: blocks,
    padFront: 0,
    padTop: 0,
    padLeft: 0,
    mapOffsetH: 0,
    mapOffsetW: 0,
  };
  const plan: PackedConvPlan = {
    constants,
    packOutput: [blocks, rows, info.batch * info.inChannels],
    convOutput: [blocks, rows, info.batch * info.outChannels],
    weightTexels: info.outChannels * channelTexels,
    paddedMaps: new Float32Array(0),
    packSource: columnPackSource(constants, flat),
    convSource: pointwiseKernelSource(info, constants, flat),
    outSize: info.batch * info.outChannels * rows * inW,
    zeroPadding: true,
    weightLayout: 'conv-weight',
    readsColumns: true,
    packWeight: (weight) => packConvWeight(info, plan, weight),
    unpack: (raw) => unpackConvOutput(plan, inW, raw),
  };
  return plan;
}
