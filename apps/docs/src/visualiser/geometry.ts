import {
  conv,
  convInfo,
  convMacs,
  convMatrix,
  convParams,
  convTranspose,
  convTransposeInfo,
  geometry3d,
  tensor,
  type ConvInfo,
  type Geometry3d,
  type Padding,
  type PaddingMode,
  type Tensor,
  type TransposePadding,
} from '@convkit/core';

/** The padding choices of the visualiser: explicit `[begin, end]` per axis, or a named rule. */
export type PaddingChoice = 'explicit' | 'valid' | 'same' | 'same_upper' | 'same_lower';

/** How many spatial axes the board shows: a row (1-D), a plane (2-D) or a stack of planes (3-D). */
export type Rank = 1 | 2 | 3;

/** Everything the visualiser's controls set. */
export interface VisualiserSettings {
  rank: Rank;
  transposed: boolean;
  /** Used in 3-D only. */
  inputDepth: number;
  /** Used in 2-D and 3-D. */
  inputHeight: number;
  inputWidth: number;
  kernelDepth: number;
  kernelHeight: number;
  kernelWidth: number;
  stride: number;
  dilation: number;
  padding: PaddingChoice;
  /** `[top, bottom, left, right]`, used when `padding` is `'explicit'`; 1-D uses left and right. */
  pads: [number, number, number, number];
  /** `[front, back]` along depth, used in 3-D with `'explicit'` padding. */
  depthPads: [number, number];
  /** What padding cells hold (convolution only): zeros or a copy of an input cell. */
  paddingMode: PaddingMode;
  inChannels: number;
  outChannels: number;
  groups: number;
  outputPadding: number;
}

export const DEFAULT_SETTINGS: VisualiserSettings = {
  rank: 2,
  transposed: false,
  inputDepth: 3,
  inputHeight: 5,
  inputWidth: 5,
  kernelDepth: 2,
  kernelHeight: 3,
  kernelWidth: 3,
  stride: 1,
  dilation: 1,
  padding: 'explicit',
  pads: [0, 0, 0, 0],
  depthPads: [0, 0],
  paddingMode: 'zeros',
  inChannels: 1,
  outChannels: 1,
  groups: 1,
  outputPadding: 0,
};

/**
 * One input cell that feeds an output cell through one weight. Coordinates are 3-D (`depth` and
 * `row` are 0 for lower ranks) in the input's own frame: outside `[0, size)` for a tap that sits
 * on padding.
 */
export interface Contribution {
  /** Input channel. */
  channel: number;
  depth: number;
  row: number;
  column: number;
  /** Kernel tap, row-major over (depth, row, column) of the kernel. */
  tap: number;
  /** Index into the weight tensor's data of the weight this tap multiplies. */
  weight: number;
  /** Index of the (output channel, input channel) kernel slice: what the tap's colour says. */
  slice: number;
  /**
   * Index into the input's data of the cell whose value this tap reads, as core's tap maps say:
   * the cell itself, the cell a reflect/replicate/circular pad copies, or -1 for a zero.
   */
  reads: number;
}

/** What the visualiser draws, all of it computed by `@convkit/core`. */
export interface VisualiserView {
  info: ConvInfo;
  /** The 3-D view of `info` with core's tap maps. */
  geometry: Geometry3d;
  /** The padding as the options object passes it. */
  padding: Padding;
  inputShape: number[];
  weightShape: number[];
  /** Output cells in order `(channel, depth, row, column)`, each with the cells that feed it. */
  contributions: Contribution[][];
  /** The op's output for an all-ones input and kernel: how many taps reach each output cell. */
  counts: Tensor;
  /** The sample input and weight of the numeric mode, and core's output for them. */
  input: Tensor;
  weight: Tensor;
  output: Tensor;
  /**
   * Core's Toeplitz matrix of the forward convolution (for a transposed one, the conv it is the
   * adjoint of), built with weight `index + 1` so an entry names its weight (0 = none); drawn for
   * small sizes and zero padding only (a copying pad can add two taps into one entry).
   */
  matrix?: Tensor;
  /** (output channel, input channel) pairs that own a kernel slice, in weight order. */
  slices: { outChannel: number; inChannel: number }[];
  params: number;
  macs: number;
}

/** The spatial sizes of the settings' rank, outermost first. */
export function spatial(settings: VisualiserSettings, which: 'input' | 'kernel'): number[] {
  const all =
    which === 'input'
      ? [settings.inputDepth, settings.inputHeight, settings.inputWidth]
      : [settings.kernelDepth, settings.kernelHeight, settings.kernelWidth];
  return all.slice(3 - settings.rank);
}

/** The largest Toeplitz matrix the page draws, in entries. */
export const MAX_DRAWN_MATRIX = 64 * 160;

/** The padding option as a reader would write it: a number or one per axis when symmetric, else pairs. */
function paddingOption(settings: VisualiserSettings): Padding {
  if (settings.padding !== 'explicit') return settings.padding;
  const [top, bottom, left, right] = settings.pads;
  const pairs: [number, number][] = [settings.depthPads, [top, bottom], [left, right]].slice(3 - settings.rank) as [
    number,
    number,
  ][];
  if (pairs.some(([begin, end]) => begin !== end)) return pairs;
  const begins = pairs.map(([begin]) => begin);
  return begins.every((begin) => begin === begins[0]) ? begins[0] : begins;
}

/** Small integers, the same on every visit, for the numeric mode: inputs -2..2, weights -1..1. */
function sampleTensor(shape: readonly number[], kind: 'input' | 'weight'): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: size }, (_, index) =>
    kind === 'input' ? ((index * 7 + 3) % 5) - 2 : ((index * 5 + 1) % 3) - 1,
  );
  return tensor(values, shape);
}

function ones(shape: readonly number[]): Tensor {
  return tensor(new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(1), shape);
}

/**
 * Computes what the visualiser shows for its settings. Sizes and padding come from
 * `convInfo`/`convTransposeInfo`; which input cell each tap reads comes from core's tap maps
 * (`geometry3d`), so padding modes and the transposed gather are core's, not redrawn here; the
 * counts and the numeric mode's output come from `conv`/`convTranspose` themselves.
 *
 * @throws {ConvError} from core when the settings describe no valid convolution.
 */
export function computeView(settings: VisualiserSettings): VisualiserView {
  const { transposed, inChannels, outChannels, groups, stride, dilation } = settings;
  const padding = paddingOption(settings);
  const kernel = spatial(settings, 'kernel');
  const inputShape = [1, inChannels, ...spatial(settings, 'input')];
  const weightShape = transposed
    ? [inChannels, outChannels / groups, ...kernel]
    : [outChannels, inChannels / groups, ...kernel];
  const op = `${transposed ? 'convTranspose' : 'conv'}${settings.rank}d`;
  const transposeOptions = {
    stride,
    dilation,
    groups,
    padding: padding as TransposePadding,
    outputPadding: settings.outputPadding,
  };
  const convOptions = { stride, dilation, groups, padding, paddingMode: settings.paddingMode };
  const info = transposed
    ? convTransposeInfo(inputShape, weightShape, transposeOptions, op)
    : convInfo(inputShape, weightShape, convOptions, op);
  const geometry = geometry3d(info);
  const { inSize, outSize, kernelSize, tapMaps, taps, inPlane, outPlane } = geometry;
  const lead = 3 - settings.rank;
  // Where a window sits in the padded frame (conv only): the tap map says which cell a tap reads,
  // and collapses a padding tap to -1 or to the cell it copies, but the board draws the tap where
  // it sits. A transposed conv gathers only real inputs, so it needs no frame.
  const windowStart = (axis: number, out: number) =>
    axis < lead ? 0 : out * info.stride[axis - lead] - info.padBegin[axis - lead];
  const tapOffset = (axis: number, tap: number) => (axis < lead ? 0 : tap * info.dilation[axis - lead]);

  const slices: VisualiserView['slices'] = [];
  for (let first = 0; first < weightShape[0]; first++)
    for (let second = 0; second < weightShape[1]; second++) {
      const group = Math.floor(first / (transposed ? info.inChannelsPerGroup : info.outChannelsPerGroup));
      slices.push(
        transposed
          ? { inChannel: first, outChannel: group * info.outChannelsPerGroup + second }
          : { outChannel: first, inChannel: group * info.inChannelsPerGroup + second },
      );
    }
  const sliceOf = (outChannel: number, inChannel: number) =>
    transposed
      ? inChannel * info.outChannelsPerGroup + (outChannel % info.outChannelsPerGroup)
      : outChannel * info.inChannelsPerGroup + (inChannel % info.inChannelsPerGroup);

  const contributions: Contribution[][] = [];
  for (let outChannel = 0; outChannel < outChannels; outChannel++) {
    const group = Math.floor(outChannel / info.outChannelsPerGroup);
    for (let outIndex = 0; outIndex < outPlane; outIndex++) {
      const out = [
        Math.floor(outIndex / (outSize[1] * outSize[2])),
        Math.floor(outIndex / outSize[2]) % outSize[1],
        outIndex % outSize[2],
      ];
      const cells: Contribution[] = [];
      for (let inGroup = 0; inGroup < info.inChannelsPerGroup; inGroup++) {
        const channel = group * info.inChannelsPerGroup + inGroup;
        const slice = sliceOf(outChannel, channel);
        for (let tap = 0; tap < taps; tap++) {
          const k = [
            Math.floor(tap / (kernelSize[1] * kernelSize[2])),
            Math.floor(tap / kernelSize[2]) % kernelSize[1],
            tap % kernelSize[2],
          ];
          const read = [0, 1, 2].map((axis) => tapMaps[axis][out[axis] * kernelSize[axis] + k[axis]]);
          const inBounds = read.every((index) => index >= 0);
          // A transposed conv's -1 is a stride gap: no input scatters there through this tap.
          if (transposed && !inBounds) continue;
          const at = transposed
            ? read
            : [0, 1, 2].map((axis) => windowStart(axis, out[axis]) + tapOffset(axis, k[axis]));
          cells.push({
            channel,
            depth: at[0],
            row: at[1],
            column: at[2],
            tap,
            weight: slice * taps + tap,
            slice,
            reads: inBounds ? channel * inPlane + (read[0] * inSize[1] + read[1]) * inSize[2] + read[2] : -1,
          });
        }
      }
      contributions.push(cells);
    }
  }

  const forwardShape = transposed ? info.outputShape : inputShape;
  const forwardRows = (transposed ? info.inChannels * inPlane : info.outChannels * outPlane) * 1;
  const forwardColumns = forwardShape.slice(1).reduce((a, b) => a * b, 1);
  const matrix =
    settings.paddingMode === 'zeros' && forwardRows * forwardColumns <= MAX_DRAWN_MATRIX
      ? convMatrix(
          forwardShape,
          tensor(
            Array.from({ length: weightShape.reduce((a, b) => a * b, 1) }, (_, index) => index + 1),
            weightShape,
          ),
          {
            stride,
            dilation,
            groups,
            padding: info.padBegin.map((begin, axis) => [begin, info.padEnd[axis]] as [number, number]),
          },
        )
      : undefined;

  const input = sampleTensor(inputShape, 'input');
  const weight = sampleTensor(weightShape, 'weight');
  const run = (x: Tensor, w: Tensor) => (transposed ? convTranspose(x, w, transposeOptions) : conv(x, w, convOptions));
  const spec = {
    kind: transposed ? ('convTranspose' as const) : ('conv' as const),
    inChannels,
    outChannels,
    kernelSize: kernel,
    groups,
    stride,
    dilation,
    padding,
    inputSize: info.inSize,
    ...(transposed ? { outputPadding: settings.outputPadding } : {}),
  };
  return {
    info,
    geometry,
    padding,
    inputShape,
    weightShape,
    contributions,
    counts: run(ones(inputShape), ones(weightShape)),
    matrix,
    input,
    weight,
    output: run(input, weight),
    slices,
    params: convParams(spec),
    macs: convMacs(spec),
  };
}

/**
 * The cells each input cell of a transposed conv paints (Distill's scatter view): the
 * contributions read the other way round, indexed by input cell `(channel, depth, row, column)`.
 */
export function scatterView(view: VisualiserView): { outChannel: number; outIndex: number; tap: number }[][] {
  const { inPlane, outPlane } = view.geometry;
  const painted: { outChannel: number; outIndex: number; tap: number }[][] = Array.from(
    { length: view.info.inChannels * inPlane },
    () => [],
  );
  view.contributions.forEach((cells, output) => {
    for (const cell of cells)
      if (cell.reads >= 0)
        painted[cell.reads].push({
          outChannel: Math.floor(output / outPlane),
          outIndex: output % outPlane,
          tap: cell.tap,
        });
  });
  return painted;
}

/**
 * The transposed conv as conv_arithmetic draws it: the input with `stride - 1` zeros between cells,
 * padded by `d·(k - 1) - padBegin` before (and what makes the output size after), under a stride-1
 * window of the rotated kernel. Per axis: the frame size and where input cell 0 sits in it; all
 * from the shape record (`outSize + effectiveKernelSize - 1` is a valid stride-1 conv's input).
 */
export function zeroInsertionFrame(info: ConvInfo): { size: number; firstInput: number; stride: number }[] {
  return info.outSize.map((out, axis) => ({
    size: out + info.effectiveKernelSize[axis] - 1,
    firstInput: info.effectiveKernelSize[axis] - 1 - info.padBegin[axis],
    stride: info.stride[axis],
  }));
}

/** The group counts that divide both channel counts, for the groups control. */
export function validGroups(inChannels: number, outChannels: number): number[] {
  return Array.from({ length: Math.min(inChannels, outChannels) }, (_, index) => index + 1).filter(
    (groups) => inChannels % groups === 0 && outChannels % groups === 0,
  );
}
