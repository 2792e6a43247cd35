import { geometry3d, type ConvInfo } from '@convkit/core';
import {
  CHANNELS_PER_TEXEL,
  COLUMNS_PER_THREAD,
  exactDivision,
  indent,
  liftTo3d,
  packedConvPlan,
  packKernelSource,
  rowWindow,
  unpackConvOutput,
  type PackedConvPlan,
  type PackedInputConstants,
} from './packed-conv.js';
import { OUTPUT_GROUP, outputGroupMerge, type PointwiseOutputGroups } from './packed-pointwise.js';

/**
 * True where a convolution can take the grouped depthwise kernel of the GL backends: one input and
 * one output channel per group (depthwise, multiplier 1), channels in 4s, not transposed.
 *
 * @example
 * ```ts
 * import { convInfo } from '@convkit/core';
 * import { depthwisePlanApplies } from './packed-depthwise.js';
 * depthwisePlanApplies(convInfo([1, 8, 5, 5], [8, 1, 3, 3], { groups: 8 })); // true
 * depthwisePlanApplies(convInfo([1, 6, 5, 5], [6, 1, 3, 3], { groups: 6 })); // false: 6 channels are not 4s
 * ```
 */
export function depthwisePlanApplies(info: ConvInfo): boolean {
  return (
    !info.transposed &&
    info.groups > 1 &&
    info.inChannelsPerGroup === 1 &&
    info.outChannelsPerGroup === 1 &&
    info.inChannels % CHANNELS_PER_TEXEL === 0
  );
}

/**
 * The grouped depthwise kernel: one thread computes 4 output columns of 4 channels (one texel of
 * the channel-packed input: 4 channels of one pixel), so every lane of each fetch is used: per
 * row of taps, the row window's texels and one weight texel per tap (4 channels of that tap) for
 * 16 MACs per tap. Lanes 1-3 go to the kernel map's render targets, as the grouped pointwise
 * kernel's do.
 */
function groupedDepthwiseSource(
  info: ConvInfo,
  kernelSize: readonly number[],
  outD: number,
  outH: number,
  paddedD: number,
  taps: number,
): string {
  const [strideD, strideH, strideW] = liftTo3d(info.stride, 1);
  const [dilationD, dilationH, dilationW] = liftTo3d(info.dilation, 1);
  const [kernelD, kernelH, kernelW] = kernelSize;
  const groups = info.inChannels / OUTPUT_GROUP;
  const outputs = [0, 1, 2, 3];
  const body: string[] = [];
  if (outD > 1) body.push(...exactDivision('od', 'oh', 'this.thread.y', String(outH)));
  else body.push('const od = 0;', 'const oh = this.thread.y;');
  body.push(
    ...exactDivision('batchItem', 'group', 'this.thread.z', String(groups)),
    `const baseZ = this.thread.z * ${paddedD} + od * ${strideD};`,
    `const baseY = oh * ${strideH};`,
    `const baseX = this.thread.x * ${COLUMNS_PER_THREAD * strideW};`,
    `const weightBase = group * ${taps};`,
    ...outputs.flatMap((output) => [0, 1, 2, 3].map((column) => `let sum${output}_${column} = 0;`)),
  );
  const sortedOffsets = rowWindow(kernelW, strideW, dilationW);
  for (let td = 0; td < kernelD; td++) {
    for (let th = 0; th < kernelH; th++) {
      const row = `${td}_${th}`;
      body.push(`const z${row} = baseZ + ${td * dilationD};`, `const y${row} = baseY + ${th * dilationH};`);
      for (const offset of sortedOffsets) {
        body.push(`const in${row}_${offset} = input[z${row}][y${row}][baseX + ${offset}];`);
      }
      for (let tw = 0; tw < kernelW; tw++) {
        const w = `w${row}_${tw}`;
        body.push(`const ${w} = weight[weightBase + ${(td * kernelH + th) * kernelW + tw}];`);
        for (const output of outputs) {
          for (let column = 0; column < COLUMNS_PER_THREAD; column++) {
            const texel = `in${row}_${column * strideW + tw * dilationW}`;
            body.push(`sum${output}_${column} += ${texel}[${output}] * ${w}[${output}];`);
          }
        }
      }
    }
  }
  const texelOf = (output: number) =>
    [0, 1, 2, 3].map((column) => `sum${output}_${column} + shift${output}`).join(', ');
  for (const output of outputs) body.push(`const shift${output} = bias[group * 4 + ${output}];`);
  for (const output of outputs.slice(1)) body.push(`lanes${output}([${texelOf(output)}]);`);
  body.push(`return [${texelOf(0)}];`);
  return `function groupedDepthwise(input, weight, bias) {\n${indent(body, 1).join('\n')}\n}`;
}

/**
 * Plans a depthwise convolution (see {@link depthwisePlanApplies}) for the GL backends' grouped
 * kernel. The input is packed 4 channels per texel (`[paddedW, paddedH, batch * C/4 * paddedD]`:
 * the general plan's layout with 4 channels per group), every padding mode applied by the pack
 * pass as there; the weight is packed 4 channels per texel per tap; the kernel map's 4 targets are
 * merged into the column layout of the general kernel, so the output is read back, kept and fed to
 * a pointwise kernel exactly as the general plan's.
 *
 * @example
 * ```ts
 * import { convInfo } from '@convkit/core';
 * import { packedDepthwisePlan } from './packed-depthwise.js';
 * const plan = packedDepthwisePlan(convInfo([2, 8, 6, 6], [8, 1, 3, 3], { groups: 8, padding: 1 }));
 * plan.packOutput; // [10, 8, 4]: 2 batch items of 2 texels of 4 channels
 * plan.convOutput; // [2, 6, 16]
 * plan.outputGroups.output; // [2, 6, 4]
 * ```
 */
export function packedDepthwisePlan(info: ConvInfo): PackedConvPlan & { readonly outputGroups: PointwiseOutputGroups } {
  if (!depthwisePlanApplies(info)) throw new Error('packedDepthwisePlan: only depthwise with channels in 4s');
  const general = packedConvPlan(info);
  const { outSize, kernelSize, taps } = geometry3d(info);
  const [outD, outH] = outSize;
  const { paddedD, paddedH, paddedW } = general.constants;
  const constants: PackedInputConstants = {
    ...general.constants,
    inChannelsPerGroup: CHANNELS_PER_TEXEL,
    channelTexels: 1,
  };
  const groups = info.inChannels / OUTPUT_GROUP;
  const [blocks, rows] = general.convOutput;
  const source = groupedDepthwiseSource(info, kernelSize, outD, outH, paddedD, taps);
  const plan = {
    ...general,
    constants,
    packOutput: [paddedW, paddedH, info.batch * groups * paddedD] as const,
    weightTexels: groups * taps,
    packSource: packKernelSource(info.paddingMode === 'zeros', constants, false),
    convSource: source,
    weightLayout: 'depthwise-texels',
    outputGroups: { source, output: [blocks, rows, info.batch * groups] as const, ...outputGroupMerge() },
    // Texel (group, tap) holds tap `tap` of channels 4 * group .. 4 * group + 3.
    packWeight: (weight: Float32Array) => {
      const packed = new Float32Array(groups * taps * CHANNELS_PER_TEXEL);
      for (let channel = 0; channel < info.inChannels; channel++) {
        const group = Math.floor(channel / CHANNELS_PER_TEXEL);
        const lane = channel % CHANNELS_PER_TEXEL;
        for (let tap = 0; tap < taps; tap++) {
          packed[(group * taps + tap) * CHANNELS_PER_TEXEL + lane] = weight[channel * taps + tap];
        }
      }
      return packed;
    },
    unpack: general.unpack,
  };
  return plan;
}

/**
 * True where a convolution can take WebGPU's flat depthwise kernel: one input and one output
 * channel per group (depthwise, multiplier 1), not transposed; any channel count, as the flat
 * layout holds one channel per texel there.
 *
 * @example
 * ```ts
 * import { convInfo } from '@convkit/core';
 * import { flatDepthwiseApplies } from './packed-depthwise.js';
 * flatDepthwiseApplies(convInfo([1, 6, 5, 5], [6, 1, 3, 3], { groups: 6 })); // true
 * flatDepthwiseApplies(convInfo([1, 6, 5, 5], [12, 1, 3, 3], { groups: 6 })); // false: multiplier 2
 * ```
 */
export function flatDepthwiseApplies(info: ConvInfo): boolean {
  return !info.transposed && info.groups > 1 && info.inChannelsPerGroup === 1 && info.outChannelsPerGroup === 1;
}

/**
 * WebGPU's depthwise kernel over the flat padded input (one float per texel: one channel of one
 * pixel): one thread computes 4 output columns of one row of one channel. Each row of taps starts
 * at a constant offset from the thread's first texel (the padded extents are literals), its row
 * window is read once for all 4 columns, and the weight is read 1 float per tap; batch 1 needs no
 * index decoding at all (the thread's z is its channel).
 */
function flatDepthwiseSource(
  info: ConvInfo,
  kernelSize: readonly number[],
  outD: number,
  outH: number,
  constants: PackedInputConstants,
  taps: number,
): string {
  const [strideD, strideH, strideW] = liftTo3d(info.stride, 1);
  const [dilationD, dilationH, dilationW] = liftTo3d(info.dilation, 1);
  const [kernelD, kernelH, kernelW] = kernelSize;
  const { paddedD, paddedH, paddedW } = constants;
  const body: string[] = [];
  if (outD > 1) body.push(...exactDivision('od', 'oh', 'this.thread.y', String(outH)));
  else body.push('const od = 0;', 'const oh = this.thread.y;');
  if (info.batch > 1) body.push(...exactDivision('batchItem', 'channel', 'this.thread.z', String(info.inChannels)));
  else body.push('const channel = this.thread.z;');
  body.push(
    `const rowBase = ((this.thread.z * ${paddedD} + od * ${strideD}) * ${paddedH} + oh * ${strideH}) * ${paddedW} + this.thread.x * ${COLUMNS_PER_THREAD * strideW};`,
    `const weightBase = channel * ${taps};`,
    ...[0, 1, 2, 3].map((column) => `let sum${column} = 0;`),
  );
  const window = rowWindow(kernelW, strideW, dilationW);
  for (let td = 0; td < kernelD; td++) {
    for (let th = 0; th < kernelH; th++) {
      const row = `${td}_${th}`;
      body.push(`const row${row} = rowBase + ${(td * dilationD * paddedH + th * dilationH) * paddedW};`);
      for (const offset of window) body.push(`const in${row}_${offset} = input[row${row} + ${offset}];`);
      for (let tw = 0; tw < kernelW; tw++) {
        const w = `w${row}_${tw}`;
        body.push(`const ${w} = weight[weightBase + ${(td * kernelH + th) * kernelW + tw}];`);
        for (let column = 0; column < COLUMNS_PER_THREAD; column++) {
          body.push(`sum${column} += in${row}_${column * strideW + tw * dilationW} * ${w};`);
        }
      }
    }
  }
  body.push('const shift = bias[channel];', 'return [sum0 + shift, sum1 + shift, sum2 + shift, sum3 + shift];');
  return `function flatDepthwise(input, weight, bias) {\n${indent(body, 1).join('\n')}\n}`;
}

/** A flat depthwise plan: its input may also be padded on the host ({@link FlatDepthwisePlan.packOnHost}). */
export interface FlatDepthwisePlan extends PackedConvPlan {
  /**
   * The padded flat input of a host NC(D)HW input, built on the host: one upload and no pack
   * pass (a host copy of the rows costs less than a dispatch over every padded texel).
   */
  packOnHost(input: Float32Array): Float32Array;
}

/**
 * Plans a depthwise convolution (see {@link flatDepthwiseApplies}) for WebGPU: the general flat
 * plan's padded input (one float per texel, every padding mode applied by its pack pass, or on the
 * host for a host input), the weight as it is (1 float per tap: `[channel][tap]`), and the
 * general plan's output layout (4 columns per thread), so the output is unpacked as there.
 *
 * @example
 * ```ts
 * import { convInfo } from '@convkit/core';
 * import { flatDepthwisePlan } from './packed-depthwise.js';
 * const plan = flatDepthwisePlan(convInfo([1, 2, 3, 3], [2, 1, 3, 3], { groups: 2, padding: 1 }));
 * plan.packOutput; // [6, 5, 2]: 4 columns per thread read 6 padded columns
 * plan.weightTexels; // 5: 18 taps, 4 floats per texel
 * plan.packOnHost(new Float32Array(18).fill(1))[6 + 1]; // 1: padded row 1, column 1 is input (0, 0)
 * ```
 */
export function flatDepthwisePlan(info: ConvInfo): FlatDepthwisePlan {
  if (!flatDepthwiseApplies(info)) throw new Error('flatDepthwisePlan: only depthwise (multiplier 1)');
  // The kernel below indexes the plain grid `[blocks, rows, batch * channels]`, 4 adjacent columns a thread.
  const general = packedConvPlan(info, { flat: true, plainGrid: true });
  const { outSize, kernelSize, taps } = geometry3d(info);
  const [outD, outH, outW] = outSize;
  const { constants, paddedMaps } = general;
  const [paddedW, paddedH, paddedPlanes] = general.packOutput;
  const [blocks] = general.convOutput;
  const { inD, inH, inW, paddedD } = constants;
  const mapD = paddedMaps.subarray(0, paddedD);
  const mapH = paddedMaps.subarray(paddedD, paddedD + paddedH);
  // The padded row as runs of consecutive input columns: [padded start, input start, length].
  const runs: [number, number, number][] = [];
  for (let column = 0; column < paddedW; column++) {
    const source = paddedMaps[paddedD + paddedH + column];
    if (source < 0) continue;
    const last = runs[runs.length - 1];
    if (last && last[0] + last[2] === column && last[1] + last[2] === source) last[2]++;
    else runs.push([column, source, 1]);
  }
  const plan: FlatDepthwisePlan = {
    ...general,
    weightTexels: Math.ceil((info.inChannels * taps) / CHANNELS_PER_TEXEL),
    weightLayout: 'depthwise-taps',
    convSource: flatDepthwiseSource(info, kernelSize, outD, outH, constants, taps),
    packWeight: (weight) => weight,
    packOnHost: (input) => {
      const padded = new Float32Array(paddedW * paddedH * paddedPlanes);
      const units = info.batch * info.inChannels;
      for (let unit = 0; unit < units; unit++) {
        for (let pd = 0; pd < paddedD; pd++) {
          const id = mapD[pd];
          if (id < 0) continue;
          for (let ph = 0; ph < paddedH; ph++) {
            const ih = mapH[ph];
            if (ih < 0) continue;
            const source = ((unit * inD + id) * inH + ih) * inW;
            const target = ((unit * paddedD + pd) * paddedH + ph) * paddedW;
            for (const [start, first, length] of runs) {
              padded.set(input.subarray(source + first, source + first + length), target + start);
            }
          }
        }
      }
      return padded;
    },
    // Rows of whole blocks are the NC(D)HW output as it is (the readback is a fresh copy).
    unpack: (raw) => (blocks * COLUMNS_PER_THREAD === outW ? raw : unpackConvOutput(plan, outW, raw)),
  };
  return plan;
}
