import { sizeOf } from '../tensor.js';
import type { ConvInfo } from '../shape/types.js';
import { adjointGeometry } from '../shape/adjoint.js';
import { geometry3d } from '../shape/geometry.js';
import { blockedGemm, packRowMajorB, packStridedA } from './gemm-blocked.js';
import { col2imTile } from './tiles.js';
import { wasmKernels } from './wasm-kernels.js';
import { rowMajorGeometry, wasmPackB } from './wasm-packing.js';

/**
 * Transposed convolution as a blocked GEMM + col2im per sample and group:
 * `cols_g [C_out/g * K, L_in] = W_g^T @ x_g [C_in/g, L_in]`, each finished block of `cols_g`
 * added at once onto the output positions it touches (col2im of the convolution whose adjoint
 * this is), so the full column matrix never exists.
 */
export function fastConvTranspose(
  info: ConvInfo,
  input: Float32Array,
  weight: Float32Array,
  bias: Float32Array | undefined,
): Float32Array {
  const geometry = geometry3d(adjointGeometry(info));
  // The adjoint convolution reads the transposed output and writes the transposed input.
  const { inPlane: outPlane, outPlane: inPlane, taps } = geometry;
  const output = new Float32Array(sizeOf(info.outputShape));
  const rows = info.outChannelsPerGroup * taps;
  const wasm = wasmKernels();
  for (let n = 0; n < info.batch; n++) {
    for (let group = 0; group < info.groups; group++) {
      const inputOffset = (n * info.inChannels + group * info.inChannelsPerGroup) * inPlane;
      const weightOffset = group * info.inChannelsPerGroup * rows;
      const outputOffset = (n * info.outChannels + group * info.outChannelsPerGroup) * outPlane;
      blockedGemm({
        m: rows,
        n: inPlane,
        k: info.inChannelsPerGroup,
        // A = W_g^T: element (row, inChannel) sits at weight[weightOffset + inChannel * rows + row].
        packA: (dst, offset, panelStride, row0, count, k0, kc) =>
          packStridedA(weight, weightOffset, 1, rows, dst, offset, panelStride, row0, count, k0, kc),
        ...((wasm && wasmPackB(wasm, rowMajorGeometry(inPlane), input, inputOffset, info.inChannelsPerGroup)) || {
          packB: (dst: Float32Array, offset: number, k0: number, kc: number, col0: number, cols: number) =>
            packRowMajorB(input, inputOffset, inPlane, dst, offset, k0, kc, col0, cols),
        }),
        storeC: (c, offset, ldc, row0, count, col0, cols) =>
          col2imTile(geometry, c, offset, ldc, row0, count, col0, cols, output, outputOffset),
      });
    }
  }
  if (bias) {
    for (let n = 0; n < info.batch; n++) {
      for (let channel = 0; channel < info.outChannels; channel++) {
        const base = (n * info.outChannels + channel) * outPlane;
        const channelBias = bias[channel];
        for (let position = 0; position < outPlane; position++) output[base + position] += channelBias;
      }
    }
  }
  return output;
}
