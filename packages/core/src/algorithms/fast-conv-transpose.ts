import { sizeOf } from '../tensor.js';
import type { ConvInfo } from '../shape/types.js';
import { adjointGeometry } from '../shape/adjoint.js';
import { geometry3d } from '../shape/geometry.js';
import { blockedGemm, type GemmBlock, packRowMajorB, packStridedA, type ScratchRegion } from './gemm-blocked.js';
import { col2imTile } from './tiles.js';
import { runOnActivePool } from './thread-pool.js';
import { wasmKernels } from './wasm-kernels.js';
import { rowMajorOffsets, stagedRowMajorB } from './wasm-packing.js';

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
  const { groups } = info;
  const inputOffsetOf = (n: number, group: number) => (n * info.inChannels + group * info.inChannelsPerGroup) * inPlane;
  // A = W_g^T: element (row, inChannel) sits at weight[group * C_in/g * rows + inChannel * rows + row].
  const weights = { data: weight, offset: 0, stride: info.inChannelsPerGroup * rows, rowStride: 1, innerStride: rows };
  const packA = (group: number) => (target: ScratchRegion, block: GemmBlock) =>
    packStridedA({ ...weights, offset: group * weights.stride }, target, block);
  const imageOf = (n: number, group: number) => ({
    data: output,
    offset: (n * info.outChannels + group * info.outChannelsPerGroup) * outPlane,
  });
  // Inside a thread pool's run, the (sample, group) GEMMs split over its threads; col2im stays here.
  const threaded =
    wasm &&
    runOnActivePool({
      count: info.batch * groups,
      m: rows,
      n: inPlane,
      k: info.inChannelsPerGroup,
      aCount: groups,
      aOf: (index) => index % groups,
      a: weights,
      stageFloats: info.batch * info.inChannels * inPlane,
      stage: (_kernels, memory, offset, index) => {
        const inputOffset = inputOffsetOf(Math.floor(index / groups), index % groups);
        memory.set(input.subarray(inputOffset, inputOffset + info.inChannelsPerGroup * inPlane), offset + inputOffset);
      },
      stageOffset: (index) => inputOffsetOf(Math.floor(index / groups), index % groups),
      b: { rowOffsets: rowMajorOffsets(info.inChannelsPerGroup, inPlane) },
      storeC: (index, source, block) =>
        col2imTile(geometry, source, block, imageOf(Math.floor(index / groups), index % groups)),
    });
  for (let n = 0; n < info.batch && !threaded; n++) {
    for (let group = 0; group < groups; group++) {
      const inputOffset = inputOffsetOf(n, group);
      const staged = wasm && stagedRowMajorB(input, inputOffset, info.inChannelsPerGroup, inPlane);
      const image = imageOf(n, group);
      blockedGemm({
        m: rows,
        n: inPlane,
        k: info.inChannelsPerGroup,
        packA: packA(group),
        ...(staged || {
          packB: (target: ScratchRegion, block: GemmBlock) =>
            packRowMajorB({ data: input, offset: inputOffset, rowStride: inPlane, innerStride: 1 }, target, block),
        }),
        storeC: (source, block) => col2imTile(geometry, source, block, image),
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
