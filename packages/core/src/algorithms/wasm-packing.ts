import type { ConvInfo } from '../shape/types.js';
import { type GemmProblem, NR } from './gemm-blocked.js';
import type { Geometry3d } from '../shape/geometry.js';
import type { PlanarGeometry, WasmKernels } from './wasm-kernels.js';

export type { PlanarGeometry } from './wasm-kernels.js';

/**
 * Floats of input a GEMM may copy into WebAssembly memory so that im2col runs there (32 MiB).
 * With the packed operands (see gemm-blocked.ts) scratch stays under 64 MiB; a larger input
 * packs in TypeScript instead.
 */
export const STAGE_FLOATS = 8 * 1024 * 1024;

/** Zeros copied in by {@link zeroFloats}, allocated on first use. */
let zeros: Float32Array | null = null;

/**
 * Zeroes `memory[from, to)`. On a SharedArrayBuffer (the thread pool's memory) V8's TypedArray
 * fill stores element by element: about 0.8 ms for W1b16's 13.6 MB of padded input, against
 * 0.45 ms to copy zeros in and 0.12 ms to fill plain memory; so shared memory gets the copy.
 */
export function zeroFloats(memory: Float32Array, from: number, to: number): void {
  if (typeof SharedArrayBuffer !== 'function' || !(memory.buffer instanceof SharedArrayBuffer)) {
    memory.fill(0, from, to);
    return;
  }
  zeros ??= new Float32Array(1 << 16);
  for (let at = from; at < to; at += zeros.length) memory.set(zeros.subarray(0, Math.min(zeros.length, to - at)), at);
}

/**
 * A zero-padded 1-D or 2-D convolution seen by `im2col_packed`, or null where it does not apply.
 * Every number is read from the shape record's 3-D view (height and width are its last two axes).
 */
export function planarGeometry(info: ConvInfo, geometry: Geometry3d): PlanarGeometry | null {
  if (info.transposed || info.paddingMode !== 'zeros' || info.spatialRank > 2) return null;
  const { inSize, outSize, kernelSize, stride, dilation, padBegin } = geometry;
  return {
    inH: inSize[1],
    inW: inSize[2],
    outW: outSize[2],
    kH: kernelSize[1],
    kW: kernelSize[2],
    strideH: stride[1],
    strideW: stride[2],
    dilationH: dilation[1],
    dilationW: dilation[2],
    padTop: padBegin[1],
    padLeft: padBegin[2],
  };
}

/**
 * The GemmProblem fields that copy `channels` input planes into WebAssembly memory once and then
 * pack every B tile there with `im2col_packed`; null when the input is larger than STAGE_FLOATS.
 */
export function stagedWasmIm2col(
  wasm: WasmKernels,
  planar: PlanarGeometry,
  input: Float32Array,
  inputOffset: number,
  channels: number,
): Pick<GemmProblem, 'stageFloats' | 'stage' | 'packB'> | null {
  const floats = channels * planar.inH * planar.inW;
  if (floats > STAGE_FLOATS) return null;
  let stagedAt = 0;
  return {
    stageFloats: floats,
    stage(memory, offset) {
      stagedAt = offset;
      memory.set(input.subarray(inputOffset, inputOffset + floats), offset);
    },
    packB: (target, block) => wasm.im2colPacked(planar, stagedAt, target.offset, block),
  };
}

/** The row table of a row-major B read in place: row k starts `k * rowLength` floats in. */
export function rowMajorOffsets(rows: number, rowLength: number): Int32Array {
  return Int32Array.from({ length: rows }, (_, row) => row * rowLength);
}

/**
 * The GemmProblem fields that copy a row-major B (`rows` rows of `rowLength` floats: a pointwise
 * convolution's input planes, or a transposed convolution's) into WebAssembly memory once for the
 * microkernel to read in place; null when it is larger than STAGE_FLOATS.
 */
export function stagedRowMajorB(
  input: Float32Array,
  inputOffset: number,
  rows: number,
  rowLength: number,
): Pick<GemmProblem, 'stageFloats' | 'stage' | 'stagedB'> | null {
  const floats = rows * rowLength;
  if (floats > STAGE_FLOATS) return null;
  return {
    // NR - 1 floats past B: the last partial panel's loads (into columns that are never stored).
    stageFloats: floats + NR,
    stage(memory, offset) {
      memory.set(input.subarray(inputOffset, inputOffset + floats), offset);
    },
    stagedB: { rowOffsets: rowMajorOffsets(rows, rowLength) },
  };
}

/**
 * A stride-1, zero-padded 1-D or 2-D convolution seen as a GEMM over the rows of its zero-padded
 * input: output position (oh, ow) becomes column `oh * paddedW + ow`, and inner index
 * (channel, th, tw) reads the input window shifted by `th * dilationH * paddedW + tw * dilationW`,
 * so B is the padded input itself and nothing is unfolded. Columns with `ow >= outW` are computed
 * and dropped (`paddedW - outW` of every `paddedW`).
 */
export interface WindowedGeometry {
  readonly inH: number;
  readonly inW: number;
  readonly paddedW: number;
  /** Floats of one zero-padded channel plane. */
  readonly paddedPlane: number;
  readonly outW: number;
  /** GEMM columns: `outH * paddedW`. */
  readonly positions: number;
  /** Where the first input element sits in a padded plane. */
  readonly inputAt: number;
  /** Per inner index (channel * taps + th * kW + tw), where its window starts in the padded planes. */
  readonly rowOffsets: Int32Array;
}

/** Dropped columns this fraction of the kept ones or fewer: above it, im2col packing is cheaper. */
const MAX_DROPPED_COLUMNS = 0.25;

/** The windowed view of a convolution (`channels` input channels per GEMM), or null where it does not apply or would waste too much. */
export function windowedGeometry(info: ConvInfo, geometry: Geometry3d, channels: number): WindowedGeometry | null {
  if (info.transposed || info.paddingMode !== 'zeros' || info.spatialRank > 2) return null;
  if (!info.stride.every((step) => step === 1)) return null;
  if (![...info.padBegin, ...info.padEnd].every((pad) => pad >= 0)) return null;
  const [, inH, inW] = geometry.inSize;
  const [, outH, outW] = geometry.outSize;
  const [, kH, kW] = geometry.kernelSize;
  const [, dilationH, dilationW] = geometry.dilation;
  const [, padTop, padLeft] = geometry.padBegin;
  // The record's padEnd has one entry per spatial dim: H's is absent in 1-D.
  const last = info.spatialRank - 1;
  const paddedH = inH + (info.spatialRank === 2 ? padTop + info.padEnd[0] : 0);
  const paddedW = inW + padLeft + info.padEnd[last];
  if (paddedW - outW > MAX_DROPPED_COLUMNS * outW) return null;
  const paddedPlane = paddedH * paddedW;
  const { taps } = geometry;
  const rowOffsets = new Int32Array(channels * taps);
  for (let channel = 0; channel < channels; channel++) {
    for (let th = 0; th < kH; th++) {
      for (let tw = 0; tw < kW; tw++) {
        rowOffsets[channel * taps + th * kW + tw] = channel * paddedPlane + th * dilationH * paddedW + tw * dilationW;
      }
    }
  }
  const inputAt = padTop * paddedW + padLeft;
  const windowed = { inH, inW, paddedW, paddedPlane, outW, positions: outH * paddedW, inputAt, rowOffsets };
  // Too large to stage: im2col packing, which stages nothing padded (or packs in TypeScript).
  return windowedStageFloats(windowed, channels, 1) <= STAGE_FLOATS ? windowed : null;
}

/** Floats that {@link stageWindowed} fills for `gemms` GEMMs of `channels` channels each, staged one after another. */
export function windowedStageFloats(windowed: WindowedGeometry, channels: number, gemms: number): number {
  // The padded planes, NR floats that the last partial panel reads, and room for one GEMM's raw input.
  return gemms * channels * windowed.paddedPlane + NR + channels * windowed.inH * windowed.inW;
}

/**
 * Stages one GEMM's `channels` input planes (starting at `inputOffset` in `input`) zero-padded at
 * `offset`: the raw planes are copied in whole just past the padded ones (where the next GEMM's
 * planes go: stage GEMMs in order), then moved row by row into place in WebAssembly (one JS view
 * per row would cost more than the copy).
 */
export function stageWindowed(
  wasm: WasmKernels,
  memory: Float32Array,
  offset: number,
  windowed: WindowedGeometry,
  input: Float32Array,
  inputOffset: number,
  channels: number,
): void {
  const { inH, inW, paddedW, paddedPlane, inputAt } = windowed;
  const rawAt = offset + channels * paddedPlane + NR;
  const inPlane = inH * inW;
  zeroFloats(memory, offset, rawAt);
  memory.set(input.subarray(inputOffset, inputOffset + channels * inPlane), rawAt);
  for (let channel = 0; channel < channels; channel++) {
    wasm.copyRows(
      { at: rawAt + channel * inPlane, rowStride: inW },
      { at: offset + channel * paddedPlane + inputAt, rowStride: paddedW },
      inW,
      inH,
    );
  }
}

/** The GemmProblem fields that stage one GEMM's input zero-padded for a windowed B (see {@link WindowedGeometry}). */
export function stagedWindowedB(
  wasm: WasmKernels,
  windowed: WindowedGeometry,
  input: Float32Array,
  inputOffset: number,
  channels: number,
): Pick<GemmProblem, 'stageFloats' | 'stage' | 'stagedB'> {
  return {
    stageFloats: windowedStageFloats(windowed, channels, 1),
    stage: (memory, offset) => stageWindowed(wasm, memory, offset, windowed, input, inputOffset, channels),
    stagedB: { rowOffsets: windowed.rowOffsets },
  };
}
