import type { Geometry3d } from '../shape/geometry.js';
import { type GemmBlock, NR, NR_LANE_MASK, NR_SHIFT, type ScratchRegion } from './gemm-blocked.js';

/**
 * Tile-sized im2col and col2im for the blocked GEMM. Positions are flat indices into the
 * geometry's output grid; a run of consecutive positions is walked row by row (`ow` runs), so the
 * tap maps (and with them padding modes, dilation and stride) are looked up once per run.
 */

/** The innermost (row) axis of a zero-padded convolution, for im2col without tap-map lookups. */
export interface ZeroPaddedAxis {
  readonly stride: number;
  readonly dilation: number;
  readonly padBegin: number;
}

/** A tensor's data with the offset of the sample and group a tile reads or writes. */
export interface ImageRef {
  readonly data: Float32Array;
  readonly offset: number;
}

/** Where packed position `position` of the B row starting at `rowDst` lives (see {@link GemmProblem.packB}). */
function packedAt(rowDst: number, panelStride: number, position: number): number {
  return rowDst + (position >> NR_SHIFT) * panelStride + (position & NR_LANE_MASK);
}

/** Zeros packed positions `[from, to)` of one B row. */
function zeroPacked(dst: Float32Array, rowDst: number, panelStride: number, from: number, to: number): void {
  for (let p = from; p < to; ) {
    const panelEnd = Math.min(to, (p | NR_LANE_MASK) + 1);
    for (let at = packedAt(rowDst, panelStride, p); p < panelEnd; p++, at++) dst[at] = 0;
  }
}

/** The (od, oh, ow) grid coordinates of flat output position `position`. */
function gridPosition(position: number, outH: number, outW: number): [number, number, number] {
  return [Math.floor(position / (outW * outH)), Math.floor(position / outW) % outH, position % outW];
}

/** The input channel and kernel tap (td, th, tw) that a row of the unfolded matrix holds (row = channel * taps + tap). */
function rowTap(row: number, taps: number, kH: number, kW: number): [number, number, number, number] {
  const planeTaps = kH * kW;
  const channel = Math.floor(row / taps);
  const tap = row - channel * taps;
  const td = Math.floor(tap / planeTaps);
  const th = Math.floor((tap - td * planeTaps) / kW);
  return [channel, td, th, tap - td * planeTaps - th * kW];
}

/**
 * Visits the runs of flat output positions `[col0, col0 + count)` along the row (`ow`) axis, for
 * kernel taps td and th: `visit(done, run, ow, id, ih)` covers positions `done .. done + run - 1`
 * of the range, which start at column ow and read input depth id and row ih (negative: padding).
 */
function forEachRowRun(
  geometry: Geometry3d,
  col0: number,
  count: number,
  td: number,
  th: number,
  visit: (done: number, run: number, ow: number, id: number, ih: number) => void,
): void {
  const [, outH, outW] = geometry.outSize;
  const [kD, kH] = geometry.kernelSize;
  const [mapD, mapH] = geometry.tapMaps;
  let [od, oh, ow] = gridPosition(col0, outH, outW);
  for (let done = 0; done < count; ) {
    const run = Math.min(outW - ow, count - done);
    visit(done, run, ow, mapD[od * kD + td], mapH[oh * kH + th]);
    done += run;
    ow = 0;
    if (++oh === outH) {
      oh = 0;
      od++;
    }
  }
}

/**
 * im2col restricted to rows `[k0, k0 + kc)` (row = channel * taps + tap) and output positions
 * `[col0, col0 + cols)`, written straight into the packed B layout of {@link GemmProblem.packB}.
 */
export function packIm2colTile(
  geometry: Geometry3d,
  image: ImageRef,
  target: ScratchRegion,
  block: GemmBlock,
  rowAxis: ZeroPaddedAxis | null = null,
): void {
  const { data: input, offset: inputOffset } = image;
  const { memory: dst, offset, stride: panelStride } = target;
  const { k0, kc, col0, cols } = block;
  const { inSize, kernelSize, inPlane, taps, tapMaps } = geometry;
  const [, inH, inW] = inSize;
  const [, kH, kW] = kernelSize;
  const mapW = tapMaps[2];
  // Stepping from the last lane of a panel to the first lane of the next one.
  const nextPanelStep = panelStride - NR_LANE_MASK;
  for (let inner = 0; inner < kc; inner++) {
    const [channel, td, th, tw] = rowTap(k0 + inner, taps, kH, kW);
    const channelBase = inputOffset + channel * inPlane;
    const rowDst = offset + inner * NR;
    // With zero padding along the row, the output columns [owFirst, owEnd) read real input.
    const step = rowAxis ? rowAxis.stride : 1;
    const rowOffset = rowAxis ? tw * rowAxis.dilation - rowAxis.padBegin : 0;
    const owFirst = Math.max(0, Math.ceil(-rowOffset / step));
    const owEnd = Math.floor((inW - 1 - rowOffset) / step) + 1;
    forEachRowRun(geometry, col0, cols, td, th, (done, run, ow, id, ih) => {
      if (id < 0 || ih < 0) {
        zeroPacked(dst, rowDst, panelStride, done, done + run);
      } else if (rowAxis) {
        // Zero padding along the row: iw = ow * stride + offset is affine, so the run splits into
        // zeros, one strided copy, zeros, with no per-element map lookups or branches.
        const validFrom = Math.min(Math.max(ow, owFirst), ow + run);
        const validTo = Math.max(validFrom, Math.min(ow + run, owEnd));
        let p = done;
        let at = packedAt(rowDst, panelStride, p);
        for (let w = ow; w < validFrom; w++, p++) {
          dst[at] = 0;
          at = (p & NR_LANE_MASK) === NR_LANE_MASK ? at + nextPanelStep : at + 1;
        }
        let source = channelBase + (id * inH + ih) * inW + validFrom * step + rowOffset;
        for (let w = validFrom; w < validTo; w++, p++, source += step) {
          dst[at] = input[source];
          at = (p & NR_LANE_MASK) === NR_LANE_MASK ? at + nextPanelStep : at + 1;
        }
        for (let w = validTo; w < ow + run; w++, p++) {
          dst[at] = 0;
          at = (p & NR_LANE_MASK) === NR_LANE_MASK ? at + nextPanelStep : at + 1;
        }
      } else {
        const rowBase = channelBase + (id * inH + ih) * inW;
        let mapAt = ow * kW + tw;
        for (let p = done; p < done + run; p++, mapAt += kW) {
          const iw = mapW[mapAt];
          dst[packedAt(rowDst, panelStride, p)] = iw >= 0 ? input[rowBase + iw] : 0;
        }
      }
    });
  }
}

/**
 * col2im restricted to a block of the column matrix: adds `source.memory[offset + r * stride + p]`
 * for the block's rows (row = channel * taps + tap) and positions onto the image positions they
 * were read from. `geometry` is the convolution whose input is the image.
 */
export function col2imTile(geometry: Geometry3d, source: ScratchRegion, block: GemmBlock, target: ImageRef): void {
  const { memory: cols, offset, stride: ldc } = source;
  const { row0, rows, col0, cols: count } = block;
  const { data: image, offset: imageOffset } = target;
  const { inSize, kernelSize, inPlane, taps, tapMaps } = geometry;
  const [, inH, inW] = inSize;
  const [, kH, kW] = kernelSize;
  const mapW = tapMaps[2];
  for (let r = 0; r < rows; r++) {
    const [channel, td, th, tw] = rowTap(row0 + r, taps, kH, kW);
    const channelBase = imageOffset + channel * inPlane;
    const rowSource = offset + r * ldc;
    forEachRowRun(geometry, col0, count, td, th, (done, run, ow, id, ih) => {
      if (id >= 0 && ih >= 0) {
        const rowBase = channelBase + (id * inH + ih) * inW;
        let mapAt = ow * kW + tw;
        for (let p = done; p < done + run; p++, mapAt += kW) {
          const iw = mapW[mapAt];
          if (iw >= 0) image[rowBase + iw] += cols[rowSource + p];
        }
      }
    });
  }
}
