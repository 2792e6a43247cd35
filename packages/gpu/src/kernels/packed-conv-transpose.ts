import { geometry3d, type ConvInfo } from '@convkit/core';
import {
  accumulateOverChannelTexels,
  activeLanes,
  CHANNELS_PER_TEXEL,
  COLUMNS_PER_THREAD,
  columnGrid,
  columnGridPosition,
  columnKernelSource,
  columnProducts,
  columnSlots,
  exactDivision,
  type ColumnGrid,
  liftTo3d,
  indent,
  packKernelSource,
  texelAccess,
  type PackedConvPlan,
  type TexelAccess,
  type PackedInputConstants,
  scatterTaps,
  unpackColumnSlots,
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

/**
 * Lines that bind `baseD/H/W` and `phaseD/H/W` of the output position (`positions`, one expression
 * per axis); a stride of 1 has one phase and needs no division.
 */
function phasePositions(axes: readonly PhaseAxis[], positions: readonly string[]): string[] {
  return axes.flatMap((axis, index) => {
    const name = ['D', 'H', 'W'][index];
    const q = [`const q${name} = ${positions[index]} ${plus(axis.padBegin)};`];
    if (axis.stride === 1) return [...q, `const base${name} = q${name};`, `const phase${name} = 0;`];
    return [...q, ...exactDivision(`base${name}`, `phase${name}`, `q${name}`, String(axis.stride))];
  });
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
  body.push('const ow = this.thread.x;', ...phasePositions(axes, ['od', 'oh', 'ow']));
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
 * The stride-phase kernel of WebGPU: 4 output columns of one output channel per thread, `stride`
 * apart so that they share one phase and with it every weight tap; column `j` reads input column
 * `m0 + j - t` through tap `t`, so the taps of one kernel row read one row window of
 * `tapsPerPhase + 3` texels. gpu.js's WebGPU backend has no vec4 reads: a texel is 4 loads, and
 * the 4-output-channel kernel above loads a weight texel per input lane and tap (80 floats for 64
 * MACs on W7, 4x4 stride 2) where this one loads 56.
 */
function transposeColumnsKernelSource(
  axes: readonly PhaseAxis[],
  outD: number,
  outH: number,
  grid: ColumnGrid,
  info: ConvInfo,
  access: TexelAccess,
): string {
  const c = (name: string) => `this.constants.${name}`;
  const [depth, height, width] = axes;
  const body: string[] = columnGridPosition(grid, String(info.outChannels));
  if (outD > 1) body.push(...exactDivision('od', 'oh', 'rowIndex', String(outH)));
  else body.push('const od = 0;', 'const oh = rowIndex;');
  body.push(...phasePositions(axes, ['od', 'oh', 'column0']));
  if (info.groups > 1) {
    body.push(
      ...exactDivision('group', 'outChannelInGroup', 'outChannel', String(info.outChannelsPerGroup)),
      `const unit = batchItem * ${info.groups} + group;`,
    );
  } else {
    body.push('const unit = batchItem;');
  }
  const lastTap = width.tapsPerPhase - 1;
  body.push(
    `const weightTaps = ${c('weightTaps')};`,
    `const phaseTap = (phaseD * ${height.paddedKernel} + phaseH) * ${width.paddedKernel} + phaseW;`,
    `const weightBase = outChannel * ${c('channelTexels')} * weightTaps + phaseTap;`,
    `const unitZ = unit * ${c('channelTexels')} * ${c('paddedD')} + baseD ${plus(-depth.firstInput)};`,
    `const y0 = baseH ${plus(-height.firstInput)};`,
    // The row window starts at the column the last tap of column 0 reads.
    `const x0 = baseW ${plus(-width.firstInput - lastTap)};`,
  );
  const loop: string[] = [
    `const texelZ = unitZ + channelTexel * ${c('paddedD')};`,
    `const texelWeight = weightBase + channelTexel * weightTaps;`,
  ];
  for (let td = 0; td < depth.tapsPerPhase; td++) {
    for (let th = 0; th < height.tapsPerPhase; th++) {
      const row = `${td}_${th}`;
      loop.push(`const z${row} = texelZ - ${td};`, `const y${row} = y0 - ${th};`);
      loop.push(...access.inputRow(`row${row}`, `z${row}`, `y${row}`, 'x0'));
      for (let offset = 0; offset < lastTap + COLUMNS_PER_THREAD; offset++) {
        loop.push(...access.inputInRow(`in${row}_${offset}`, `row${row}`, `z${row}`, `y${row}`, 'x0', offset));
      }
      for (let tw = 0; tw < width.tapsPerPhase; tw++) {
        const tapOffset =
          (td * depth.stride * height.paddedKernel + th * height.stride) * width.paddedKernel + tw * width.stride;
        loop.push(...access.weight(`w${row}_${tw}`, `texelWeight + ${tapOffset}`));
        loop.push(...columnProducts(info, access, `w${row}_${tw}`, (column) => `in${row}_${column - tw + lastTap}`));
      }
    }
  }
  return columnKernelSource('packedConvTransposeColumns', body, loop);
}

/** The phase axes (depth, height, width) of a transposed convolution whose threads cover `extent` output positions. */
function phaseAxes(info: ConvInfo, extent: readonly number[]): PhaseAxis[] {
  const { kernelSize } = geometry3d(info);
  const stride = liftTo3d(info.stride, 1);
  const padBegin = liftTo3d(info.padBegin, 0);
  return [0, 1, 2].map((axis) => phaseAxis(stride[axis], padBegin[axis], kernelSize[axis], extent[axis]));
}

/** The constants both stride-phase kernels (and their pack kernel) read. */
function phaseConstants(
  info: ConvInfo,
  inSize: readonly number[],
  axes: readonly PhaseAxis[],
): PackedInputConstants & { weightTaps: number } {
  return {
    inD: inSize[0],
    inH: inSize[1],
    inW: inSize[2],
    inChannelsPerGroup: info.inChannelsPerGroup,
    channelTexels: Math.ceil(info.inChannelsPerGroup / CHANNELS_PER_TEXEL),
    paddedD: axes[0].padded,
    paddedH: axes[1].padded,
    paddedW: axes[2].padded,
    padFront: -axes[0].firstInput,
    padTop: -axes[1].firstInput,
    padLeft: -axes[2].firstInput,
    mapOffsetH: 0,
    mapOffsetW: 0,
    weightTaps: axes[0].paddedKernel * axes[1].paddedKernel * axes[2].paddedKernel,
  };
}

/**
 * The WebGPU stride-phase plan ({@link transposeColumnsKernelSource}): the same padded, packed
 * input; the weight as texels `[output channel][channel texel][padded tap]` of 4 input channels;
 * one thread per 4 same-phase columns of one output channel, in a column grid whose step is the
 * stride (so the raw output unpacks as the direct kernel's does).
 */
function packedConvTransposeColumnsPlan(info: ConvInfo): PackedConvPlan {
  const { inSize, outSize, kernelSize, taps } = geometry3d(info);
  const [outD, outH, outW] = outSize;
  const rows = outD * outH;
  const strideW = liftTo3d(info.stride, 1)[2];
  const grid = columnGrid({
    outW,
    rows,
    outChannels: info.outChannels,
    batch: info.batch,
    step: strideW,
    flat: true,
  });
  // The last column slot any thread computes (the spare ones of each phase's last block included).
  const lastSlot = Math.max(
    ...grid.phaseBlocks.map((count, phase) => phase + grid.step * (count * COLUMNS_PER_THREAD - 1)),
  );
  const axes = phaseAxes(info, [outD, outH, lastSlot + 1]);
  const constants = phaseConstants(info, inSize, axes);
  const { channelTexels, weightTaps } = constants;
  const { inChannelsPerGroup, outChannelsPerGroup, groups } = info;
  const paddedKernel = axes.map((axis) => axis.paddedKernel);
  const lanes = activeLanes(info);
  const slots = columnSlots(grid, outW);
  return {
    constants,
    packTexelFloats: lanes,
    packOutput: [axes[2].padded, axes[1].padded, info.batch * groups * channelTexels * axes[0].padded],
    convOutput: grid.flattened
      ? [rows * grid.blocks, info.outChannels, info.batch]
      : [grid.blocks, rows, info.batch * info.outChannels],
    weightTexels: info.outChannels * channelTexels * weightTaps,
    paddedMaps: new Float32Array(1),
    packSource: packKernelSource(true, constants, true, lanes),
    convSource: transposeColumnsKernelSource(
      axes,
      outD,
      outH,
      grid,
      info,
      texelAccess(true, { inputLanes: lanes, weightLanes: lanes }),
    ),
    outSize: info.batch * info.outChannels * rows * outW,
    zeroPadding: true,
    weightLayout: 'transposed-weight-columns',
    // Transposed weight [C_in, C_out/g, k...] -> texels [output channel][channel texel][padded tap] of 4 input channels.
    packWeight: (weight) => {
      const packed = new Float32Array(info.outChannels * channelTexels * weightTaps * CHANNELS_PER_TEXEL);
      for (let group = 0; group < groups; group++) {
        for (let channel = 0; channel < inChannelsPerGroup; channel++) {
          const texel = Math.floor(channel / CHANNELS_PER_TEXEL);
          const lane = channel % CHANNELS_PER_TEXEL;
          for (let outChannel = 0; outChannel < outChannelsPerGroup; outChannel++) {
            const source = ((group * inChannelsPerGroup + channel) * outChannelsPerGroup + outChannel) * taps;
            const texelRow = ((group * outChannelsPerGroup + outChannel) * channelTexels + texel) * weightTaps;
            scatterTaps(packed, weight, { source, texelRow, lane }, kernelSize, paddedKernel);
          }
        }
      }
      return packed;
    },
    unpack: (raw) => unpackColumnSlots(raw, slots, grid.blocks),
  };
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
  if (flat) return packedConvTransposeColumnsPlan(info);
  const { inSize, outSize, kernelSize, taps } = geometry3d(info);
  const axes = phaseAxes(info, outSize);
  const [outD, outH, outW] = outSize;
  const { channelTexels, weightTaps } = phaseConstants(info, inSize, axes);
  const outBlocksPerUnit = Math.ceil(info.outChannelsPerGroup / CHANNELS_PER_TEXEL);
  const constants: PackedInputConstants = { ...phaseConstants(info, inSize, axes), outBlocksPerUnit };
  const blocks = info.groups * outBlocksPerUnit;
  const rows = outD * outH;
  const { inChannelsPerGroup, outChannelsPerGroup, groups } = info;
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
      const paddedKernel = axes.map((axis) => axis.paddedKernel);
      for (let group = 0; group < groups; group++) {
        for (let channel = 0; channel < inChannelsPerGroup; channel++) {
          for (let outChannel = 0; outChannel < outChannelsPerGroup; outChannel++) {
            const block = group * outBlocksPerUnit + Math.floor(outChannel / CHANNELS_PER_TEXEL);
            const lane = outChannel % CHANNELS_PER_TEXEL;
            const source = ((group * inChannelsPerGroup + channel) * outChannelsPerGroup + outChannel) * taps;
            const texelRow = (block * channelTexels * CHANNELS_PER_TEXEL + channel) * weightTaps;
            scatterTaps(packed, weight, { source, texelRow, lane }, kernelSize, paddedKernel);
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
