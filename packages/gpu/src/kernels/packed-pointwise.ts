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
  type TexelAccess,
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

/** One output channel's accumulators in {@link channelLoop}: its weight texels' name, base index and sums' prefix. */
interface Accumulator {
  weight: string;
  weightBase: string;
  sum: string;
}

/**
 * The GEMM's channel loop: per input channel texel, the 4 input texels (4 columns of one channel
 * each) are fetched once for every accumulator, and each accumulator fetches its weight texel and
 * adds to its 4 column sums (`<sum>0 .. <sum>3`); with `unroll`, every whole texel is unrolled
 * (constant indices, no loop). The partly filled last texel is unrolled apart
 * and reads only its real channels (a lane past them would read the next batch item's plane, or
 * past the texture).
 */
function channelLoop(
  constants: PackedPointwiseConstants,
  tail: number,
  access: TexelAccess,
  accumulators: readonly Accumulator[],
  unroll = false,
): string[] {
  const step = (texel: string, lanes: number, suffix: string): string[] => {
    const plane = `plane${suffix}`;
    const lines = [`const ${plane} = planeBase + ${texel} * 4;`];
    for (let lane = 0; lane < lanes; lane++) {
      lines.push(...access.input(`in${suffix}${lane}`, `${plane} + ${lane}`, 'this.thread.y', 'this.thread.x'));
    }
    for (const { weight, weightBase, sum } of accumulators) {
      const w = `${weight}${suffix}`;
      lines.push(...access.weight(w, `${weightBase} + ${texel}`));
      for (let column = 0; column < COLUMNS_PER_THREAD; column++) {
        const products = Array.from(
          { length: lanes },
          (_, lane) => `${access.lane(`in${suffix}${lane}`, column)} * ${access.lane(w, lane)}`,
        );
        lines.push(`${sum}${column} += ${products.join(' + ')};`);
      }
    }
    return lines;
  };
  const lines: string[] = [];
  if (unroll) {
    for (let texel = 0; texel < constants.fullTexels; texel++)
      lines.push(...step(String(texel), CHANNELS_PER_TEXEL, `T${texel}_`));
  } else if (constants.fullTexels > 0) {
    lines.push(
      'for (let texel = 0; texel < this.constants.fullTexels; texel++) {',
      ...indent(step('texel', CHANNELS_PER_TEXEL, ''), 1),
      '}',
    );
  }
  if (tail > 0) lines.push(...step(String(constants.fullTexels), tail, 'Tail'));
  return lines;
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
  body.push(...channelLoop(constants, tail, access, [{ weight: 'w', weightBase: 'weightBase', sum: 'sum' }]));
  body.push('const shift = bias[outChannel];', 'return [sum0 + shift, sum1 + shift, sum2 + shift, sum3 + shift];');
  return `function packedPointwise(input, weight, bias) {\n${indent(body, 1).join('\n')}\n}`;
}

/**
 * Whole channel texels up to which the grouped kernel unrolls its channel loop (SwiftShader runs
 * W3's 36 unrolled texels about 4% faster than the loop; 40 stays far below MAX_GENERATED_LINES).
 */
export const UNROLLED_TEXELS = 40;

/** Render targets of the grouped kernels: output channels computed by one thread (the pointwise kernel's fewest). */
export const OUTPUT_GROUP = 4;

/**
 * The most render targets the grouped pointwise kernel writes, where the context has that many
 * draw buffers and the output channels come in 8s: 8 output channels per thread share each input
 * fetch (per 4 input channels 4 input and 8 weight fetches for 128 MACs, against 8 for 64).
 */
export const MAX_OUTPUT_GROUP = 8;

/**
 * The grouped pointwise kernel of the GL backends and its merge pass (see
 * {@link PackedPointwisePlan.outputGroups}).
 */
export interface PointwiseOutputGroups {
  /** The root kernel: returns group lane 0 and hands lanes 1-3 to the `lanes<k>` sub-kernels. */
  readonly source: string;
  /** The kernel map's sub-kernels, one per extra render target (each returns its texel as it is). */
  readonly subKernels: readonly string[];
  /** The grouped kernel's extent: `[column blocks, rows, batch * outChannels / 4]`. */
  readonly output: readonly [number, number, number];
  /** Interleaves the 4 render targets into the column layout over every output channel. */
  readonly mergeSource: string;
}

/**
 * The grouped pointwise kernel: one thread computes 4 output columns of `targets` (4 or 8) output
 * channels (that many render targets through a gpu.js kernel map), so each input texel it fetches
 * serves 4 * `targets` MACs: per 4 input channels, 4 input and 4 weight fetches for 64 MACs with
 * 4 targets (the plain kernel: 5 for 16), 4 and 8 for 128 with 8.
 */
function groupedPointwiseSources(
  info: ConvInfo,
  constants: PackedPointwiseConstants,
  targets: number,
): PointwiseOutputGroups {
  const access = texelAccess(false);
  const groups = info.outChannels / targets;
  const tail = info.inChannels - constants.fullTexels * CHANNELS_PER_TEXEL;
  const outputs = Array.from({ length: targets }, (_, output) => output);
  const body: string[] = [
    ...exactDivision('batchItem', 'group', 'this.thread.z', String(groups)),
    `const planeBase = batchItem * ${info.inChannels};`,
    ...outputs.map(
      (output) => `const weightBase${output} = (group * ${targets} + ${output}) * ${constants.channelTexels};`,
    ),
    ...outputs.flatMap((output) => [0, 1, 2, 3].map((column) => `let sum${output}_${column} = 0;`)),
  ];
  const accumulators = outputs.map((output) => ({
    weight: `w${output}_`,
    weightBase: `weightBase${output}`,
    sum: `sum${output}_`,
  }));
  body.push(...channelLoop(constants, tail, access, accumulators, constants.fullTexels <= UNROLLED_TEXELS));
  const texelOf = (output: number) => {
    const shift = `shift${output}`;
    return [0, 1, 2, 3].map((column) => `sum${output}_${column} + ${shift}`).join(', ');
  };
  for (const output of outputs) body.push(`const shift${output} = bias[group * ${targets} + ${output}];`);
  for (const output of outputs.slice(1)) body.push(`lanes${output}([${texelOf(output)}]);`);
  body.push(`return [${texelOf(0)}];`);
  const [blocks, rows] = [constants.paddedW, constants.paddedH];
  return {
    source: `function groupedPointwise(input, weight, bias) {\n${indent(body, 1).join('\n')}\n}`,
    output: [blocks, rows, info.batch * groups],
    ...outputGroupMerge(targets),
  };
}

/**
 * The sub-kernels of a kernel map of `targets` render targets (lanes 1 .. targets - 1; each
 * returns its texel as it is) and the merge pass that interleaves the targets into the column
 * layout: merged plane `targets * group + k` is plane `group` of target `k`. Shared by the
 * grouped pointwise and depthwise kernels.
 */
export function outputGroupMerge(
  targets: number = OUTPUT_GROUP,
): Pick<PointwiseOutputGroups, 'subKernels' | 'mergeSource'> {
  const outputs = Array.from({ length: targets }, (_, output) => output);
  const merge = [
    ...exactDivision('group', 'output', 'this.thread.z', String(targets)),
    'let value = lanes0[group][this.thread.y][this.thread.x];',
    ...outputs
      .slice(1)
      .flatMap((output) => [
        `if (output === ${output}) {`,
        `  value = lanes${output}[group][this.thread.y][this.thread.x];`,
        '}',
      ]),
    'return value;',
  ];
  return {
    subKernels: outputs.slice(1).map((output) => `function lanes${output}(texel) {\n  return texel;\n}`),
    mergeSource: `function mergeGroups(${outputs.map((output) => `lanes${output}`).join(', ')}) {\n${indent(merge, 1).join('\n')}\n}`,
  };
}

/** A pointwise plan; on the GL backends, where output channels come in 4s, also the grouped kernel. */
export interface PackedPointwisePlan extends PackedConvPlan {
  /** The grouped kernel (kernel map: 4 render targets) and its merge pass; absent on WebGPU or where `outChannels % 4 !== 0`. */
  readonly outputGroups?: PointwiseOutputGroups;
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
export function packedPointwisePlan(
  info: ConvInfo,
  {
    flat = false,
    groups = true,
    drawBuffers = OUTPUT_GROUP,
  }: { flat?: boolean; groups?: boolean; drawBuffers?: number } = {},
): PackedPointwisePlan {
  if (!pointwisePlanApplies(info)) throw new Error('packedPointwisePlan: only 1x1, stride 1, unpadded, ungrouped');
  const { inSize } = geometry3d(info);
  const [inD, inH, inW] = inSize;
  const blocks = Math.ceil(inW / COLUMNS_PER_THREAD);
  const rows = inD * inH;
  const channelTexels = Math.ceil(info.inChannels / CHANNELS_PER_TEXEL);
  const groupTargets =
    drawBuffers >= MAX_OUTPUT_GROUP && info.outChannels % MAX_OUTPUT_GROUP === 0 ? MAX_OUTPUT_GROUP : OUTPUT_GROUP;
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
  const plan: PackedPointwisePlan = {
    constants,
    // A texel of the column layout is 4 columns, all of them stored in the flat buffer too.
    packTexelFloats: CHANNELS_PER_TEXEL,
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
    ...(!flat && groups && info.outChannels % OUTPUT_GROUP === 0
      ? { outputGroups: groupedPointwiseSources(info, constants, groupTargets) }
      : {}),
    packWeight: (weight) => packConvWeight(info, plan, weight),
    // Rows of whole blocks are the NC(D)HW output as it is: one copy of the readback's first texels.
    unpack: (raw) =>
      blocks * COLUMNS_PER_THREAD === inW
        ? raw.length === plan.outSize
          ? raw
          : raw.slice(0, plan.outSize)
        : unpackConvOutput(plan, inW, raw),
  };
  return plan;
}
