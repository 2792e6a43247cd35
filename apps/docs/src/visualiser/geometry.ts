import {
  conv,
  convInfo,
  convMacs,
  convMatrix,
  convParams,
  convTranspose,
  convTransposeInfo,
  tensor,
  type ConvInfo,
  type Padding,
  type Tensor,
} from '@convkit/core';

/** The padding choices of the visualiser: explicit `[begin, end]` per axis, or a named rule. */
export type PaddingChoice = 'explicit' | 'valid' | 'same' | 'same_upper' | 'same_lower';

/** Everything the visualiser's sliders set. */
export interface VisualiserSettings {
  transposed: boolean;
  inputHeight: number;
  inputWidth: number;
  kernelHeight: number;
  kernelWidth: number;
  stride: number;
  dilation: number;
  padding: PaddingChoice;
  /** `[top, bottom, left, right]`, used when `padding` is `'explicit'`. */
  pads: [number, number, number, number];
  inChannels: number;
  outChannels: number;
  groups: number;
  outputPadding: number;
}

export const DEFAULT_SETTINGS: VisualiserSettings = {
  transposed: false,
  inputHeight: 5,
  inputWidth: 5,
  kernelHeight: 3,
  kernelWidth: 3,
  stride: 1,
  dilation: 1,
  padding: 'explicit',
  pads: [0, 0, 0, 0],
  inChannels: 1,
  outChannels: 1,
  groups: 1,
  outputPadding: 0,
};

/** One input cell that feeds an output cell, through kernel tap `tap` (row-major in the kernel). */
export interface Contribution {
  channel: number;
  /** Coordinates in the input; outside `[0, size)` for a tap that reads padding. */
  row: number;
  column: number;
  tap: number;
}

/** What the visualiser draws, all of it computed by `@convkit/core`. */
export interface VisualiserView {
  info: ConvInfo;
  /** The padding as the options object passes it. */
  padding: Padding;
  weightShape: number[];
  /** Output cells in order `(channel, row, column)`, each with the cells that feed it. */
  contributions: Contribution[][];
  /** The op's output for an all-ones input and kernel: how many taps reach each output cell. */
  counts: Tensor;
  /** The Toeplitz matrix of the forward convolution with tap numbers + 1 as weights (0 = no tap). */
  matrix?: Tensor;
  params: number;
  macs: number;
}

/** The largest Toeplitz matrix the page draws, in entries. */
export const MAX_DRAWN_MATRIX = 64 * 160;

/** The padding option as a reader would write it: a number or one per axis when symmetric, else pairs. */
function paddingOption(settings: VisualiserSettings): Padding {
  if (settings.padding !== 'explicit') return settings.padding;
  const [top, bottom, left, right] = settings.pads;
  if (top !== bottom || left !== right)
    return [
      [top, bottom],
      [left, right],
    ];
  return top === left ? top : [top, left];
}

/** A weight whose entry for in-group channel `c`, tap `t` is `c * taps + t + 1`, so a matrix entry names its tap. */
function tapWeight(shape: number[]): Tensor {
  const taps = shape[2] * shape[3];
  const perOutput = shape[1] * taps;
  return tensor(
    Array.from({ length: shape[0] * perOutput }, (_, index) => (index % perOutput) + 1),
    shape,
  );
}

/**
 * Computes what the visualiser shows for its settings. Sizes and padding come from
 * `convInfo`/`convTransposeInfo`; which input cells feed which output cell comes from
 * `convMatrix` of the convolution over the explicitly padded input (a padded conv is a valid conv
 * of the padded input), read row by row for a convolution and column by column for a transposed
 * one (its matrix is the transpose); the counts come from `conv`/`convTranspose` themselves.
 *
 * @throws {ConvError} from core when the settings describe no valid convolution.
 */
export function computeView(settings: VisualiserSettings): VisualiserView {
  const { transposed, inChannels, outChannels, groups, stride, dilation } = settings;
  const padding = paddingOption(settings);
  const kernel = [settings.kernelHeight, settings.kernelWidth];
  const inputShape = [1, inChannels, settings.inputHeight, settings.inputWidth];
  const weightShape = transposed
    ? [inChannels, outChannels / groups, ...kernel]
    : [outChannels, inChannels / groups, ...kernel];
  const info = transposed
    ? convTransposeInfo(
        inputShape,
        weightShape,
        {
          stride,
          dilation,
          groups,
          padding: padding as Exclude<Padding, 'same'>,
          outputPadding: settings.outputPadding,
        },
        'convTranspose2d',
      )
    : convInfo(inputShape, weightShape, { stride, dilation, groups, padding }, 'conv2d');

  // The forward convolution in both cases: for a transposed conv, the conv it is the adjoint of,
  // whose input is the transposed conv's output.
  const forwardSize = transposed ? info.outSize : info.inSize;
  const forwardChannels = transposed ? outChannels : inChannels;
  const paddedSize = forwardSize.map((size, axis) => size + info.padBegin[axis] + info.padEnd[axis]);
  const weight = tapWeight(weightShape);
  const taps = kernel[0] * kernel[1];
  const contributions: Contribution[][] = Array.from(
    { length: outChannels * info.outSize[0] * info.outSize[1] },
    () => [],
  );
  if (paddedSize.every((size) => size > 0) && info.padBegin.every((pad) => pad >= 0)) {
    const padded = convMatrix([1, forwardChannels, ...paddedSize], weight, { stride, dilation, groups });
    const paddedPlane = paddedSize[0] * paddedSize[1];
    const forwardOut = convInfo([1, forwardChannels, ...paddedSize], weightShape, { stride, dilation, groups }).outSize;
    const forwardPlane = forwardOut[0] * forwardOut[1];
    const [rows, columns] = padded.shape;
    for (let row = 0; row < rows; row++) {
      const windowChannel = Math.floor(row / forwardPlane);
      const windowRow = Math.floor((row % forwardPlane) / forwardOut[1]);
      const windowColumn = row % forwardOut[1];
      for (let column = 0; column < columns; column++) {
        const entry = padded.data[row * columns + column];
        if (entry === 0) continue;
        const tap = (entry - 1) % taps;
        const cellChannel = Math.floor(column / paddedPlane);
        const cellRow = Math.floor((column % paddedPlane) / paddedSize[1]) - info.padBegin[0];
        const cellColumn = (column % paddedSize[1]) - info.padBegin[1];
        if (!transposed) {
          const output = (windowChannel * info.outSize[0] + windowRow) * info.outSize[1] + windowColumn;
          contributions[output].push({ channel: cellChannel, row: cellRow, column: cellColumn, tap });
        } else {
          // The window is an input cell of the transposed conv; the cell is one of its outputs.
          const outside = cellRow < 0 || cellColumn < 0 || cellRow >= info.outSize[0] || cellColumn >= info.outSize[1];
          if (outside || windowRow >= info.inSize[0] || windowColumn >= info.inSize[1]) continue;
          const output = (cellChannel * info.outSize[0] + cellRow) * info.outSize[1] + cellColumn;
          contributions[output].push({ channel: windowChannel, row: windowRow, column: windowColumn, tap });
        }
      }
    }
  }

  const ones = (shape: readonly number[]) => tensor(new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(1), shape);
  const counts = transposed
    ? convTranspose(ones(inputShape), ones(weightShape), {
        stride,
        dilation,
        groups,
        padding: padding as Exclude<Padding, 'same'>,
        outputPadding: settings.outputPadding,
      })
    : conv(ones(inputShape), ones(weightShape), { stride, dilation, groups, padding });

  const forwardRows = transposed
    ? inChannels * info.inSize[0] * info.inSize[1]
    : outChannels * info.outSize[0] * info.outSize[1];
  const forwardColumns = forwardChannels * forwardSize[0] * forwardSize[1];
  const matrix =
    forwardRows * forwardColumns <= MAX_DRAWN_MATRIX && info.padBegin.every((pad) => pad >= 0)
      ? convMatrix([1, forwardChannels, ...forwardSize], weight, {
          stride,
          dilation,
          groups,
          padding: [
            [info.padBegin[0], info.padEnd[0]],
            [info.padBegin[1], info.padEnd[1]],
          ],
        })
      : undefined;

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
  return { info, padding, weightShape, contributions, counts, matrix, params: convParams(spec), macs: convMacs(spec) };
}

/** The group counts that divide both channel counts, for the groups slider. */
export function validGroups(inChannels: number, outChannels: number): number[] {
  return Array.from({ length: Math.min(inChannels, outChannels) }, (_, index) => index + 1).filter(
    (groups) => inChannels % groups === 0 && outChannels % groups === 0,
  );
}
