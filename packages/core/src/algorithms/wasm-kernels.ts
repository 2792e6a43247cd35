import { KERNELS_WASM_BASE64 } from './wasm/kernels.generated.js';

/**
 * The SIMD128 kernels of `wasm/kernels.wat`, instantiated once per process, with a helper that
 * grows their memory. All pointers passed to the kernels are byte offsets into `memory`.
 */
export interface WasmKernels {
  readonly memory: WebAssembly.Memory;
  /** See `gemm_packed` in kernels.wat. */
  gemmPacked(
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
  /** See `depthwise_rows` in kernels.wat. */
  depthwiseRows(
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
  /** See `depthwise3x3_rows` in kernels.wat. */
  depthwise3x3Rows(
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
  /** See `im2col_packed` in kernels.wat (all pointers in bytes). */
  im2colPacked(
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
  /** See `copy_rows` in kernels.wat. */
  copyRows(src: number, srcStride: number, dst: number, dstStride: number, rowBytes: number, rows: number): void;
  /** A float view of the memory after growing it to at least `floats` floats (a new view each time: growing detaches the old one). */
  reserve(floats: number): Float32Array;
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
    const exports = new WebAssembly.Instance(module, {}).exports as unknown as {
      memory: WebAssembly.Memory;
      gemm_packed: WasmKernels['gemmPacked'];
      depthwise_rows: WasmKernels['depthwiseRows'];
      depthwise3x3_rows: WasmKernels['depthwise3x3Rows'];
      im2col_packed: WasmKernels['im2colPacked'];
      copy_rows: WasmKernels['copyRows'];
    };
    const memory = exports.memory;
    return {
      memory,
      gemmPacked: exports.gemm_packed,
      depthwiseRows: exports.depthwise_rows,
      depthwise3x3Rows: exports.depthwise3x3_rows,
      im2colPacked: exports.im2col_packed,
      copyRows: exports.copy_rows,
      reserve(floats: number): Float32Array {
        const bytes = floats * 4;
        if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
        return new Float32Array(memory.buffer);
      },
    };
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
