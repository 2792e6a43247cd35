import { geometry3d, type ConvInfo } from '@convkit/core';
import {
  accumulateOverChannelTexels,
  activeLanes,
  CHANNELS_PER_TEXEL,
  exactDivision,
  liftTo3d,
  indent,
  packKernelSource,
  texelAccess,
  type PackedConvPlan,
  type TexelAccess,
  type PackedInputConstants,
} from './packed-conv.js';

/**
 * One axis of a transposed convolution seen by stride phase. Output `o` gathers input
 * `i = (o + padBegin - k) / stride` through tap `k` only where the division is exact, so the taps
 * of `o` are `k = phase + t * stride` with `phase = (o + padBegin) mod stride`: `tapsPerPhase`
 * of them, reading inputs `base - t` with `base = floor((o + padBegin) / stride)`. The weight is
 * padded with zero taps to `tapsPerPhase * stride`, and the input is padded so that every
 * `base - t` lands inside it: no tap is wasted and no read is bounds-checked.
 */
interface PhaseAxis {
  readonly stride: number;
  readonly padBegin: number;
  readonly kernel: number;
  readonly tapsPerPhase: number;
  /** `tapsPerPhase * stride`: the weight's tap extent after zero padding. */
  readonly paddedKernel: number;
  /** The lowest input index any output reads (may be negative: a zero of the padding). */
  readonly firstInput: number;
  /** Padded input extent: from `firstInput` to the highest input index any output reads. */
  readonly padded: number;
}

function phaseAxis(stride: number, padBegin: number, kernel: number, outSize: number): PhaseAxis {
  const tapsPerPhase = Math.ceil(kernel / stride);
  const firstInput = Math.floor(padBegin / stride) - (tapsPerPhase - 1);
  const lastInput = Math.floor((outSize - 1 + padBegin) / stride);
  return {
    stride,
    padBegin,
    kernel,
    tapsPerPhase,
    paddedKernel: tapsPerPhase * stride,
    firstInput,
    padded: lastInput - firstInput + 1,
  };
}

/** `+ n` or `- n` in generated source, so that no negative literal meets a binary operator. */
function plus(value: number): string {
  return value < 0 ? `- ${-value}` : `+ ${value}`;
}

/** The generated source of the stride-phase kernel: one output position, 4 output channels per thread. */
function transposeKernelSource(
  axes: readonly PhaseAxis[],
  outD: number,
  outH: number,
  info: ConvInfo,
  access: TexelAccess,
): string {
  const c = (name: string) => `this.constants.${name}`;
  const [depth, height, width] = axes;
  const body: string[] = [];
  if (outD > 1) body.push(...exactDivision('od', 'oh', 'this.thread.y', String(outH)));
  else body.push('const od = 0;', 'const oh = this.thread.y;');
  body.push('const ow = this.thread.x;');
  // base and phase per axis; a stride of 1 has one phase and needs no division.
  const names = ['D', 'H', 'W'];
  const positions = ['od', 'oh', 'ow'];
  axes.forEach((axis, index) => {
    const name = names[index];
    body.push(`const q${name} = ${positions[index]} ${plus(axis.padBegin)};`);
    if (axis.stride === 1) body.push(`const base${name} = q${name};`, `const phase${name} = 0;`);
    else body.push(...exactDivision(`base${name}`, `phase${name}`, `q${name}`, String(axis.stride)));
  });
  const blocks = c('outBlocksPerUnit');
  const blocksPerItem = `${c('outBlocksPerUnit')} * ${info.groups}`;
  body.push(
    ...exactDivision('batchItem', 'block', 'this.thread.z', `(${blocksPerItem})`),
    ...exactDivision('unit', 'blockInUnit', 'this.thread.z', blocks),
    `const weightTaps = ${c('weightTaps')};`,
    `const phaseTap = (phaseD * ${height.paddedKernel} + phaseH) * ${width.paddedKernel} + phaseW;`,
    `const weightBlock = block * ${c('channelTexels')} * 4 * weightTaps + phaseTap;`,
    `const unitZ = unit * ${c('channelTexels')} * ${c('paddedD')} + baseD ${plus(-depth.firstInput)};`,
    `const y0 = baseH ${plus(-height.firstInput)};`,
    `const x0 = baseW ${plus(-width.firstInput)};`,
  );
  const loop: string[] = [
    `const texelZ = unitZ + channelTexel * ${c('paddedD')};`,
    `const texelWeight = weightBlock + channelTexel * 4 * weightTaps;`,
  ];
  for (let td = 0; td < depth.tapsPerPhase; td++) {
    for (let th = 0; th < height.tapsPerPhase; th++) {
      for (let tw = 0; tw < width.tapsPerPhase; tw++) {
        const tap = `${td}_${th}_${tw}`;
        const tapOffset =
          (td * depth.stride * height.paddedKernel + th * height.stride) * width.paddedKernel + tw * width.stride;
        loop.push(...access.input(`in${tap}`, `texelZ - ${td}`, `y0 - ${th}`, `x0 - ${tw}`));
        for (let lane = 0; lane < activeLanes(info); lane++) {
          const w = `w${tap}_${lane}`;
          loop.push(...access.weight(w, `texelWeight + ${lane} * weightTaps + ${tapOffset}`));
          for (let out = 0; out < CHANNELS_PER_TEXEL; out++) {
            loop.push(`sum${out} += ${access.lane(`in${tap}`, lane)} * ${access.lane(w, out)};`);
          }
        }
      }
    }
  }
  const shifts = [0, 1, 2, 3].map((lane) => `bias[biasBase + ${lane}]`);
  const { head, tail } = accumulateOverChannelTexels(loop, shifts);
  body.push(...head, 'const biasBase = block * 4;', ...tail);
  return `function packedConvTranspose(input, weight, bias) {\n${indent(body, 1).join('\n')}\n}`;
}

/**
 * True where the stride-phase plan applies: a transposed convolution without dilation (a dilated
 * one keeps the general kernel, whose tap maps already skip the stride gaps).
 *
 * @example
 * ```ts
 * import { convTransposeInfo } from '@convkit/core';
 * import { phasePlanApplies } from './packed-conv-transpose.js';
 * phasePlanApplies(convTransposeInfo([1, 2, 4], [2, 1, 3], { stride: 2 })); // true
 * ```
 */
export function phasePlanApplies(info: ConvInfo): boolean {
  return info.transposed && info.paddingMode === 'zeros' && info.dilation.every((dilation) => dilation === 1);
}

/**
 * Plans a transposed convolution in the packed layout, by stride phase: the input is padded and
 * packed 4 channels per texel (the same pack kernel as the direct convolution), the weight is
 * packed as texels of 4 output channels with zero taps up to a whole number of phases, and one
 * thread computes 4 output channels at one position, visiting only the taps on its stride phase.
 *
 * @example
 * ```ts
 * import { convTransposeInfo } from '@convkit/core';
 * import { packedConvTransposePlan } from './packed-conv-transpose.js';
 * const plan = packedConvTransposePlan(convTransposeInfo([1, 8, 4, 4], [8, 4, 4, 4], { stride: 2, padding: 1 }));
 * plan.convOutput; // [8, 8, 1]: one thread per output position and 4 output channels
 * ```
 */
export function packedConvTransposePlan(info: ConvInfo, { flat = false }: { flat?: boolean } = {}): PackedConvPlan {
  if (!phasePlanApplies(info)) throw new Error('packedConvTransposePlan: needs a transposed conv without dilation');
  const { inSize, outSize, kernelSize, taps } = geometry3d(info);
  const stride = liftTo3d(info.stride, 1);
  const padBegin = liftTo3d(info.padBegin, 0);
  const axes = [0, 1, 2].map((axis) => phaseAxis(stride[axis], padBegin[axis], kernelSize[axis], outSize[axis]));
  const [outD, outH, outW] = outSize;
  const channelTexels = Math.ceil(info.inChannelsPerGroup / CHANNELS_PER_TEXEL);
  const outBlocksPerUnit = Math.ceil(info.outChannelsPerGroup / CHANNELS_PER_TEXEL);
  const weightTaps = axes[0].paddedKernel * axes[1].paddedKernel * axes[2].paddedKernel;
  const constants: PackedInputConstants = {
    inD: inSize[0],
    inH: inSize[1],
    inW: inSize[2],
    inChannelsPerGroup: info.inChannelsPerGroup,
    channelTexels,
    paddedD: axes[0].padded,
    paddedH: axes[1].padded,
    paddedW: axes[2].padded,
    padFront: -axes[0].firstInput,
    padTop: -axes[1].firstInput,
    padLeft: -axes[2].firstInput,
    mapOffsetH: 0,
    mapOffsetW: 0,
    outBlocksPerUnit,
    weightTaps,
  };
  const blocks = info.groups * outBlocksPerUnit;
  const rows = outD * outH;
  const { inChannelsPerGroup, outChannelsPerGroup, groups } = info;
  const [kernelD, kernelH, kernelW] = kernelSize;
  const packTexelFloats = flat ? activeLanes(info) : CHANNELS_PER_TEXEL;
  return {
    constants,
    packTexelFloats,
    packOutput: [axes[2].padded, axes[1].padded, info.batch * groups * channelTexels * axes[0].padded],
    convOutput: [outW, rows, info.batch * blocks],
    weightTexels: blocks * channelTexels * CHANNELS_PER_TEXEL * weightTaps,
    paddedMaps: new Float32Array(1),
    packSource: packKernelSource(true, constants, flat, packTexelFloats),
    convSource: transposeKernelSource(axes, outD, outH, info, texelAccess(flat, { inputLanes: activeLanes(info) })),
    outSize: info.batch * info.outChannels * rows * outW,
    zeroPadding: true,
    weightLayout: 'transposed-weight',
    // Transposed weight [C_in, C_out/g, k...] -> texels [block][input channel][padded tap] of 4 output channels.
    packWeight: (weight) => {
      const packed = new Float32Array(blocks * channelTexels * CHANNELS_PER_TEXEL * weightTaps * CHANNELS_PER_TEXEL);
      const [, paddedH, paddedW] = axes.map((axis) => axis.paddedKernel);
      for (let group = 0; group < groups; group++) {
        for (let channel = 0; channel < inChannelsPerGroup; channel++) {
          for (let outChannel = 0; outChannel < outChannelsPerGroup; outChannel++) {
            const block = group * outBlocksPerUnit + Math.floor(outChannel / CHANNELS_PER_TEXEL);
            const lane = outChannel % CHANNELS_PER_TEXEL;
            const source = ((group * inChannelsPerGroup + channel) * outChannelsPerGroup + outChannel) * taps;
            const texelRow = (block * channelTexels * CHANNELS_PER_TEXEL + channel) * weightTaps;
            for (let kd = 0; kd < kernelD; kd++) {
              for (let kh = 0; kh < kernelH; kh++) {
                for (let kw = 0; kw < kernelW; kw++) {
                  const texel = texelRow + (kd * paddedH + kh) * paddedW + kw;
                  packed[texel * CHANNELS_PER_TEXEL + lane] = weight[source + (kd * kernelH + kh) * kernelW + kw];
                }
              }
            }
          }
        }
      }
      return packed;
    },
    packBias: (bias) => {
      const packed = new Float32Array(blocks * CHANNELS_PER_TEXEL);
      if (!bias) return packed;
      for (let group = 0; group < groups; group++) {
        const target = group * outBlocksPerUnit * CHANNELS_PER_TEXEL;
        packed.set(bias.subarray(group * outChannelsPerGroup, (group + 1) * outChannelsPerGroup), target);
      }
      return packed;
    },
    unpack: (raw) => {
      const output = new Float32Array(info.batch * info.outChannels * rows * outW);
      const planeSize = rows * outW;
      for (let item = 0; item < info.batch; item++) {
        for (let outChannel = 0; outChannel < info.outChannels; outChannel++) {
          const group = Math.floor(outChannel / outChannelsPerGroup);
          const inGroup = outChannel - group * outChannelsPerGroup;
          const z = item * blocks + group * outBlocksPerUnit + Math.floor(inGroup / CHANNELS_PER_TEXEL);
          const lane = inGroup % CHANNELS_PER_TEXEL;
          const target = (item * info.outChannels + outChannel) * planeSize;
          const source = z * planeSize * CHANNELS_PER_TEXEL + lane;
          for (let position = 0; position < planeSize; position++) {
            output[target + position] = raw[source + position * CHANNELS_PER_TEXEL];
          }
        }
      }
      return output;
    },
  };
}
