import type { GemmBlock, MicrokernelCall } from './gemm-blocked.js';
import { KERNELS_WASM_BASE64 } from './wasm/kernels.generated.js';

/** Bytes per float: the records count floats, the kernels bytes. */
const FLOAT_BYTES = Float32Array.BYTES_PER_ELEMENT;
/** Floats per v128 vector. */
export const F32X4_LANES = 4;

/** The 2-D geometry `im2col_packed` (kernels.wat) unfolds: a zero-padded 1-D or 2-D convolution. */
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

/** A region of WebAssembly memory for the depthwise kernels, in floats: where it starts and how far apart its rows are. */
export interface RowsRegion {
  readonly at: number;
  readonly rowStride: number;
}

/** One call of the depthwise row kernels: `rows` output rows of `vectors * 4` columns each. */
export interface DepthwiseRowsCall {
  /** The zero-padded input band, its first row the one output row 0 reads through kernel row 0. */
  readonly band: RowsRegion;
  readonly out: RowsRegion;
  readonly rows: number;
  readonly vectors: number;
  /** The channel's kH * kW weights, contiguous. */
  readonly weights: number;
  readonly kH: number;
  readonly kW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  readonly bias: number;
}

/**
 * The SIMD128 kernels of `wasm/kernels.wat`, instantiated once per process, with a helper that
 * grows their memory. Offsets in the records are in floats; the kernels themselves take bytes.
 */
export interface WasmKernels {
  readonly memory: WebAssembly.Memory;
  /** The microkernel of the blocked GEMM (`gemm_packed`). */
  gemmPacked(call: MicrokernelCall): void;
  /** Depthwise rows (`depthwise3x3_rows` for 3x3 kernels, else `depthwise_rows`). */
  depthwiseRows(call: DepthwiseRowsCall): void;
  /**
   * im2col of `planar` from the input planes staged at float `source` into the packed B layout
   * at `target` (`im2col_packed`), for the block's inner rows and columns.
   */
  im2colPacked(planar: PlanarGeometry, source: number, target: number, block: GemmBlock): void;
  /** Copies `rows` rows of `rowFloats` floats between two regions of the memory (`copy_rows`). */
  copyRows(source: RowsRegion, target: RowsRegion, rowFloats: number, rows: number): void;
  /** A float view of the memory after growing it to at least `floats` floats (a new view each time: growing detaches the old one). */
  reserve(floats: number): Float32Array;
}

/** The exports of kernels.wat, positional as WebAssembly requires; every pointer and stride in bytes. */
interface KernelExports {
  memory: WebAssembly.Memory;
  gemm_packed(
    a: number,
    aPanelStride: number,
    b: number,
    c: number,
    ldc: number,
    mPanels: number,
    nPanels: number,
    kc: number,
    accumulate: number,
  ): void;
  depthwise_rows(
    band: number,
    bandStride: number,
    out: number,
    outStride: number,
    rows: number,
    vectors: number,
    weights: number,
    kH: number,
    kW: number,
    dilationH: number,
    dilationW: number,
    bias: number,
  ): void;
  depthwise3x3_rows(
    band: number,
    bandStride: number,
    out: number,
    outStride: number,
    rows: number,
    vectors: number,
    weights: number,
    dilationH: number,
    dilationW: number,
    bias: number,
  ): void;
  im2col_packed(
    src: number,
    dst: number,
    k0: number,
    kc: number,
    col0: number,
    cols: number,
    inH: number,
    inW: number,
    outW: number,
    kH: number,
    kW: number,
    strideH: number,
    strideW: number,
    dilationH: number,
    dilationW: number,
    padTop: number,
    padLeft: number,
  ): void;
  copy_rows(src: number, srcStride: number, dst: number, dstStride: number, rowBytes: number, rows: number): void;
}

/** The record-taking kernels over one instance's exports. */
function wrapExports(exports: KernelExports): WasmKernels {
  const { memory } = exports;
  return {
    memory,
    gemmPacked: ({ a, aPanelStride, b, c, ldc, mPanels, nPanels, kc, accumulate }) =>
      exports.gemm_packed(
        a * FLOAT_BYTES,
        aPanelStride * FLOAT_BYTES,
        b * FLOAT_BYTES,
        c * FLOAT_BYTES,
        ldc * FLOAT_BYTES,
        mPanels,
        nPanels,
        kc,
        accumulate ? 1 : 0,
      ),
    depthwiseRows({ band, out, rows, vectors, weights, kH, kW, dilationH, dilationW, bias }) {
      const bandBytes = band.at * FLOAT_BYTES;
      const bandStride = band.rowStride * FLOAT_BYTES;
      const outBytes = out.at * FLOAT_BYTES;
      const outStride = out.rowStride * FLOAT_BYTES;
      const weightBytes = weights * FLOAT_BYTES;
      if (kH === 3 && kW === 3) {
        exports.depthwise3x3_rows(
          bandBytes,
          bandStride,
          outBytes,
          outStride,
          rows,
          vectors,
          weightBytes,
          dilationH,
          dilationW,
          bias,
        );
      } else {
        exports.depthwise_rows(
          bandBytes,
          bandStride,
          outBytes,
          outStride,
          rows,
          vectors,
          weightBytes,
          kH,
          kW,
          dilationH,
          dilationW,
          bias,
        );
      }
    },
    im2colPacked(planar, source, target, { k0, kc, col0, cols }) {
      const { inH, inW, outW, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft } = planar;
      exports.im2col_packed(
        source * FLOAT_BYTES,
        target * FLOAT_BYTES,
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
    copyRows: (source, target, rowFloats, rows) =>
      exports.copy_rows(
        source.at * FLOAT_BYTES,
        source.rowStride * FLOAT_BYTES,
        target.at * FLOAT_BYTES,
        target.rowStride * FLOAT_BYTES,
        rowFloats * FLOAT_BYTES,
        rows,
      ),
    reserve(floats: number): Float32Array {
      const bytes = floats * FLOAT_BYTES;
      if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
      return new Float32Array(memory.buffer);
    },
  };
}

let instance: WasmKernels | null | undefined;
let enabled = true;

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

function instantiate(): WasmKernels | null {
  if (typeof WebAssembly !== 'object' || typeof atob !== 'function') return null;
  try {
    const bytes = decodeBase64(KERNELS_WASM_BASE64);
    // validate() is false on engines without SIMD128; they keep the TypeScript kernels.
    if (!WebAssembly.validate(bytes)) return null;
    // Synchronous compilation: the module is small (Chromium refuses synchronous compiles over
    // 4 KiB only on its main thread); any refusal lands in the catch and keeps TypeScript.
    const module = new WebAssembly.Module(bytes);
    return wrapExports(new WebAssembly.Instance(module, {}).exports as unknown as KernelExports);
  } catch {
    return null;
  }
}

/** The SIMD128 kernels, or null where this engine has no WebAssembly SIMD (or they are switched off). */
export function wasmKernels(): WasmKernels | null {
  if (!enabled) return null;
  if (instance === undefined) instance = instantiate();
  return instance;
}

/**
 * Switches the WebAssembly kernels off (or back on), so tests and benchmarks can run the pure
 * TypeScript fast path that engines without SIMD128 use. Internal: not exported from the package.
 */
export function setWasmKernelsEnabled(on: boolean): void {
  enabled = on;
}
