import { geometry3d, type ConvInfo } from '@convkit/core';

/**
 * Channels per texel of the packed layout: one RGBA32F texel holds 4 consecutive channels of one
 * pixel (the "NC4HW4" layout of tfjs and ONNX Runtime), so one vec4 fetch feeds 4 MACs.
 */
export const CHANNELS_PER_TEXEL = 4;
/** Output columns one thread of the packed convolution computes (its `Array(4)` result). */
export const COLUMNS_PER_THREAD = 4;

/**
 * Everything about one convolution in the packed layout, derived once from the shape record: the
 * padded and packed input's extents, the thread grid, and the generated kernel sources. A pure
 * function of the record, cached by its key.
 */
export interface PackedConvPlan {
  /** Constants of both kernels (gpu.js bakes them into the shader as literals). */
  readonly constants: PackedInputConstants;
  /** `[width, height, depth]` of the padded packed input: `depth` folds (unit, channel texel, padded depth). */
  readonly packOutput: readonly [number, number, number];
  /**
   * The convolution kernel's thread grid, one thread per 4 output columns of one row of one plane:
   * `[column blocks, outH * outD, batch * outChannels]`, or on WebGPU (see {@link ColumnGrid})
   * `[outH * outD * column blocks, outChannels, batch]`. The raw output is in the same order in both.
   */
  readonly convOutput: readonly [number, number, number];
  /** Texels of the packed weight: `outChannels * channelTexels * taps`. */
  readonly weightTexels: number;
  /**
   * Per padded position of each axis (depth, height, width, concatenated), the input index it
   * holds, or -1 for a zero; read by the pack kernel for padding modes other than zeros.
   */
  readonly paddedMaps: Float32Array;
  /** Source of the pack kernel: NC(D)HW input -> padded, packed texels. */
  readonly packSource: string;
  /** Source of the convolution kernel over packed texels, every tap unrolled. */
  readonly convSource: string;
  /** Output elements (the unpacked NC(D)HW result). */
  readonly outSize: number;
  /**
   * Floats per texel of the flat (WebGPU) packed input: 4, or the lanes that can be nonzero where a
   * group has fewer channels (depthwise: 1). The GL textures always hold 4.
   */
  readonly packTexelFloats: number;
  /** True where padding is zeros: the pack kernel then takes no padded maps. */
  readonly zeroPadding: boolean;
  /** Names the packed weight layout; an uploaded weight caches one device copy per layout. */
  readonly weightLayout: string;
  /**
   * True where the convolution kernel reads the column layout (4 columns of one row per texel,
   * what a non-transposed packed kernel writes), so a previous stage's output on the device feeds
   * it without a pack pass (the pointwise plan, packed-pointwise.ts).
   */
  readonly readsColumns?: boolean;
  /** The weight in the order the convolution kernel reads its texels. */
  packWeight(weight: Float32Array): Float32Array;
  /** The bias in the order the kernel reads it, where that is not the bias itself (absent: the bias as it is). */
  packBias?(bias: Float32Array | null): Float32Array;
  /** The kernel's raw RGBA output as the NC(D)HW result. */
  unpack(raw: Float32Array): Float32Array;
}

/** The constants the pack kernel reads (and the convolution kernels after it); every one comes from the shape record. */
export interface PackedInputConstants {
  [name: string]: number;
  inD: number;
  inH: number;
  inW: number;
  inChannelsPerGroup: number;
  /** Texels per pixel of one group's input channels: `ceil(inChannelsPerGroup / 4)`. */
  channelTexels: number;
  paddedD: number;
  paddedH: number;
  paddedW: number;
  padFront: number;
  padTop: number;
  padLeft: number;
  mapOffsetH: number;
  mapOffsetW: number;
}

/** The constants of the packed (non-transposed) convolution kernels. */
export interface PackedConvConstants extends PackedInputConstants {
  outH: number;
  outChannels: number;
  outChannelsPerGroup: number;
  taps: number;
}

/**
 * The padded extent one axis needs: every position `o * stride + k * dilation` a thread reads,
 * for `outPositions` positions (rounded up to whole thread blocks on the width).
 */
function paddedExtent(outPositions: number, stride: number, dilation: number, kernel: number): number {
  return (outPositions - 1) * stride + (kernel - 1) * dilation + 1;
}

/**
 * Division of an integer-valued float by a constant, with the remainder correction: WGSL and GLSL
 * only promise division to 2.5 ulp (SwiftShader's WebGPU computes floor(486 / 243) = 1), so the
 * quotient is corrected by its remainder, twice. Every value stays an integer below 2^24, where
 * float32 products and differences are exact.
 */
export function exactDivision(quotient: string, remainder: string, dividend: string, divisor: string): string[] {
  const lines = [
    `let ${quotient} = Math.floor(${dividend} / ${divisor});`,
    `let ${remainder} = ${dividend} - ${quotient} * ${divisor};`,
  ];
  for (let pass = 0; pass < 2; pass++) {
    lines.push(
      `if (${remainder} < 0) {`,
      `  ${quotient} = ${quotient} - 1;`,
      `  ${remainder} = ${remainder} + ${divisor};`,
      '}',
      `if (${remainder} >= ${divisor}) {`,
      `  ${quotient} = ${quotient} + 1;`,
      `  ${remainder} = ${remainder} - ${divisor};`,
      '}',
    );
  }
  return lines;
}

/**
 * A per-axis parameter lifted to 3-D (depth, height, width), as core's `geometry3d` lifts sizes:
 * leading axes a lower rank lacks get `fill` (stride 1, dilation 1, padding 0).
 *
 * @example
 * ```ts
 * import { liftTo3d } from './packed-conv.js';
 * liftTo3d([2], 1); // [1, 1, 2]
 * ```
 */
export function liftTo3d(values: readonly number[], fill: number): [number, number, number] {
  return [...Array.from({ length: 3 - values.length }, () => fill), ...values] as [number, number, number];
}

/**
 * The accumulators of a kernel's 4 results, the loop over channel texels (bounded by a constant)
 * around `loop`, and the return of the 4 sums plus `shifts` (the bias of each).
 */
export function accumulateOverChannelTexels(
  loop: readonly string[],
  shifts: readonly string[],
): {
  head: string[];
  tail: string[];
} {
  return {
    head: [0, 1, 2, 3].map((lane) => `let sum${lane} = 0;`),
    tail: [
      'for (let channelTexel = 0; channelTexel < this.constants.channelTexels; channelTexel++) {',
      ...indent(loop, 1),
      '}',
      `return [${shifts.map((shift, lane) => `sum${lane} + ${shift}`).join(', ')}];`,
    ],
  };
}

/**
 * The input-channel lanes of a texel that can be nonzero: all 4, unless a group has fewer than 4
 * channels (depthwise: 1), whose one texel is zero past them; kernels then skip the zero lanes.
 *
 * @example
 * ```ts
 * import { convInfo } from '@convkit/core';
 * import { activeLanes } from './packed-conv.js';
 * activeLanes(convInfo([1, 6, 5], [6, 1, 3], { groups: 6 })); // 1
 * ```
 */
export function activeLanes(info: ConvInfo): number {
  return Math.min(CHANNELS_PER_TEXEL, info.inChannelsPerGroup);
}

export function indent(lines: readonly string[], depth: number): string[] {
  return lines.map((line) => `${'  '.repeat(depth)}${line}`);
}

/**
 * How generated source fetches one texel. GL backends read an `ArrayTexture(4)` with one vec4
 * fetch (`input[z][y][x]`, lanes `t[0..3]`); gpu.js's WebGPU backend has no vec4 arguments, so
 * there the same layout is a flat buffer and a texel is 4 consecutive floats (lanes `t_0..t_3`).
 */
export interface TexelAccess {
  /** Lines that bind `name` to the input texel at (z, y, x) of the padded packed input. */
  input(name: string, z: string, y: string, x: string): string[];
  /**
   * Lines that bind `row` to where the input row (z, y) starts at column x, so that the texels of
   * a row window ({@link TexelAccess.inputInRow}) cost no index arithmetic beyond one addition.
   */
  inputRow(row: string, z: string, y: string, x: string): string[];
  /** Lines that bind `name` to the texel `offset` columns past a row bound by {@link TexelAccess.inputRow}. */
  inputInRow(name: string, row: string, z: string, y: string, x: string, offset: number): string[];
  /** Lines that bind `name` to texel `index` of the packed weight. */
  weight(name: string, index: string): string[];
  /** The expression for one lane of a bound texel. */
  lane(name: string, lane: number): string;
}

/**
 * The texel access of the GL backends (`flat: false`) or of WebGPU (`flat: true`).
 *
 * @example
 * ```ts
 * import { texelAccess } from './packed-conv.js';
 * texelAccess(false).lane('texel', 2); // 'texel[2]'
 * texelAccess(true).lane('texel', 2); // 'texel_2'
 * ```
 */
export function texelAccess(
  flat: boolean,
  {
    inputLanes = CHANNELS_PER_TEXEL,
    weightLanes = CHANNELS_PER_TEXEL,
  }: { inputLanes?: number; weightLanes?: number } = {},
): TexelAccess {
  const lanes = (count: number) => Array.from({ length: count }, (_, lane) => lane);
  if (!flat) {
    return {
      input: (name, z, y, x) => [`const ${name} = input[${z}][${y}][${x}];`],
      inputRow: () => [],
      inputInRow: (name, _row, z, y, x, offset) => [`const ${name} = input[${z}][${y}][${x} + ${offset}];`],
      weight: (name, index) => [`const ${name} = weight[${index}];`],
      lane: (name, lane) => `${name}[${lane}]`,
    };
  }
  // Only the lanes a kernel uses are read: a group of fewer than 4 channels (depthwise) leaves the rest zero.
  // The flat input stores only those lanes too (`inputLanes` floats per texel: 1 for depthwise), so
  // the pack pass writes and the kernel strides over no zeros.
  const read = (array: string, name: string, first: string, count: number) => [
    `const ${name} = ${first};`,
    ...lanes(count).map((lane) => `const ${name}_${lane} = ${array}[${name} + ${lane}];`),
  ];
  const rowStart = (z: string, y: string, x: string) =>
    `(((${z}) * this.constants.paddedH + (${y})) * this.constants.paddedW + (${x})) * ${inputLanes}`;
  return {
    input: (name, z, y, x) => read('input', name, rowStart(z, y, x), inputLanes),
    inputRow: (row, z, y, x) => [`const ${row} = ${rowStart(z, y, x)};`],
    inputInRow: (name, row, _z, _y, _x, offset) => read('input', name, `${row} + ${offset * inputLanes}`, inputLanes),
    weight: (name, index) => read('weight', name, `(${index}) * ${CHANNELS_PER_TEXEL}`, weightLanes),
    lane: (name, lane) => `${name}_${lane}`,
  };
}

/**
 * The pack kernel: reads 4 channels of the NC(D)HW input per texel of the padded packed input
 * (zero past the group's channels). Zero padding is a bounds test on constants; the other modes
 * read the host-built padded maps, so every padding mode is applied here and the convolution
 * kernel needs no bounds checks. On GL one thread writes one texel (`Array(4)`); flat (WebGPU),
 * one thread writes one float, its lane being `thread.x mod texelFloats` (4, or fewer where a
 * group has fewer channels: the flat layout then stores only those).
 */
export function packKernelSource(
  zeros: boolean,
  constants: PackedInputConstants,
  flat: boolean,
  texelFloats: number = CHANNELS_PER_TEXEL,
): string {
  const c = (name: keyof PackedInputConstants & string) => `this.constants.${name}`;
  const paddedD = constants.paddedD;
  const body: string[] = [];
  if (paddedD > 1) {
    body.push(...exactDivision('texelRow', 'pd', 'this.thread.z', c('paddedD')));
  } else {
    body.push('const texelRow = this.thread.z;', 'const pd = 0;');
  }
  body.push(...exactDivision('unit', 'channelTexel', 'texelRow', c('channelTexels')));
  if (flat && texelFloats === 1) body.push('const px = this.thread.x;', 'const lane = 0;');
  else if (flat) body.push(...exactDivision('px', 'lane', 'this.thread.x', String(texelFloats)));
  else body.push('const px = this.thread.x;');
  if (zeros) {
    body.push(
      `const id = pd - ${c('padFront')};`,
      `const ih = this.thread.y - ${c('padTop')};`,
      `const iw = px - ${c('padLeft')};`,
    );
  } else {
    body.push(
      'const id = paddedMaps[pd];',
      `const ih = paddedMaps[${c('mapOffsetH')} + this.thread.y];`,
      `const iw = paddedMaps[${c('mapOffsetW')} + px];`,
    );
  }
  const lanes = flat ? [null] : [0, 1, 2, 3];
  body.push(...lanes.map((lane) => `let value${lane ?? ''} = 0;`));
  const reads: string[] = [
    `const firstChannel = unit * ${c('inChannelsPerGroup')} + channelTexel * 4;`,
    `const plane = ${c('inD')} * ${c('inH')} * ${c('inW')};`,
    `const pixel = (id * ${c('inH')} + ih) * ${c('inW')} + iw;`,
  ];
  const full = constants.inChannelsPerGroup % CHANNELS_PER_TEXEL === 0;
  for (const lane of lanes) {
    const laneExpression = lane ?? 'lane';
    const read = `value${lane ?? ''} = input[(firstChannel + ${laneExpression}) * plane + pixel];`;
    if (full) reads.push(read);
    else reads.push(`if (channelTexel * 4 + ${laneExpression} < ${c('inChannelsPerGroup')}) {`, `  ${read}`, '}');
  }
  // Nested ifs: gpu.js cannot take && in conditions.
  const guards = zeros
    ? ['id >= 0', `id < ${c('inD')}`, 'ih >= 0', `ih < ${c('inH')}`, 'iw >= 0', `iw < ${c('inW')}`]
    : ['id >= 0', 'ih >= 0', 'iw >= 0'];
  let guarded = reads;
  for (let index = guards.length - 1; index >= 0; index--) {
    guarded = [`if (${guards[index]}) {`, ...indent(guarded, 1), '}'];
  }
  body.push(...guarded, flat ? 'return value;' : 'return [value0, value1, value2, value3];');
  const parameters = zeros ? 'input' : 'input, paddedMaps';
  return `function packConvInput(${parameters}) {\n${indent(body, 1).join('\n')}\n}`;
}

/** gpu.js's WebGPU workgroups are 8x8x1, and a dispatch has at most 65535 workgroups per axis. */
const WORKGROUP_EDGE = 8;
const MAX_WORKGROUPS_PER_AXIS = 65_535;
/** The most column phases a WebGPU kernel picks its phase from (one `if` each). */
const MAX_COLUMN_PHASES = 8;

function greatestCommonDivisor(a: number, b: number): number {
  return b === 0 ? a : greatestCommonDivisor(b, a % b);
}

/**
 * How WebGPU threads map onto output columns. With dilation, a thread's 4 columns are `step`
 * apart (`ow = phase + step * n`), so that their taps land on a shared row window (W6, 3x3 with
 * dilation 2: 6 texels for 4 columns instead of 8); `step` is the least that makes `step * stride`
 * a multiple of the dilation. Each phase has its own whole blocks of 4 columns. The grid is
 * flattened to `[rows * blocks, outChannels, batch]`: SwiftShader runs 4 consecutive `thread.x`
 * of a workgroup as one SIMD group, so a grid 9 blocks wide (W6, 33 columns) would leave 3 of
 * every 4 lanes of its last group idle; rows times blocks fill them.
 */
export interface ColumnGrid {
  /** Distance between the output columns of one thread. */
  readonly step: number;
  /** Blocks of 4 columns of each phase `0 .. step - 1`. */
  readonly phaseBlocks: readonly number[];
  /** Blocks of one output row: the sum of {@link ColumnGrid.phaseBlocks}. */
  readonly blocks: number;
  /** True where the grid is `[rows * blocks, outChannels, batch]` (within the dispatch limit). */
  readonly flattened: boolean;
}

/**
 * The column step of a direct convolution on WebGPU ({@link ColumnGrid}): the least `step` that
 * makes `step * strideW` a multiple of `dilationW`, or 1 where that is beyond
 * `MAX_COLUMN_PHASES` or the row (a thread's columns then share nothing anyway).
 *
 * @example
 * ```ts
 * import { dilationStep } from './packed-conv.js';
 * dilationStep(1, 2, 33); // 2
 * dilationStep(2, 1, 33); // 1
 * ```
 */
export function dilationStep(strideW: number, dilationW: number, outW: number): number {
  const step = dilationW / greatestCommonDivisor(strideW, dilationW);
  return step <= MAX_COLUMN_PHASES && step <= outW ? step : 1;
}

/**
 * The column grid of one output row, its columns `step` apart: on GL (`flat: false`, step 1) plain
 * blocks of 4 adjacent columns, a layout the pointwise kernel reads on the device; on WebGPU by
 * column phase and flattened ({@link ColumnGrid}).
 *
 * @example
 * ```ts
 * import { columnGrid } from './packed-conv.js';
 * columnGrid({ outW: 33, rows: 33, outChannels: 256, batch: 1, step: 2, flat: true });
 * // { step: 2, phaseBlocks: [5, 4], blocks: 9, flattened: true }
 * ```
 */
export function columnGrid({
  outW,
  rows,
  outChannels,
  batch,
  step,
  flat,
}: {
  outW: number;
  rows: number;
  outChannels: number;
  batch: number;
  step: number;
  flat: boolean;
}): ColumnGrid {
  const phaseBlocks = Array.from({ length: step }, (_, phase) =>
    Math.ceil(Math.ceil((outW - phase) / step) / COLUMNS_PER_THREAD),
  );
  const blocks = phaseBlocks.reduce((sum, count) => sum + count, 0);
  const within = (extent: number) => Math.ceil(extent / WORKGROUP_EDGE) <= MAX_WORKGROUPS_PER_AXIS;
  const flattened = flat && within(rows * blocks) && within(outChannels) && batch <= MAX_WORKGROUPS_PER_AXIS;
  return { step, phaseBlocks, blocks, flattened };
}

/**
 * The raw output slot (within one row's `blocks * 4`) of each output column, for a column grid.
 *
 * @example
 * ```ts
 * import { columnSlots } from './packed-conv.js';
 * columnSlots({ step: 2, phaseBlocks: [1, 1], blocks: 2, flattened: true }, 3); // [0, 4, 1]
 * ```
 */
export function columnSlots(grid: ColumnGrid, outW: number): number[] {
  const firstBlock = grid.phaseBlocks.map((_, phase) =>
    grid.phaseBlocks.slice(0, phase).reduce((sum, count) => sum + count, 0),
  );
  return Array.from({ length: outW }, (_, column) => {
    const phase = column % grid.step;
    const n = Math.floor(column / grid.step);
    return (firstBlock[phase] + Math.floor(n / COLUMNS_PER_THREAD)) * COLUMNS_PER_THREAD + (n % COLUMNS_PER_THREAD);
  });
}

/**
 * Lines that bind a thread's position in a column grid: `rowIndex` (of `outD * outH` rows),
 * `outChannel`, `batchItem` and `column0`, its first output column (the others are `grid.step`
 * apart). `outChannels` is the expression the unflattened grid divides its third index by.
 */
export function columnGridPosition(grid: ColumnGrid, outChannels: string): string[] {
  const lines: string[] = [];
  if (grid.flattened) {
    lines.push(
      ...exactDivision('rowIndex', 'blockInRow', 'this.thread.x', String(grid.blocks)),
      'const outChannel = this.thread.y;',
      'const batchItem = this.thread.z;',
    );
  } else {
    lines.push(
      'const rowIndex = this.thread.y;',
      'const blockInRow = this.thread.x;',
      ...exactDivision('batchItem', 'outChannel', 'this.thread.z', outChannels),
    );
  }
  if (grid.step === 1) return [...lines, `const column0 = blockInRow * ${COLUMNS_PER_THREAD};`];
  lines.push('let phase = 0;', 'let block = blockInRow;');
  let first = 0;
  for (let phase = 1; phase < grid.step; phase++) {
    first += grid.phaseBlocks[phase - 1];
    lines.push(`if (blockInRow >= ${first}) {`, `  phase = ${phase};`, `  block = blockInRow - ${first};`, '}');
  }
  return [...lines, `const column0 = phase + block * ${grid.step * COLUMNS_PER_THREAD};`];
}

/**
 * The row window of a thread's 4 output columns: the distinct column offsets (ascending) that its
 * columns read through the `kernelW` taps of one kernel row.
 *
 * @example
 * ```ts
 * import { rowWindow } from './packed-conv.js';
 * rowWindow(3, 1, 1); // [0, 1, 2, 3, 4, 5]
 * ```
 */
export function rowWindow(kernelW: number, strideW: number, dilationW: number): number[] {
  const offsets = new Set<number>();
  for (let column = 0; column < COLUMNS_PER_THREAD; column++) {
    for (let tap = 0; tap < kernelW; tap++) offsets.add(column * strideW + tap * dilationW);
  }
  return Array.from(offsets).sort((a, b) => a - b);
}

/**
 * The convolution kernel over packed texels: 4 output columns of one row per thread, every tap
 * unrolled, each input texel of a row window fetched once and reused by every (column, tap) that
 * reads it, and 4 input channels per fetch. The loop over channel texels is bounded by a constant.
 */
function convKernelSource(
  info: ConvInfo,
  kernelSize: readonly number[],
  outD: number,
  grid: ColumnGrid,
  access: TexelAccess,
): string {
  const c = (name: keyof PackedConvConstants & string) => `this.constants.${name}`;
  const [strideD, strideH, strideW] = liftTo3d(info.stride, 1);
  const [dilationD, dilationH, dilationW] = liftTo3d(info.dilation, 1);
  const [kernelD, kernelH, kernelW] = kernelSize;
  // The padded-input distance between a thread's columns.
  const columnStride = grid.step * strideW;
  const body: string[] = columnGridPosition(grid, c('outChannels'));
  if (outD > 1) {
    body.push(...exactDivision('od', 'oh', 'rowIndex', c('outH')));
  } else {
    body.push('const od = 0;', 'const oh = rowIndex;');
  }
  if (info.groups > 1 && info.outChannelsPerGroup === 1) {
    body.push(`const unit = batchItem * ${info.groups} + outChannel;`);
  } else if (info.groups > 1) {
    body.push(...exactDivision('group', 'outChannelInGroup', 'outChannel', c('outChannelsPerGroup')));
    body.push(`const unit = batchItem * ${info.groups} + group;`);
  } else {
    body.push('const unit = batchItem;');
  }
  body.push(
    `const baseZ = (unit * ${c('channelTexels')}) * ${c('paddedD')} + od * ${strideD};`,
    `const baseY = oh * ${strideH};`,
    `const baseX = column0 * ${strideW};`,
    `const weightBase = outChannel * ${c('channelTexels')} * ${c('taps')};`,
  );
  const loop: string[] = [
    `const texelZ = baseZ + channelTexel * ${c('paddedD')};`,
    `const texelWeight = weightBase + channelTexel * ${c('taps')};`,
  ];
  const sortedOffsets = rowWindow(kernelW, columnStride, dilationW);
  for (let td = 0; td < kernelD; td++) {
    for (let th = 0; th < kernelH; th++) {
      const row = `${td}_${th}`;
      loop.push(`const z${row} = texelZ + ${td * dilationD};`, `const y${row} = baseY + ${th * dilationH};`);
      loop.push(...access.inputRow(`row${row}`, `z${row}`, `y${row}`, 'baseX'));
      for (const offset of sortedOffsets) {
        loop.push(...access.inputInRow(`in${row}_${offset}`, `row${row}`, `z${row}`, `y${row}`, 'baseX', offset));
      }
      for (let tw = 0; tw < kernelW; tw++) {
        const tap = (td * kernelH + th) * kernelW + tw;
        loop.push(...access.weight(`w${row}_${tw}`, `texelWeight + ${tap}`));
        loop.push(
          ...columnProducts(
            info,
            access,
            `w${row}_${tw}`,
            (column) => `in${row}_${column * columnStride + tw * dilationW}`,
          ),
        );
      }
    }
  }
  return columnKernelSource('packedConv', body, loop);
}

/**
 * The 4 accumulations of one weight texel `w` into a thread's 4 column sums, column `j` reading
 * the input texel `texelOf(j)`: one dot product over the active lanes (input channels) each.
 */
export function columnProducts(
  info: ConvInfo,
  access: TexelAccess,
  w: string,
  texelOf: (column: number) => string,
): string[] {
  return Array.from({ length: COLUMNS_PER_THREAD }, (_, column) => {
    const products = Array.from(
      { length: activeLanes(info) },
      (_, lane) => `${access.lane(texelOf(column), lane)} * ${access.lane(w, lane)}`,
    );
    return `sum${column} += ${products.join(' + ')};`;
  });
}

/**
 * A kernel of 4 output columns of one output channel per thread: `body` (which binds
 * `outChannel`), the loop over channel texels around `loop`, and the 4 sums plus the bias.
 */
export function columnKernelSource(name: string, body: readonly string[], loop: readonly string[]): string {
  const { head, tail } = accumulateOverChannelTexels(loop, ['shift', 'shift', 'shift', 'shift']);
  const lines = [...body, ...head, 'const shift = bias[outChannel];', ...tail];
  return `function ${name}(input, weight, bias) {\n${indent(lines, 1).join('\n')}\n}`;
}

/**
 * Scatters the taps of one (input channel, output channel) pair of a weight into the lane `lane`
 * of texels `texelRow + tap`, a tap's index taken over `paddedKernel` (the stride-phase layouts pad
 * the kernel with zero taps to a whole number of phases; pass `kernelSize` for none).
 */
export function scatterTaps(
  packed: Float32Array,
  weight: Float32Array,
  { source, texelRow, lane }: { source: number; texelRow: number; lane: number },
  kernelSize: readonly number[],
  paddedKernel: readonly number[],
): void {
  const [kernelD, kernelH, kernelW] = kernelSize;
  const [, paddedH, paddedW] = paddedKernel;
  for (let kd = 0; kd < kernelD; kd++) {
    for (let kh = 0; kh < kernelH; kh++) {
      for (let kw = 0; kw < kernelW; kw++) {
        const texel = texelRow + (kd * paddedH + kh) * paddedW + kw;
        packed[texel * CHANNELS_PER_TEXEL + lane] = weight[source + (kd * kernelH + kh) * kernelW + kw];
      }
    }
  }
}

/**
 * Plans a (non-transposed) convolution in the packed layout: the padded extents, the thread grid,
 * the padded maps and both generated kernel sources. 1-D and 2-D are lifted to 3-D as core's
 * `geometry3d` does, so one generator serves every rank.
 *
 * @example
 * ```ts
 * import { convInfo } from '@convkit/core';
 * import { packedConvPlan } from './packed-conv.js';
 * const plan = packedConvPlan(convInfo([1, 8, 6, 6], [4, 8, 3, 3], { padding: 1 }));
 * plan.packOutput; // [10, 8, 2]: 4 columns per thread need 2 padded columns more, 8 channels are 2 texels
 * plan.convOutput; // [2, 6, 4]
 * ```
 */
export function packedConvPlan(
  info: ConvInfo,
  {
    flat = false,
    plainGrid = false,
  }: {
    flat?: boolean;
    /** Keep the plain GL grid (step 1, not flattened) on a flat plan, for kernels that index it so. */
    plainGrid?: boolean;
  } = {},
): PackedConvPlan {
  if (info.transposed) throw new Error('packedConvPlan: transposed convolutions have their own plan');
  const { inSize, outSize, kernelSize, taps, tapMaps } = geometry3d(info);
  const [inD, inH, inW] = inSize;
  const [outD, outH, outW] = outSize;
  const stride = liftTo3d(info.stride, 1);
  const dilation = liftTo3d(info.dilation, 1);
  const padBegin = liftTo3d(info.padBegin, 0);
  const grid = columnGrid({
    outW,
    rows: outD * outH,
    outChannels: info.outChannels,
    batch: info.batch,
    step: flat && !plainGrid ? dilationStep(stride[2], dilation[2], outW) : 1,
    flat: flat && !plainGrid,
  });
  // The last column slot any thread computes (the spare ones of each phase's last block included).
  const lastSlot = Math.max(
    ...grid.phaseBlocks.map((count, phase) => phase + grid.step * (count * COLUMNS_PER_THREAD - 1)),
  );
  const padded = [
    paddedExtent(outD, stride[0], dilation[0], kernelSize[0]),
    paddedExtent(outH, stride[1], dilation[1], kernelSize[1]),
    paddedExtent(lastSlot + 1, stride[2], dilation[2], kernelSize[2]),
  ];
  // Padded position o * stride + k * dilation holds what core's tap map says output o reads
  // through tap k; positions no output reads (the last block's spare columns) stay zero.
  const paddedMaps = new Float32Array(padded[0] + padded[1] + padded[2]).fill(-1);
  let offset = 0;
  for (let dimension = 0; dimension < 3; dimension++) {
    const outPositions = outSize[dimension];
    const kernel = kernelSize[dimension];
    for (let out = 0; out < outPositions; out++) {
      for (let tap = 0; tap < kernel; tap++) {
        const position = out * stride[dimension] + tap * dilation[dimension];
        paddedMaps[offset + position] = tapMaps[dimension][out * kernel + tap];
      }
    }
    offset += padded[dimension];
  }
  const channelTexels = Math.ceil(info.inChannelsPerGroup / CHANNELS_PER_TEXEL);
  const constants: PackedConvConstants = {
    inD,
    inH,
    inW,
    inChannelsPerGroup: info.inChannelsPerGroup,
    channelTexels,
    paddedD: padded[0],
    paddedH: padded[1],
    paddedW: padded[2],
    padFront: padBegin[0],
    padTop: padBegin[1],
    padLeft: padBegin[2],
    outH,
    outChannels: info.outChannels,
    outChannelsPerGroup: info.outChannelsPerGroup,
    taps,
    mapOffsetH: padded[0],
    mapOffsetW: padded[0] + padded[1],
  };
  const packTexelFloats = flat ? activeLanes(info) : CHANNELS_PER_TEXEL;
  const plan: PackedConvPlan = {
    constants,
    packTexelFloats,
    packOutput: [padded[2], padded[1], info.batch * info.groups * channelTexels * padded[0]],
    convOutput: grid.flattened
      ? [outH * outD * grid.blocks, info.outChannels, info.batch]
      : [grid.blocks, outH * outD, info.batch * info.outChannels],
    weightTexels: info.outChannels * channelTexels * taps,
    paddedMaps,
    packSource: packKernelSource(info.paddingMode === 'zeros', constants, flat, packTexelFloats),
    convSource: convKernelSource(
      info,
      kernelSize,
      outD,
      grid,
      texelAccess(flat, { inputLanes: activeLanes(info), weightLanes: activeLanes(info) }),
    ),
    outSize: info.batch * info.outChannels * outD * outH * outW,
    zeroPadding: info.paddingMode === 'zeros',
    weightLayout: 'conv-weight',
    packWeight: (weight) => packConvWeight(info, plan, weight),
    unpack: (raw) =>
      grid.step === 1
        ? unpackConvOutput(plan, outW, raw)
        : unpackColumnSlots(raw, columnSlots(grid, outW), grid.blocks),
  };
  return plan;
}

/**
 * Packs a conv weight `[C_out, C_in/g, k...]` into texels `[C_out][channel texel][tap]` of 4 input
 * channels each (zero past the group's channels), in the order the packed kernel reads them.
 *
 * @example
 * ```ts
 * import { convInfo } from '@convkit/core';
 * import { packConvWeight, packedConvPlan } from './packed-conv.js';
 * const info = convInfo([1, 2, 3], [1, 2, 1], {});
 * packConvWeight(info, packedConvPlan(info), new Float32Array([5, 6])); // Float32Array [5, 6, 0, 0]
 * ```
 */
export function packConvWeight(info: ConvInfo, plan: PackedConvPlan, weight: Float32Array): Float32Array {
  const { channelTexels, inChannelsPerGroup } = plan.constants;
  const taps = plan.weightTexels / (info.outChannels * channelTexels);
  const packed = new Float32Array(plan.weightTexels * CHANNELS_PER_TEXEL);
  for (let outChannel = 0; outChannel < info.outChannels; outChannel++) {
    for (let channel = 0; channel < inChannelsPerGroup; channel++) {
      const texel = Math.floor(channel / CHANNELS_PER_TEXEL);
      const lane = channel % CHANNELS_PER_TEXEL;
      const source = (outChannel * inChannelsPerGroup + channel) * taps;
      const target = (outChannel * channelTexels + texel) * taps;
      for (let tap = 0; tap < taps; tap++) packed[(target + tap) * CHANNELS_PER_TEXEL + lane] = weight[source + tap];
    }
  }
  return packed;
}

/**
 * Copies the packed kernel's raw RGBA output (texel `x + blocks * (y + rows * z)`, 4 columns per
 * texel) into the NC(D)HW output, dropping the spare columns of the last block.
 *
 * @example
 * ```ts
 * import { convInfo } from '@convkit/core';
 * import { packedConvPlan, unpackConvOutput } from './packed-conv.js';
 * const plan = packedConvPlan(convInfo([1, 1, 3], [1, 1, 1], {}));
 * unpackConvOutput(plan, 3, new Float32Array([1, 2, 3, 0])); // Float32Array [1, 2, 3]
 * ```
 */
export function unpackConvOutput(plan: PackedConvPlan, outW: number, raw: Float32Array): Float32Array {
  const output = new Float32Array(plan.outSize);
  // Both grids ({@link PackedConvPlan.convOutput}) hold whole rows of `slotsPerRow` floats, in output order.
  const slotsPerRow = Math.ceil(outW / COLUMNS_PER_THREAD) * COLUMNS_PER_THREAD;
  let target = 0;
  for (let row = 0; row < plan.outSize / outW; row++) {
    const source = row * slotsPerRow;
    output.set(raw.subarray(source, source + outW), target);
    target += outW;
  }
  return output;
}

/** Copies rows of `blocks * 4` raw floats into rows of `slots.length` output columns, column `i` from slot `slots[i]`. */
export function unpackColumnSlots(raw: Float32Array, slots: readonly number[], blocks: number): Float32Array {
  const outW = slots.length;
  const rows = raw.length / (blocks * COLUMNS_PER_THREAD);
  const output = new Float32Array(rows * outW);
  for (let row = 0; row < rows; row++) {
    const source = row * blocks * COLUMNS_PER_THREAD;
    for (let column = 0; column < outW; column++) output[row * outW + column] = raw[source + slots[column]];
  }
  return output;
}
