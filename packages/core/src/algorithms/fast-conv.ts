import { sizeOf } from '../tensor.js';
import type { ConvInfo } from '../shape/types.js';
import { geometry3d, type Geometry3d } from '../shape/geometry.js';
import { blockedGemm, packRowMajorB, packStridedA } from './gemm-blocked.js';
import { packIm2colTile } from './tiles.js';
import { wasmKernels } from './wasm-kernels.js';
import { planarGeometry, rowMajorGeometry, wasmPackB } from './wasm-packing.js';

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
  const planar = pointwise ? rowMajorGeometry(inPlane) : planarGeometry(info, geometry);
  const rowsPerGroup = info.outChannelsPerGroup;
  const depth = info.inChannelsPerGroup * taps;
  for (let n = 0; n < info.batch; n++) {
    for (let group = 0; group < info.groups; group++) {
      const inputOffset = (n * info.inChannels + group * info.inChannelsPerGroup) * inPlane;
      const weightOffset = group * rowsPerGroup * depth;
      const firstChannel = group * rowsPerGroup;
      const outputOffset = (n * info.outChannels + firstChannel) * outPlane;
      blockedGemm({
        m: rowsPerGroup,
        n: outPlane,
        k: depth,
        packA: (dst, offset, panelStride, row0, rows, k0, kc) =>
          packStridedA(weight, weightOffset, depth, 1, dst, offset, panelStride, row0, rows, k0, kc),
        // B packs in WebAssembly from a staged copy of the group's input where it can, else here.
        ...((wasm && planar && wasmPackB(wasm, planar, input, inputOffset, info.inChannelsPerGroup)) || {
          packB: pointwise
            ? (dst: Float32Array, offset: number, k0: number, kc: number, col0: number, cols: number) =>
                packRowMajorB(input, inputOffset, inPlane, dst, offset, k0, kc, col0, cols)
            : (dst: Float32Array, offset: number, k0: number, kc: number, col0: number, cols: number) =>
                packIm2colTile(geometry, input, inputOffset, dst, offset, k0, kc, col0, cols, rowAxis),
        }),
        storeC: (c, offset, ldc, row0, rows, col0, cols) => {
          for (let r = 0; r < rows; r++) {
            const channelBias = bias ? bias[firstChannel + row0 + r] : 0;
            const source = offset + r * ldc;
            const target = outputOffset + (row0 + r) * outPlane + col0;
            for (let p = 0; p < cols; p++) output[target + p] = c[source + p] + channelBias;
          }
        },
      });
    }
  }
  return output;
}
