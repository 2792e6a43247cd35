import type { ConvInfo } from '../shape/types.js';
import { type Geometry3d, geometry3d, weightIndexing } from '../shape/geometry.js';

/**
 * The rows of taps that read real input for one output row `(od, oh)`: the (depth, height) half of
 * the tap walk. The tap maps send a padded read to the element it copies (or to -1 for a zero), so
 * a row is kept when both its depth and height taps land. Rows come in `(td, th)` order, the order
 * the reference loops sum in, so their float64 sums do not depend on this helper.
 */
export interface TapRows {
  /** How many entries the last {@link fillTapRows} wrote. */
  count: number;
  /** `(id * inH + ih) * inW`: where each row starts within one input channel's plane. */
  readonly inputRow: Int32Array;
  /** `(td * kH + th) * kW`: where each row's taps start within one filter channel. */
  readonly tapRow: Int32Array;
}

/** Room for the tap rows of any output row of `geometry` (at most `kD * kH`). */
export function tapRowsFor(geometry: Geometry3d): TapRows {
  const rows = geometry.kernelSize[0] * geometry.kernelSize[1];
  return { count: 0, inputRow: new Int32Array(rows), tapRow: new Int32Array(rows) };
}

/** Writes into `rows` the tap rows of output row `(od, oh)` that read real input; returns their count. */
export function fillTapRows(geometry: Geometry3d, od: number, oh: number, rows: TapRows): number {
  const [mapD, mapH] = geometry.tapMaps;
  const [kD, kH, kW] = geometry.kernelSize;
  const [, inH, inW] = geometry.inSize;
  let count = 0;
  for (let td = 0; td < kD; td++) {
    const id = mapD[od * kD + td];
    if (id < 0) continue;
    for (let th = 0; th < kH; th++) {
      const ih = mapH[oh * kH + th];
      if (ih < 0) continue;
      rows.inputRow[count] = (id * inH + ih) * inW;
      rows.tapRow[count] = (td * kH + th) * kW;
      count++;
    }
  }
  rows.count = count;
  return count;
}

/**
 * One output element of a tap walk and the taps it reads. The record is reused from one output
 * to the next: read it inside the visit, do not keep it.
 */
export interface OutputTaps {
  /** The output's flat index (batch and channel included). */
  output: number;
  /** The output channel, for its bias. */
  outChannel: number;
  /** Where the output's group of input channels starts in the input. */
  inputGroupBase: number;
  /** Where the output channel's filters start in the weight. */
  weightGroupBase: number;
  /** How many taps read real input; the first `count` entries of the two offset arrays. */
  count: number;
  /** Each tap's input element, relative to the start of one input channel's plane. */
  readonly inputOffset: Int32Array;
  /** Each tap's weight element, relative to the start of one filter channel. */
  readonly tapOffset: Int32Array;
  /** Elements between input channels (`inPlane`) and between filter channels within a group. */
  readonly inPlane: number;
  readonly inChannelStride: number;
}

/**
 * The tap walk of the reference loops ({@link directConvolution}, {@link directBackward}, the
 * Toeplitz matrix): every output of `batch` samples in memory order, with the taps that read real
 * input in `(td, th, tw)` order, for conv and transposed conv alike (the tap maps hold the
 * difference). Visiting per output keeps the callback's cost small beside the
 * `inChannelsPerGroup * taps` work each visit does.
 */
export function walkOutputTaps(info: ConvInfo, visit: (at: OutputTaps) => void, batch = info.batch): void {
  const geometry = geometry3d(info);
  const { outSize, kernelSize, inPlane, outPlane, taps, tapMaps } = geometry;
  const mapW = tapMaps[2];
  const [outD, outH, outW] = outSize;
  const kW = kernelSize[2];
  const { weightBase, inChannelStride } = weightIndexing(info, taps);
  const rows = tapRowsFor(geometry);
  const at: OutputTaps = {
    output: 0,
    outChannel: 0,
    inputGroupBase: 0,
    weightGroupBase: 0,
    count: 0,
    inputOffset: new Int32Array(taps),
    tapOffset: new Int32Array(taps),
    inPlane,
    inChannelStride,
  };
  for (let n = 0; n < batch; n++) {
    for (let outChannel = 0; outChannel < info.outChannels; outChannel++) {
      const group = Math.floor(outChannel / info.outChannelsPerGroup);
      at.outChannel = outChannel;
      at.inputGroupBase = (n * info.inChannels + group * info.inChannelsPerGroup) * inPlane;
      at.weightGroupBase = weightBase(outChannel);
      const outputBase = (n * info.outChannels + outChannel) * outPlane;
      for (let od = 0; od < outD; od++) {
        for (let oh = 0; oh < outH; oh++) {
          const rowCount = fillTapRows(geometry, od, oh, rows);
          for (let ow = 0; ow < outW; ow++) {
            let count = 0;
            for (let row = 0; row < rowCount; row++) {
              for (let tw = 0; tw < kW; tw++) {
                const iw = mapW[ow * kW + tw];
                if (iw < 0) continue;
                at.inputOffset[count] = rows.inputRow[row] + iw;
                at.tapOffset[count] = rows.tapRow[row] + tw;
                count++;
              }
            }
            at.count = count;
            at.output = outputBase + (od * outH + oh) * outW + ow;
            visit(at);
          }
        }
      }
    }
  }
}
