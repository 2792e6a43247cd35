import { sizeOf } from '../tensor.js';
import type { ConvInfo } from '../shape/types.js';
import { geometry3d, type Geometry3d } from '../shape/geometry.js';
import { effectiveKernelSize } from '../shape/kernel-extent.js';
import { markPaddingNaNs } from './padding-nans.js';
import { fillTapRows, tapRowsFor } from './tap-walk.js';
import { F32X4_LANES, wasmKernels, type WasmKernels } from './wasm-kernels.js';

/**
 * Floats of the zero-padded input band the SIMD path copies each channel into (8 MiB): a band
 * holds as many input rows as fit, so scratch (the band, the staged input rows and the output
 * rows, at most three bands) stays bounded whatever the image size.
 */
export const DEPTHWISE_BAND_FLOATS = 2 * 1024 * 1024;

/** True for a convolution where every output channel reads exactly one input channel (depthwise, any multiplier). */
export function isDepthwise(info: ConvInfo): boolean {
  return !info.transposed && info.inChannelsPerGroup === 1;
}

/** The band the WebAssembly path convolves: output rows padded to whole vectors, plus the kernel's halo. */
interface BandShape {
  /** v128 vectors (F32X4_LANES outputs each) per output row. */
  readonly vectors: number;
  /** Floats per band row: the padded output row plus the dilated kernel's width less one. */
  readonly bandWidth: number;
  /** Input rows beyond the output rows that a band needs: the dilated kernel's height less one. */
  readonly halo: number;
}

function bandShape(geometry: Geometry3d): BandShape {
  const [, kH, kW] = geometry.kernelSize;
  const [, dilationH, dilationW] = geometry.dilation;
  const vectors = Math.ceil(geometry.outSize[2] / F32X4_LANES);
  return {
    vectors,
    bandWidth: vectors * F32X4_LANES + effectiveKernelSize(kW, dilationW) - 1,
    halo: effectiveKernelSize(kH, dilationH) - 1,
  };
}

/**
 * The banded WebAssembly path applies to 1-D and 2-D depthwise convolutions with stride 1 and
 * zero padding whose one-row band fits the band budget; everything else takes {@link depthwiseRowsScalar}.
 */
function bandedWasmApplies(info: ConvInfo, geometry: Geometry3d): boolean {
  if (info.spatialRank > 2 || info.paddingMode !== 'zeros') return false;
  if (!info.stride.every((step) => step === 1)) return false;
  const { bandWidth, halo } = bandShape(geometry);
  return bandWidth * (halo + 1) <= DEPTHWISE_BAND_FLOATS;
}

/**
 * Depthwise convolution (groups = C_in, any channel multiplier): each output channel is one
 * input channel correlated with one small filter, a memory-bound loop that GEMM handles badly
 * (a 1-row GEMM per channel). Uses SIMD128 over output columns where it applies.
 */
export function depthwiseConv(
  info: ConvInfo,
  input: Float32Array,
  weight: Float32Array,
  bias: Float32Array | undefined,
  into?: Float32Array,
): Float32Array {
  const geometry = geometry3d(info);
  const wasm = wasmKernels();
  // Both paths write every output element, so a buffer handed in needs no zeroing.
  const output = into ?? new Float32Array(sizeOf(info.outputShape));
  if (wasm && bandedWasmApplies(info, geometry)) {
    depthwiseBandedWasm(info, geometry, wasm, { input, weight, bias, output });
  } else depthwiseRowsScalar(info, geometry, { input, weight, bias, output });
  return output;
}

/** The tensors one depthwise call reads, and the output it overwrites whole. */
interface DepthwiseOperands {
  readonly input: Float32Array;
  readonly weight: Float32Array;
  readonly bias: Float32Array | undefined;
  readonly output: Float32Array;
}

/**
 * Stride-1 depthwise on the SIMD128 kernel: per channel, bands of input rows are copied into a
 * zero-padded buffer (so the kernel needs no bounds checks), convolved four columns at a time,
 * and the valid columns copied out.
 */
function depthwiseBandedWasm(
  info: ConvInfo,
  geometry: Geometry3d,
  wasm: WasmKernels,
  { input, weight, bias, output }: DepthwiseOperands,
): void {
  const { inPlane, outPlane, taps } = geometry;
  const [, inH, inW] = geometry.inSize;
  const [, outH, outW] = geometry.outSize;
  const [, kH, kW] = geometry.kernelSize;
  const [, dilationH, dilationW] = geometry.dilation;
  const [, padTop, padLeft] = geometry.padBegin;
  const { vectors, bandWidth, halo } = bandShape(geometry);
  const paddedOutW = vectors * F32X4_LANES;
  const rowsPerBand = Math.max(1, Math.min(outH, Math.floor(DEPTHWISE_BAND_FLOATS / bandWidth) - halo));
  const bandFloats = (rowsPerBand + halo) * bandWidth;
  const outBandFloats = rowsPerBand * paddedOutW;
  // Layout in wasm memory (floats): weights, band, output band, staged input rows.
  const weightsAt = 0;
  const bandAt = Math.ceil(taps / F32X4_LANES) * F32X4_LANES;
  const outAt = bandAt + bandFloats;
  const stagedAt = outAt + outBandFloats;
  const memory = wasm.reserve(stagedAt + (rowsPerBand + halo) * inW);
  const multiplier = info.outChannelsPerGroup;
  // Columns of the band that hold input: band column x is input column x - padLeft.
  const firstColumn = Math.max(0, padLeft);
  const firstInput = Math.max(0, -padLeft);
  const copyWidth = Math.max(0, Math.min(inW - firstInput, bandWidth - firstColumn));
  // The band's padding stays zero between bands that copy the same rows to the same place (every
  // channel of a one-band image): only a band laid out differently from the last one is re-zeroed.
  let zeroedLayout = '';
  for (let n = 0; n < info.batch; n++) {
    for (let outChannel = 0; outChannel < info.outChannels; outChannel++) {
      const inChannel = Math.floor(outChannel / multiplier);
      const inputBase = (n * info.inChannels + inChannel) * inPlane;
      const outputBase = (n * info.outChannels + outChannel) * outPlane;
      for (let tap = 0; tap < taps; tap++) memory[weightsAt + tap] = weight[outChannel * taps + tap];
      const channelBias = bias ? bias[outChannel] : 0;
      for (let oh0 = 0; oh0 < outH; oh0 += rowsPerBand) {
        const rows = Math.min(rowsPerBand, outH - oh0);
        const bandRows = rows + halo;
        const firstRow = Math.max(0, oh0 - padTop);
        const endRow = Math.min(inH, oh0 + bandRows - padTop);
        const bandRow = firstRow - (oh0 - padTop);
        const layout = `${bandRows} ${bandRow} ${endRow - firstRow}`;
        if (layout !== zeroedLayout) {
          memory.fill(0, bandAt, bandAt + bandRows * bandWidth);
          zeroedLayout = layout;
        }
        // The band's input rows are contiguous in the input: one copy into wasm memory, then
        // one memory.copy per row into place (a JS view per row would cost more than the copy).
        if (endRow > firstRow && copyWidth > 0) {
          memory.set(input.subarray(inputBase + firstRow * inW, inputBase + endRow * inW), stagedAt);
          wasm.copyRows(
            { at: stagedAt + firstInput, rowStride: inW },
            { at: bandAt + bandRow * bandWidth + firstColumn, rowStride: bandWidth },
            copyWidth,
            endRow - firstRow,
          );
        }
        wasm.depthwiseRows({
          band: { at: bandAt, rowStride: bandWidth },
          out: { at: outAt, rowStride: paddedOutW },
          rows,
          vectors,
          weights: weightsAt,
          kH,
          kW,
          dilationH,
          dilationW,
          bias: channelBias,
        });
        if (paddedOutW === outW) {
          output.set(memory.subarray(outAt, outAt + rows * outW), outputBase + oh0 * outW);
        } else {
          for (let r = 0; r < rows; r++) {
            const from = outAt + r * paddedOutW;
            output.set(memory.subarray(from, from + outW), outputBase + (oh0 + r) * outW);
          }
        }
      }
    }
  }
}

/**
 * Depthwise convolution in TypeScript for every case (any rank, stride, dilation, padding mode):
 * one output row at a time, accumulated in float64 across the taps that reach it. It skips padding
 * taps, so {@link markPaddingNaNs} then gives non-finite weights over padding PyTorch's NaN (the
 * SIMD path multiplies its zero-padded band and needs no such step).
 */
function depthwiseRowsScalar(
  info: ConvInfo,
  geometry: Geometry3d,
  { input, weight, bias, output }: DepthwiseOperands,
): void {
  const { inPlane, outPlane, taps, tapMaps } = geometry;
  const inW = geometry.inSize[2];
  const [outD, outH, outW] = geometry.outSize;
  const kW = geometry.kernelSize[2];
  const mapW = tapMaps[2];
  const rows = tapRowsFor(geometry);
  const multiplier = info.outChannelsPerGroup;
  const row = new Float64Array(outW);
  const last = info.spatialRank - 1;
  const zeroPadded = info.paddingMode === 'zeros';
  const strideW = info.stride[last];
  const dilationW = info.dilation[last];
  const padLeft = info.padBegin[last];
  for (let n = 0; n < info.batch; n++) {
    for (let outChannel = 0; outChannel < info.outChannels; outChannel++) {
      const inputBase = (n * info.inChannels + Math.floor(outChannel / multiplier)) * inPlane;
      const outputBase = (n * info.outChannels + outChannel) * outPlane;
      const weightBase = outChannel * taps;
      const channelBias = bias ? bias[outChannel] : 0;
      for (let od = 0; od < outD; od++) {
        for (let oh = 0; oh < outH; oh++) {
          row.fill(channelBias);
          const rowCount = fillTapRows(geometry, od, oh, rows);
          for (let tapRow = 0; tapRow < rowCount; tapRow++) {
            const rowBase = inputBase + rows.inputRow[tapRow];
            const tapBase = weightBase + rows.tapRow[tapRow];
            for (let tw = 0; tw < kW; tw++) {
              const tapWeight = weight[tapBase + tw];
              if (zeroPadded) {
                // iw = ow * stride + offset: loop over the columns that read real input only.
                const offset = tw * dilationW - padLeft;
                const first = Math.max(0, Math.ceil(-offset / strideW));
                const end = Math.min(outW, Math.floor((inW - 1 - offset) / strideW) + 1);
                for (let ow = first, at = rowBase + first * strideW + offset; ow < end; ow++, at += strideW) {
                  row[ow] += tapWeight * input[at];
                }
              } else {
                for (let ow = 0, mapAt = tw; ow < outW; ow++, mapAt += kW) {
                  const iw = mapW[mapAt];
                  if (iw >= 0) row[ow] += tapWeight * input[rowBase + iw];
                }
              }
            }
          }
          const target = outputBase + (od * outH + oh) * outW;
          for (let ow = 0; ow < outW; ow++) output[target + ow] = row[ow];
        }
      }
    }
  }
  markPaddingNaNs(info, weight, output);
}
