import { formatNumber, heat } from './format';
import {
  scatterView,
  zeroInsertionFrame,
  type Contribution,
  type VisualiserSettings,
  type VisualiserView,
} from './geometry';
import type { BoardState } from './url';

/** One drawn cell of a panel. */
export interface Cell {
  label: string;
  /** Background colour (CSS), or undefined for the theme's own. */
  fill?: string;
  kind: 'input' | 'pad' | 'zero' | 'weight' | 'output';
  current?: boolean;
  /** Highlighted by the current step (a tap in use, or a painted output). */
  active?: boolean;
  tap?: number;
  /** Hover text: which cell this is, and what it reads or copies. */
  title: string;
  /** For output cells: the step that selects them (click, keyboard). */
  step?: number;
}

/** A grid of cells with a caption: one channel (and depth slice) of a tensor, or a kernel slice. */
export interface Panel {
  title: string;
  testId: string;
  rows: number;
  columns: number;
  cells: Cell[];
}

/** The board's three rows: inputs, kernels, outputs. */
export interface Board {
  inputs: Panel[];
  kernels: Panel[];
  outputs: Panel[];
  /** What the current step shows, in words. */
  stepLabel: string;
  /** The numeric mode's dot product of the current output cell, when one is shown. */
  dotProduct?: string;
  steps: number;
}

/** A colour per (output channel, input channel) kernel slice: which weights a tap multiplies. */
export function sliceColour(slice: number, slices: number): string {
  return `hsl(${Math.round((slice * 300) / Math.max(1, slices)) + 20}, 80%, 76%)`;
}

function coordinates(rank: number, values: readonly number[]): string {
  return values.slice(3 - rank).join(', ');
}

/** Splits a flat index over 3-D sizes into `[depth, row, column]`. */
function unflatten(index: number, size: readonly number[]): [number, number, number] {
  return [Math.floor(index / (size[1] * size[2])), Math.floor(index / size[2]) % size[1], index % size[2]];
}

/** The steps the board animates: output cells, or input cells for the scatter view. */
export function stepCount(view: VisualiserView, settings: VisualiserSettings, board: BoardState): number {
  return settings.transposed && board.view === 'scatter'
    ? view.info.inChannels * view.geometry.inPlane
    : view.contributions.length;
}

/**
 * Everything the board draws for one step, as panels of cells: the same model is rendered by the
 * page (as grids) and by the exports (SVG, PNG, GIF), so a saved figure is what the reader saw.
 * Every number in it comes from the view, that is from core.
 */
export function boardAt(view: VisualiserView, settings: VisualiserSettings, board: BoardState): Board {
  const { info, geometry } = view;
  const { rank, transposed } = settings;
  const { inSize, outSize, kernelSize, taps, inPlane, outPlane } = geometry;
  const steps = stepCount(view, settings, board);
  const step = steps === 0 ? 0 : ((board.step % steps) + steps) % steps;
  const scatter = transposed && board.view === 'scatter';
  const lead = 3 - rank;
  const slices = view.slices.length;
  const inputValue = (index: number) => formatNumber(view.input.data[index]);

  const current: Contribution[] = scatter ? [] : (view.contributions[step] ?? []);
  const active = new Map<string, Contribution>(
    current.map((cell) => [`${cell.channel},${cell.depth},${cell.row},${cell.column}`, cell]),
  );
  const activeSlices = new Set(current.map((cell) => cell.slice));
  // Which input each padding position copies, from core's tap maps (every position a window reaches).
  const copies = new Map<string, number>();
  if (!transposed)
    for (const cells of view.contributions)
      for (const cell of cells) copies.set(`${cell.channel},${cell.depth},${cell.row},${cell.column}`, cell.reads);

  const inputs: Panel[] = [];
  const panelTitle = (what: string, channel: number, group: number, depth: number, depths: number) =>
    `${what} ${channel} · group ${group}${depths > 1 || rank === 3 ? ` · depth ${depth}` : ''}`;

  if (transposed && !scatter) {
    // conv_arithmetic: the zero-inserted, padded input under a stride-1 window of the rotated kernel.
    const frame = zeroInsertionFrame(info);
    const axes = [0, 1, 2].map((axis) => (axis < lead ? { size: 1, firstInput: 0, stride: 1 } : frame[axis - lead]));
    const out = unflatten(step % outPlane, outSize);
    const inputAt = (axis: number, position: number) => {
      const offset = position - axes[axis].firstInput;
      return offset >= 0 && offset % axes[axis].stride === 0 && offset / axes[axis].stride < inSize[axis]
        ? offset / axes[axis].stride
        : -1;
    };
    const windowTap = (axis: number, position: number) => {
      const slot = position - out[axis];
      const dilation = axis < lead ? 1 : info.dilation[axis - lead];
      if (slot < 0 || slot % dilation !== 0 || slot / dilation >= kernelSize[axis]) return -1;
      return kernelSize[axis] - 1 - slot / dilation; // the rotated kernel
    };
    const group = Math.floor(Math.floor(step / outPlane) / info.outChannelsPerGroup);
    for (let channel = 0; channel < info.inChannels; channel++)
      for (let depth = 0; depth < axes[0].size; depth++) {
        const cells: Cell[] = [];
        for (let row = 0; row < axes[1].size; row++)
          for (let column = 0; column < axes[2].size; column++) {
            const source = [inputAt(0, depth), inputAt(1, row), inputAt(2, column)];
            const real = source.every((index) => index >= 0);
            const k = [windowTap(0, depth), windowTap(1, row), windowTap(2, column)];
            const inWindow = k.every((index) => index >= 0) && Math.floor(channel / info.inChannelsPerGroup) === group;
            const tap = inWindow ? (k[0] * kernelSize[1] + k[1]) * kernelSize[2] + k[2] : undefined;
            const used =
              real && tap !== undefined ? active.get(`${channel},${source[0]},${source[1]},${source[2]}`) : undefined;
            const flat = channel * inPlane + (source[0] * inSize[1] + source[1]) * inSize[2] + source[2];
            cells.push({
              kind: real ? 'input' : 'zero',
              label:
                tap !== undefined && !board.numeric
                  ? String(tap)
                  : board.numeric
                    ? real
                      ? inputValue(flat)
                      : '0'
                    : '',
              fill: used ? sliceColour(used.slice, slices) : inWindow ? 'var(--ifm-color-emphasis-300)' : undefined,
              active: inWindow,
              tap,
              title: real
                ? `input (${coordinates(rank, source)})${tap !== undefined ? `, rotated tap ${tap}` : ''}`
                : `inserted or padding zero${tap !== undefined ? `, rotated tap ${tap}` : ''}`,
            });
          }
        inputs.push({
          title: `${panelTitle('input', channel, Math.floor(channel / info.inChannelsPerGroup), depth, axes[0].size)} (zeros inserted)`,
          testId: `input-${channel}${rank === 3 ? `-${depth}` : ''}`,
          rows: axes[1].size,
          columns: axes[2].size,
          cells,
        });
      }
  } else {
    // The input in its padded frame (a transposed conv's input has no padding of its own).
    const begin = [0, 1, 2].map((axis) => (transposed || axis < lead ? 0 : info.padBegin[axis - lead]));
    const end = [0, 1, 2].map((axis) => (transposed || axis < lead ? 0 : info.padEnd[axis - lead]));
    const [currentChannel, currentIndex] = [Math.floor(step / inPlane), step % inPlane];
    for (let channel = 0; channel < info.inChannels; channel++)
      for (let depth = -begin[0]; depth < inSize[0] + end[0]; depth++) {
        const cells: Cell[] = [];
        for (let row = -begin[1]; row < inSize[1] + end[1]; row++)
          for (let column = -begin[2]; column < inSize[2] + end[2]; column++) {
            const key = `${channel},${depth},${row},${column}`;
            const real =
              depth >= 0 && row >= 0 && column >= 0 && depth < inSize[0] && row < inSize[1] && column < inSize[2];
            const flat = channel * inPlane + (depth * inSize[1] + row) * inSize[2] + column;
            const used = active.get(key);
            const copied = real ? flat : (copies.get(key) ?? -1);
            const copiedAt = copied >= 0 ? unflatten(copied % inPlane, inSize) : undefined;
            const isCurrent = scatter && real && channel === currentChannel && flat % inPlane === currentIndex;
            let label = '';
            if (used && !board.numeric) label = String(used.tap);
            else if (board.numeric) label = copied >= 0 ? inputValue(copied) : '0';
            else if (!real && copiedAt) label = `↪${coordinates(rank, copiedAt).replace(/, /g, ',')}`;
            cells.push({
              kind: real ? 'input' : 'pad',
              label,
              fill: used ? sliceColour(used.slice, slices) : undefined,
              active: used !== undefined,
              current: isCurrent,
              tap: used?.tap,
              title: real
                ? `input (${coordinates(rank, [depth, row, column])})${used ? `, tap ${used.tap} of w[${view.slices[used.slice].outChannel}, ${view.slices[used.slice].inChannel}]` : ''}`
                : `padding (${coordinates(rank, [depth, row, column])}): ${copiedAt ? `copies input (${coordinates(rank, copiedAt)}) (${info.paddingMode})` : 'zero'}`,
              step: scatter && real ? flat : undefined,
            });
          }
        inputs.push({
          title: panelTitle('input', channel, Math.floor(channel / info.inChannelsPerGroup), depth, inSize[0]),
          testId: `input-${channel}${rank === 3 ? `-${depth}` : ''}`,
          rows: inSize[1] + begin[1] + end[1],
          columns: inSize[2] + begin[2] + end[2],
          cells,
        });
      }
  }

  // The kernel, one panel per (output channel, input channel) slice (and kernel depth in 3-D).
  const kernels: Panel[] = [];
  view.slices.forEach(({ outChannel, inChannel }, slice) => {
    for (let depth = 0; depth < kernelSize[0]; depth++) {
      const cells: Cell[] = [];
      for (let tapInPlane = 0; tapInPlane < kernelSize[1] * kernelSize[2]; tapInPlane++) {
        const tap = depth * kernelSize[1] * kernelSize[2] + tapInPlane;
        const weight = slice * taps + tap;
        cells.push({
          kind: 'weight',
          label: board.numeric ? formatNumber(view.weight.data[weight]) : String(tap),
          fill: sliceColour(slice, slices),
          active: activeSlices.has(slice),
          tap,
          title: `w[${outChannel}, ${inChannel}] tap ${tap}${board.numeric ? ` = ${formatNumber(view.weight.data[weight])}` : ''}`,
        });
      }
      kernels.push({
        title: `w[out ${outChannel}, in ${inChannel}]${kernelSize[0] > 1 ? ` · depth ${depth}` : ''}`,
        testId: `kernel-${slice}${kernelSize[0] > 1 ? `-${depth}` : ''}`,
        rows: kernelSize[1],
        columns: kernelSize[2],
        cells,
      });
    }
  });

  // The outputs: tap counts (all-ones input and kernel) or, in the numeric mode, core's output.
  const painted = scatter ? (scatterView(view)[step] ?? []) : [];
  const paintedAt = new Map(painted.map((cell) => [cell.outChannel * outPlane + cell.outIndex, cell.tap]));
  const values = board.numeric ? view.output : view.counts;
  let scale = 0;
  for (const value of values.data) scale = Math.max(scale, Math.abs(value));
  const outputs: Panel[] = [];
  for (let channel = 0; channel < info.outChannels; channel++)
    for (let depth = 0; depth < outSize[0]; depth++) {
      const cells: Cell[] = [];
      for (let index = 0; index < outSize[1] * outSize[2]; index++) {
        const flat = channel * outPlane + depth * outSize[1] * outSize[2] + index;
        const tap = paintedAt.get(flat);
        const [, row, column] = unflatten(flat % outPlane, outSize);
        cells.push({
          kind: 'output',
          label: scatter && tap !== undefined && !board.numeric ? String(tap) : formatNumber(values.data[flat]),
          fill:
            scatter && tap !== undefined
              ? sliceColour(view.contributions[flat].find((cell) => cell.tap === tap)?.slice ?? 0, slices)
              : heat(values.data[flat], scale),
          active: tap !== undefined,
          current: !scatter && flat === step,
          tap,
          title: `output (${coordinates(rank, [depth, row, column])}) of channel ${channel}: ${formatNumber(values.data[flat])}`,
          step: scatter ? undefined : flat,
        });
      }
      outputs.push({
        title: panelTitle('output', channel, Math.floor(channel / info.outChannelsPerGroup), depth, outSize[0]),
        testId: `output-${channel}${rank === 3 ? `-${depth}` : ''}`,
        rows: outSize[1],
        columns: outSize[2],
        cells,
      });
    }

  let stepLabel: string;
  let dotProduct: string | undefined;
  if (scatter) {
    const at = unflatten(step % inPlane, inSize);
    stepLabel = `input (${Math.floor(step / inPlane)}, ${coordinates(rank, at)}) paints ${painted.length} output cells`;
  } else {
    const at = unflatten(step % outPlane, outSize);
    const reading = current.filter((cell) => cell.reads >= 0);
    const padTaps = current.length - reading.length;
    const where = `output (${Math.floor(step / outPlane)}, ${coordinates(rank, at)})`;
    stepLabel = transposed
      ? `${where} ← ${reading.length} input cells (taps of the rotated kernel over the zero-inserted input)`
      : `${where} ← ${reading.length} taps read the input${padTaps ? `, ${padTaps} read padding (${info.paddingMode === 'zeros' ? 'zeros' : `${info.paddingMode} copies`})` : ''}`;
    if (board.numeric) {
      const terms = current
        .filter((cell) => cell.reads >= 0)
        .map((cell) => `${inputValue(cell.reads)}×${formatNumber(view.weight.data[cell.weight])}`);
      dotProduct = `${where} = ${terms.length ? terms.join(' + ') : '0'} = ${formatNumber(view.output.data[step])}`;
    }
  }
  return { inputs, kernels, outputs, stepLabel, dotProduct, steps };
}
