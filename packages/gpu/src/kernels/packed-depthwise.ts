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
