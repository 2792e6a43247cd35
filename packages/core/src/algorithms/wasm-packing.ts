import type { ConvInfo } from '../shape/types.js';
import { type GemmProblem, NR } from './gemm-blocked.js';
import type { Geometry3d } from './geometry.js';
import type { PlanarGeometry, WasmKernels } from './wasm-kernels.js';

export type { PlanarGeometry } from './wasm-kernels.js';

/**
 * Floats of input a GEMM may copy into WebAssembly memory so that im2col runs there (32 MiB).
 * With the packed operands (see gemm-blocked.ts) scratch stays under 64 MiB; a larger input
 * packs in TypeScript instead.
 */
export const STAGE_FLOATS = 8 * 1024 * 1024;

/** A zero-padded 1-D or 2-D convolution seen by `im2col_packed`, or null where it does not apply. */
export function planarGeometry(info: ConvInfo, geometry: Geometry3d): PlanarGeometry | null {
  if (info.transposed || info.paddingMode !== 'zeros' || info.spatialRank > 2) return null;
  const [, inH, inW] = geometry.inSize;
  const [, , outW] = geometry.outSize;
  const [, kH, kW] = geometry.kernelSize;
  const w = info.spatialRank - 1;
  const h = info.spatialRank === 2 ? 0 : -1;
  return {
    inH,
    inW,
    outW,
    kH,
    kW,
    strideH: h < 0 ? 1 : info.stride[h],
    strideW: info.stride[w],
    dilationH: h < 0 ? 1 : info.dilation[h],
    dilationW: info.dilation[w],
    padTop: h < 0 ? 0 : info.padBegin[h],
    padLeft: info.padBegin[w],
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
    stagedB: { rowStride: rowLength },
  };
}
