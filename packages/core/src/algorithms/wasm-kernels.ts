import type { GemmBlock, MicrokernelCall } from './gemm-blocked.js';
import { KERNEL_MODULES_BASE64 } from './wasm/kernels.generated.js';

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

/** The geometry arguments of `im2col_packed`, in its parameter order. */
export type PlanarArguments = [number, number, number, number, number, number, number, number, number, number, number];

/** A {@link PlanarGeometry} as `im2col_packed`'s trailing arguments (and the thread pool's task table slots). */
export function planarArguments(planar: PlanarGeometry): PlanarArguments {
  const { inH, inW, outW, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft } = planar;
  return [inH, inW, outW, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft];
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

/** One call of `store_block`: a finished C block, plus a bias per row, into the output's rows (offsets in floats). */
export interface StoreBlockCall {
  /** The C block: its row r at `source.at + r * source.rowStride`, holding GEMM columns `[col0, col0 + cols)`. */
  readonly source: RowsRegion;
  /** Output row r of the block at `target.at + r * target.rowStride`. */
  readonly target: RowsRegion;
  readonly rows: number;
  readonly col0: number;
  readonly cols: number;
  /** GEMM columns and kept output positions per output row (see GemmOutput). */
  readonly lineIn: number;
  readonly lineOut: number;
  /** Row r's bias at `bias.at + r * bias.rowStride`. */
  readonly bias: RowsRegion;
}

/**
 * The SIMD128 kernels of `wasm/kernels.wat`, instantiated once per process, with a helper that
 * grows their memory. Offsets in the records are in floats; the kernels themselves take bytes.
 */
export interface WasmKernels {
  readonly memory: WebAssembly.Memory;
  /** The positional exports themselves, for the thread pool's unit runner (gemm-units.ts), which runs in workers too. */
  readonly exports: KernelExports;
  /** The microkernel of the blocked GEMM (`gemm_packed`). */
  gemmPacked(call: MicrokernelCall): void;
  /** Depthwise rows (`depthwise3x3_rows` for 3x3 kernels, else `depthwise_rows`). */
  depthwiseRows(call: DepthwiseRowsCall): void;
  /**
   * im2col of `planar` from the input planes staged at float `source` into the packed B layout
   * at `target` (`im2col_packed`), for the block's inner rows and columns.
   */
  im2colPacked(planar: PlanarGeometry, source: number, target: number, block: GemmBlock): void;
  /**
   * Packs `kc` rows of a B read in place (row i starts `ints[rows + i]` floats after `source`) into
   * panels at `target` (`pack_rows`): all offsets in floats.
   */
  packRows(source: number, rows: number, target: number, kc: number, cols: number): void;
  /** Writes a finished C block into the output rows with its bias (`store_block`). */
  storeBlock(call: StoreBlockCall): void;
  /** Copies `rows` rows of `rowFloats` floats between two regions of the memory (`copy_rows`). */
  copyRows(source: RowsRegion, target: RowsRegion, rowFloats: number, rows: number): void;
  /** A float view of the memory after growing it to at least `floats` floats (a new view each time: growing detaches the old one). */
  reserve(floats: number): Float32Array;
}

/** The leading arguments both depthwise row kernels take (bytes; see kernels.wat). */
type DepthwiseRegions = [
  band: number,
  bandStride: number,
  out: number,
  outStride: number,
  rows: number,
  vectors: number,
  weights: number,
];
/** Their trailing arguments. */
type DepthwiseTail = [dilationH: number, dilationW: number, bias: number];

/** The exports of kernels.wat, positional as WebAssembly requires; every pointer and stride in bytes. */
export interface KernelExports {
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
    bPanelStride: number,
    bRows: number,
  ): void;
  depthwise_rows(...args: [...DepthwiseRegions, kH: number, kW: number, ...DepthwiseTail]): void;
  depthwise3x3_rows(...args: [...DepthwiseRegions, ...DepthwiseTail]): void;
  im2col_packed(
    src: number,
    dst: number,
    k0: number,
    kc: number,
    col0: number,
    cols: number,
    ...planar: PlanarArguments
  ): void;
  copy_rows(src: number, srcStride: number, dst: number, dstStride: number, rowBytes: number, rows: number): void;
  pack_rows(src: number, rows: number, dst: number, kc: number, cols: number): void;
  store_block(
    src: number,
    srcStride: number,
    dst: number,
    dstStride: number,
    rows: number,
    col0: number,
    cols: number,
    lineIn: number,
    lineOut: number,
    bias: number,
    biasStride: number,
  ): void;
}

/** The record-taking kernels over one instance's exports. */
function wrapExports(exports: KernelExports): WasmKernels {
  const { memory } = exports;
  return {
    memory,
    exports,
    gemmPacked: ({ a, aPanelStride, b, bPanelStride, bRows, c, ldc, mPanels, nPanels, kc, accumulate }) =>
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
        bPanelStride * FLOAT_BYTES,
        bRows * FLOAT_BYTES,
      ),
    depthwiseRows({ band, out, rows, vectors, weights, kH, kW, dilationH, dilationW, bias }) {
      const bandBytes = band.at * FLOAT_BYTES;
      const bandStride = band.rowStride * FLOAT_BYTES;
      const outBytes = out.at * FLOAT_BYTES;
      const outStride = out.rowStride * FLOAT_BYTES;
      const weightBytes = weights * FLOAT_BYTES;
      // The 3x3 kernel holds its nine weights in registers; both take the same leading arguments.
      const regions = [bandBytes, bandStride, outBytes, outStride, rows, vectors, weightBytes] as const;
      if (kH === 3 && kW === 3) exports.depthwise3x3_rows(...regions, dilationH, dilationW, bias);
      else exports.depthwise_rows(...regions, kH, kW, dilationH, dilationW, bias);
    },
    im2colPacked: (planar, source, target, { k0, kc, col0, cols }) =>
      exports.im2col_packed(source * FLOAT_BYTES, target * FLOAT_BYTES, k0, kc, col0, cols, ...planarArguments(planar)),
    packRows: (source, rows, target, kc, cols) =>
      exports.pack_rows(source * FLOAT_BYTES, rows * FLOAT_BYTES, target * FLOAT_BYTES, kc, cols),
    storeBlock: ({ source, target, rows, col0, cols, lineIn, lineOut, bias }) =>
      exports.store_block(
        source.at * FLOAT_BYTES,
        source.rowStride * FLOAT_BYTES,
        target.at * FLOAT_BYTES,
        target.rowStride * FLOAT_BYTES,
        rows,
        col0,
        cols,
        lineIn,
        lineOut,
        bias.at * FLOAT_BYTES,
        bias.rowStride * FLOAT_BYTES,
      ),
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

/**
 * The kernels that `algorithm: 'auto'` runs on: relaxed-SIMD fused multiply-adds where the engine
 * validates them (Chrome 114+, Firefox 146+, Node 22+, Node 20 with `--experimental-wasm-relaxed-simd`),
 * else SIMD128, else (engines without WebAssembly SIMD) the scalar TypeScript loops.
 *
 * @example
 * ```ts
 * import type { CpuKernelPath } from '@convkit/core';
 * const fallback: CpuKernelPath = 'simd128';
 * fallback; // 'simd128'
 * ```
 */
export type CpuKernelPath = 'relaxed-simd' | 'simd128' | 'scalar';

/** A build of kernels.wat (see kernels.generated.ts). */
export type KernelBuild = keyof typeof KERNEL_MODULES_BASE64;

/** The build a path runs, with its own memory or a shared imported one. */
export function kernelBuild(path: Exclude<CpuKernelPath, 'scalar'>, shared: boolean): KernelBuild {
  const base = path === 'relaxed-simd' ? 'relaxedSimd' : 'simd128';
  return shared ? `${base}Shared` : base;
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

const moduleBytes = new Map<KernelBuild, Uint8Array<ArrayBuffer> | null>();

/** The bytes of a build, or null where this engine does not validate them (no SIMD128, or no relaxed SIMD). */
export function kernelModuleBytes(build: KernelBuild): Uint8Array<ArrayBuffer> | null {
  if (!moduleBytes.has(build)) {
    const bytes =
      typeof WebAssembly === 'object' && typeof atob === 'function' ? decodeBase64(KERNEL_MODULES_BASE64[build]) : null;
    // The feature test is the module itself: validate() is false where an instruction it uses is unknown.
    moduleBytes.set(build, bytes && WebAssembly.validate(bytes) ? bytes : null);
  }
  return moduleBytes.get(build) ?? null;
}

/** Instantiates a build that imports a shared memory (the thread pool's; see thread-pool.ts). */
export function instantiateShared(module: WebAssembly.Module, memory: WebAssembly.Memory): WasmKernels {
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  return wrapExports({ ...(exports as unknown as KernelExports), memory });
}

function instantiate(build: KernelBuild): WasmKernels | null {
  const bytes = kernelModuleBytes(build);
  if (!bytes) return null;
  try {
    // Synchronous compilation: the module is small (Chromium refuses synchronous compiles over
    // 4 KiB only on its main thread); any refusal lands in the catch and keeps the next path.
    const module = new WebAssembly.Module(bytes);
    return wrapExports(new WebAssembly.Instance(module, {}).exports as unknown as KernelExports);
  } catch {
    return null;
  }
}

/** Where a test or benchmark forced a path: `CONVKIT_CPU_KERNELS=simd128` (or `scalar`) in Node, or {@link forceCpuKernelPath}. */
function pathFromEnvironment(): CpuKernelPath | 'auto' {
  const value = typeof process === 'object' ? process.env?.CONVKIT_CPU_KERNELS : undefined;
  return value === 'relaxed-simd' || value === 'simd128' || value === 'scalar' ? value : 'auto';
}

let requested: CpuKernelPath | 'auto' = pathFromEnvironment();
const instances = new Map<KernelBuild, WasmKernels | null>();

function instanceOf(build: KernelBuild): WasmKernels | null {
  if (!instances.has(build)) instances.set(build, instantiate(build));
  return instances.get(build) ?? null;
}

/**
 * Which kernels `algorithm: 'auto'` runs on in this engine (see {@link CpuKernelPath}); benchmarks
 * report it next to their timings.
 *
 * @example
 * ```ts
 * import { cpuKernelPath } from '@convkit/core';
 * ['relaxed-simd', 'simd128', 'scalar'].includes(cpuKernelPath()); // true
 * ```
 */
export function cpuKernelPath(): CpuKernelPath {
  if (requested === 'scalar') return 'scalar';
  if (requested !== 'simd128' && instanceOf('relaxedSimd')) return 'relaxed-simd';
  return instanceOf('simd128') ? 'simd128' : 'scalar';
}

/** The WebAssembly kernels of the current path, or null on the scalar path. */
export function wasmKernels(): WasmKernels | null {
  const path = cpuKernelPath();
  return path === 'scalar' ? null : instanceOf(kernelBuild(path, false));
}

/**
 * Forces a path (or back to `'auto'`), so tests and benchmarks run the SIMD128 fallback or the
 * scalar loops that engines without relaxed SIMD or without SIMD128 use. Internal: not exported
 * from the package (the environment variable CONVKIT_CPU_KERNELS does the same from outside).
 */
export function forceCpuKernelPath(path: CpuKernelPath | 'auto'): void {
  requested = path;
}
