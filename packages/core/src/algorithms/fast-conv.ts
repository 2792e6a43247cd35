import { sizeOf } from '../tensor.js';
import type { ConvInfo } from '../shape/types.js';
import { geometry3d, type Geometry3d } from './geometry.js';
import { blockedGemm, type GemmBlock, packRowMajorB, packStridedA, type ScratchRegion } from './gemm-blocked.js';
import { packIm2colTile } from './tiles.js';
import { runOnActivePool } from './thread-pool.js';
import { wasmKernels } from './wasm-kernels.js';
import { planarGeometry, stagedRowMajorB, stagedWasmIm2col } from './wasm-packing.js';

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
 * where `cols_g` is never built whole: the GEMM asks for it a `KC x NC` tile at a time (im2col
 * straight into the packed layout), so scratch stays bounded. A pointwise convolution packs its
 * input rows directly: there is nothing to unfold.
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
  const planar = pointwise ? null : planarGeometry(info, geometry);
  const rowsPerGroup = info.outChannelsPerGroup;
  const depth = info.inChannelsPerGroup * taps;
  const inputOffsetOf = (n: number, group: number) => (n * info.inChannels + group * info.inChannelsPerGroup) * inPlane;
  const packA = (group: number) => (target: ScratchRegion, block: GemmBlock) =>
    packStridedA(
      { data: weight, offset: group * rowsPerGroup * depth, rowStride: depth, innerStride: 1 },
      target,
      block,
    );
  const storeC =
    (n: number, group: number) =>
    ({ memory: c, offset, stride: ldc }: ScratchRegion, { row0, rows, col0, cols }: GemmBlock) => {
      const firstChannel = group * rowsPerGroup;
      const outputOffset = (n * info.outChannels + firstChannel) * outPlane;
      for (let r = 0; r < rows; r++) {
        const channelBias = bias ? bias[firstChannel + row0 + r] : 0;
        const source = offset + r * ldc;
        const target = outputOffset + (row0 + r) * outPlane + col0;
        for (let p = 0; p < cols; p++) output[target + p] = c[source + p] + channelBias;
      }
    };
  const { groups } = info;
  // Inside a thread pool's run, the (sample, group) GEMMs split over its threads where they fit.
  const threaded =
    wasm &&
    (pointwise || planar) &&
    runOnActivePool({
      count: info.batch * groups,
      m: rowsPerGroup,
      n: outPlane,
      k: depth,
      aCount: groups,
      aOf: (index) => index % groups,
      packA: (group, target) =>
        packA(group)(target, { row0: 0, rows: rowsPerGroup, k0: 0, kc: depth, col0: 0, cols: 0 }),
      source: input,
      stageFloats: info.batch * info.inChannels * inPlane,
      stageOffset: (index) => inputOffsetOf(Math.floor(index / groups), index % groups),
      b: planar ? { planar } : { rowStride: inPlane },
      storeC: (index, source, block) => storeC(Math.floor(index / groups), index % groups)(source, block),
    });
  if (threaded) return output;
  for (let n = 0; n < info.batch; n++) {
    for (let group = 0; group < groups; group++) {
      const inputOffset = inputOffsetOf(n, group);
      const image = { data: input, offset: inputOffset };
      blockedGemm({
        m: rowsPerGroup,
        n: outPlane,
        k: depth,
        packA: packA(group),
        // In WebAssembly memory a pointwise B is the staged input itself (a straight GEMM on the
        // NCHW planes) and any other B packs there from a staged copy; else B packs here.
        ...((wasm && pointwise && stagedRowMajorB(input, inputOffset, info.inChannelsPerGroup, inPlane)) ||
          (wasm && planar && stagedWasmIm2col(wasm, planar, input, inputOffset, info.inChannelsPerGroup)) || {
            packB: pointwise
              ? (target: ScratchRegion, block: GemmBlock) =>
                  packRowMajorB({ data: input, offset: inputOffset, rowStride: inPlane, innerStride: 1 }, target, block)
              : (target: ScratchRegion, block: GemmBlock) => packIm2colTile(geometry, image, target, block, rowAxis),
          }),
        storeC: storeC(n, group),
      });
    }
  }
  return output;
}
