import type { ConvInfo } from '../shape/types.js';
import type { GemmProblem } from './gemm-blocked.js';
import type { Geometry3d } from '../shape/geometry.js';
import type { WasmKernels } from './wasm-kernels.js';

/**
 * Floats of input a GEMM may copy into WebAssembly memory so that im2col runs there (32 MiB).
 * With the packed operands (see gemm-blocked.ts) scratch stays under 64 MiB; a larger input
 * packs in TypeScript instead.
 */
export const STAGE_FLOATS = 8 * 1024 * 1024;

/** The arguments of `im2col_packed` (kernels.wat) that describe the convolution's 2-D geometry. */
export interface PlanarGeometry {
  readonly inH: number;
  readonly inW: number;
  readonly outW: number;
  readonly kH: number;
  readonly kW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  readonly padTop: number;
  readonly padLeft: number;
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

/** A row-major matrix with `plane` columns per row, as `im2col_packed` sees it: a 1x1 "convolution" over one long row. */
export function rowMajorGeometry(plane: number): PlanarGeometry {
  return {
    inH: 1,
    inW: plane,
    outW: plane,
    kH: 1,
    kW: 1,
    strideH: 1,
    strideW: 1,
    dilationH: 1,
    dilationW: 1,
    padTop: 0,
    padLeft: 0,
  };
}

/**
 * The GemmProblem fields that copy `channels` input planes into WebAssembly memory once and then
 * pack every B tile there with `im2col_packed`; null when the input is larger than STAGE_FLOATS.
 */
export function wasmPackB(
  wasm: WasmKernels,
  planar: PlanarGeometry,
  input: Float32Array,
  inputOffset: number,
  channels: number,
): Pick<GemmProblem, 'stageFloats' | 'stage' | 'packB'> | null {
  const floats = channels * planar.inH * planar.inW;
  if (floats > STAGE_FLOATS) return null;
  let stagedAt = 0;
  const { inH, inW, outW, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft } = planar;
  return {
    stageFloats: floats,
    stage(memory, offset) {
      stagedAt = offset;
      memory.set(input.subarray(inputOffset, inputOffset + floats), offset);
    },
    packB(_memory, offset, k0, kc, col0, cols) {
      wasm.im2colPacked(
        stagedAt * 4,
        offset * 4,
        k0,
        kc,
        col0,
        cols,
        inH,
        inW,
        outW,
        kH,
        kW,
        strideH,
        strideW,
        dilationH,
        dilationW,
        padTop,
        padLeft,
      );
    },
  };
}
