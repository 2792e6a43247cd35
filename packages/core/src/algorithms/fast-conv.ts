import { sizeOf } from '../tensor.js';
import type { ConvInfo } from '../shape/types.js';
import { geometry3d, type Geometry3d } from '../shape/geometry.js';
import {
  blockedGemm,
  type GemmBlock,
  type GemmOutput,
  packRowMajorB,
  packStridedA,
  type ScratchRegion,
} from './gemm-blocked.js';
import { packIm2colTile } from './tiles.js';
import { runOnActivePool } from './thread-pool.js';
import { type WasmKernels, wasmKernels } from './wasm-kernels.js';
import {
  planarGeometry,
  rowMajorOffsets,
  stagedRowMajorB,
  stagedWasmIm2col,
  stagedWindowedB,
  stageWindowed,
  windowedGeometry,
  windowedStageFloats,
} from './wasm-packing.js';

/** True when im2col is the identity: 1x1 kernel, stride 1, no padding (a pointwise convolution). */
export function isPointwise(info: ConvInfo, geometry: Geometry3d): boolean {
  return (
    geometry.taps === 1 &&
    geometry.inPlane === geometry.outPlane &&
    info.stride.every((step) => step === 1) &&
    info.padBegin.every((pad) => pad === 0)
  );
}

/**
 * Convolution as a blocked GEMM per sample and group, `out_g [C_out/g, L] = W_g [C_out/g, C_in/g * K] @ cols_g`,
 * where `cols_g` is never built whole. On the WebAssembly kernels a pointwise convolution's B is
 * its staged NCHW input, a stride-1 zero-padded one's B is shifted windows of its zero-padded
 * input (wasm-packing.ts: nothing unfolded), and any other packs B tile by tile with im2col in
 * WebAssembly; elsewhere im2col runs in TypeScript a `KC x NC` tile at a time, so scratch stays bounded.
 */
export function fastConv(
  info: ConvInfo,
  input: Float32Array,
  weight: Float32Array,
  bias: Float32Array | undefined,
): Float32Array {
  const geometry = geometry3d(info);
  const { inPlane, outPlane, taps } = geometry;
  const pointwise = isPointwise(info, geometry);
  const last = info.spatialRank - 1;
  const rowAxis =
    info.paddingMode === 'zeros'
      ? { stride: info.stride[last], dilation: info.dilation[last], padBegin: info.padBegin[last] }
      : null;
  const output = new Float32Array(sizeOf(info.outputShape));
  const wasm = wasmKernels();
  const channels = info.inChannelsPerGroup;
  const windowed = wasm && !pointwise ? windowedGeometry(info, geometry, channels) : null;
  const planar = pointwise || windowed ? null : planarGeometry(info, geometry);
  const rowsPerGroup = info.outChannelsPerGroup;
  const depth = channels * taps;
  // GEMM columns: output positions, or (windowed) positions of the padded rows, some dropped.
  const columns = windowed ? windowed.positions : outPlane;
  const inputOffsetOf = (n: number, group: number) => (n * info.inChannels + group * channels) * inPlane;
  // A_g, row-major: group g's weights follow group g - 1's.
  const weights = { data: weight, offset: 0, stride: rowsPerGroup * depth, rowStride: depth, innerStride: 1 };
  const packA = (group: number) => (target: ScratchRegion, block: GemmBlock) =>
    packStridedA({ ...weights, offset: group * weights.stride }, target, block);
  const storeC =
    (n: number, group: number) =>
    ({ memory: c, offset, stride: ldc }: ScratchRegion, { row0, rows, col0, cols }: GemmBlock) => {
      const firstChannel = group * rowsPerGroup;
      const outputOffset = (n * info.outChannels + firstChannel) * outPlane;
      for (let r = 0; r < rows; r++) {
        const channelBias = bias ? bias[firstChannel + row0 + r] : 0;
        const source = offset + r * ldc - col0;
        const target = outputOffset + (row0 + r) * outPlane;
        if (!windowed) {
          for (let p = col0; p < col0 + cols; p++) output[target + p] = c[source + p] + channelBias;
          continue;
        }
        // Column q is output (oh, ow) = (q / paddedW, q % paddedW), kept where ow < outW.
        const { paddedW, outW } = windowed;
        for (let q = col0; q < col0 + cols; ) {
          const oh = Math.floor(q / paddedW);
          const rowStart = oh * paddedW;
          const keptEnd = Math.min(col0 + cols, rowStart + outW);
          const shift = target + oh * outW - rowStart;
          for (; q < keptEnd; q++) output[shift + q] = c[source + q] + channelBias;
          q = Math.max(q, rowStart + paddedW);
        }
      }
    };
  // Output rows of (sample, group) GEMMs follow each other: GEMM i's start at i * rowsPerGroup * outPlane.
  const outputOf = (n: number, group: number): GemmOutput => ({
    data: output,
    offset: (n * info.outChannels + group * rowsPerGroup) * outPlane,
    plane: outPlane,
    bias,
    biasOffset: group * rowsPerGroup,
    lineIn: windowed ? windowed.paddedW : columns,
    lineOut: windowed ? windowed.outW : columns,
  });
  const { groups } = info;
  const gemms = info.batch * groups;
  const stageOne = (kernels: WasmKernels, memory: Float32Array, offset: number, index: number) => {
    const inputOffset = inputOffsetOf(Math.floor(index / groups), index % groups);
    if (windowed) {
      const at = offset + index * channels * windowed.paddedPlane;
      stageWindowed(kernels, memory, at, windowed, input, inputOffset, channels);
    } else memory.set(input.subarray(inputOffset, inputOffset + channels * inPlane), offset + inputOffset);
  };
  // Inside a thread pool's run, the (sample, group) GEMMs split over its threads where they fit.
  const threaded =
    wasm &&
    (pointwise || windowed || planar) &&
    runOnActivePool({
      count: gemms,
      m: rowsPerGroup,
      n: columns,
      k: depth,
      aCount: groups,
      aOf: (index) => index % groups,
      a: weights,
      stageFloats: windowed ? windowedStageFloats(windowed, channels, gemms) : info.batch * info.inChannels * inPlane,
      stage: stageOne,
      stageOffset: (index) =>
        windowed ? index * channels * windowed.paddedPlane : inputOffsetOf(Math.floor(index / groups), index % groups),
      b: planar ? { planar } : { rowOffsets: windowed ? windowed.rowOffsets : rowMajorOffsets(channels, inPlane) },
      storeC: (index, source, block) => storeC(Math.floor(index / groups), index % groups)(source, block),
      output: outputOf(0, 0),
    });
  if (threaded) return output;
  for (let n = 0; n < info.batch; n++) {
    for (let group = 0; group < groups; group++) {
      const inputOffset = inputOffsetOf(n, group);
      const image = { data: input, offset: inputOffset };
      const windowedB = wasm && windowed && stagedWindowedB(wasm, windowed, input, inputOffset, channels);
      blockedGemm({
        m: rowsPerGroup,
        n: columns,
        k: depth,
        packA: packA(group),
        // In WebAssembly memory B is read in place (pointwise: the staged input; windowed: the
        // padded input) or packs there from a staged copy; else B packs here.
        ...((wasm && pointwise && stagedRowMajorB(input, inputOffset, channels, inPlane)) ||
          windowedB ||
          (wasm && planar && stagedWasmIm2col(wasm, planar, input, inputOffset, channels)) || {
            packB: pointwise
              ? (target: ScratchRegion, block: GemmBlock) =>
                  packRowMajorB({ data: input, offset: inputOffset, rowStride: inPlane, innerStride: 1 }, target, block)
              : (target: ScratchRegion, block: GemmBlock) => packIm2colTile(geometry, image, target, block, rowAxis),
          }),
        storeC: storeC(n, group),
        output: outputOf(n, group),
      });
    }
  }
  return output;
}
