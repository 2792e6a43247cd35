/**
 * The threaded GEMM's unit of work and the loop that runs it. {@link runGemmUnits} is the source
 * of every pool worker (its text is sent to the worker, see thread-pool.ts), so it is
 * self-contained: no runtime imports, no module constants, only its arguments.
 */
import type { KernelExports, PlanarArguments } from './wasm-kernels.js';

/** The kernel exports a unit runner calls, positional and in bytes (see kernels.wat). */
export type GemmUnitKernels = Pick<KernelExports, 'gemm_packed' | 'im2col_packed' | 'pack_rows' | 'store_block'>;

/**
 * The task table, an Int32Array shared with the workers. Header slots first, then
 * `unitInts` ints per unit; every offset in it counts floats of the shared memory.
 */
export const GEMM_TABLE = {
  /** MR, NR, KC, MC, NC: the block sizes of gemm-blocked.ts, so the runner holds no copy of them. */
  blocking: 0,
  /** 0: B is the im2col of the staged planes (planar geometry follows); 1: B is the staged rows themselves. */
  bMode: 5,
  /** Where B's row table (GemmProblem.stagedB.rowOffsets) is when B is read in place. */
  stagedRows: 6,
  m: 7,
  k: 8,
  /** inH, inW, outW, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft (see PlanarGeometry). */
  planar: 9,
  /** Where thread t's packed-B scratch starts: `bScratch + t * KC * NC`. */
  bScratch: 20,
  /** Where the packed panels' row table (i * NR) is. */
  packedRows: 21,
  /** IN_PLACE_MAX_ROWS: above it an in-place B is packed per block (see gemm-blocked.ts). */
  inPlaceMaxRows: 22,
  /**
   * -1: each unit's C is its whole matrix. Else the threads store the output (GemmBatch.output):
   * thread t's C block scratch is `cScratch + t * MC * NC`, and each finished block goes to the
   * unit's output rows (`plane` floats each, GEMM columns mapped by `lineIn` and `lineOut`).
   */
  cScratch: 23,
  plane: 24,
  lineIn: 25,
  lineOut: 26,
  units: 28,
  /**
   * Per unit, at `units + index * unitInts`: packed A, its staged input planes, its C matrix (or
   * its first output row), C's row stride, its columns [colStart, colEnd), its rows' biases.
   */
  unit: { a: 0, staged: 1, c: 2, ldc: 3, colStart: 4, colEnd: 5, bias: 6 },
  unitInts: 7,
} as const;

/** The layout of the task table, passed to the runner (a worker gets it as JSON with its source). */
export type GemmTableLayout = typeof GEMM_TABLE;

/**
 * Runs units `[first, last)` of `table` with thread `thread`'s B scratch: per unit, the blocked
 * GEMM of gemm-blocked.ts (same blocking, same microkernel, same order of inner blocks, so each
 * output element is the same float whichever thread computes it) over its columns, C written
 * whole into its matrix (ldc a multiple of NR, column ranges split at multiples of NR, so a
 * partial panel writes only padding).
 */
export function runGemmUnits(
  kernels: GemmUnitKernels,
  table: Int32Array,
  layout: GemmTableLayout,
  first: number,
  last: number,
  thread: number,
): void {
  const [mr, nr, kcMax, mcMax, ncMax] = table.subarray(layout.blocking, layout.blocking + 5);
  const inPlace = table[layout.bMode] === 1;
  const m = table[layout.m];
  const k = table[layout.k];
  const packInPlace = inPlace && m > table[layout.inPlaceMaxRows];
  const stagedRows = table[layout.stagedRows];
  const packedRows = table[layout.packedRows];
  const planar = Array.from(table.subarray(layout.planar, layout.planar + 11)) as PlanarArguments;
  const bScratch = table[layout.bScratch] + thread * kcMax * ncMax;
  const aPanelStride = k * mr;
  const storing = table[layout.cScratch] >= 0;
  const cBlock = table[layout.cScratch] + thread * mcMax * ncMax;
  const plane = table[layout.plane];
  const { unit: slot } = layout;
  for (let unit = first; unit < last; unit++) {
    const at = layout.units + unit * layout.unitInts;
    const a = table[at + slot.a];
    const staged = table[at + slot.staged];
    const c = table[at + slot.c];
    const ldc = table[at + slot.ldc];
    const colEnd = table[at + slot.colEnd];
    for (let col0 = table[at + slot.colStart]; col0 < colEnd; col0 += ncMax) {
      const cols = Math.min(ncMax, colEnd - col0);
      const nPanels = Math.ceil(cols / nr);
      for (let row0 = 0; row0 < m; row0 += mcMax) {
        const rows = Math.min(mcMax, m - row0);
        const mPanels = Math.ceil(rows / mr);
        // Storing: this thread's C block scratch (row stride NC), else the block's place in C.
        const cAt = storing ? cBlock : c + row0 * ldc + col0;
        const cStride = storing ? ncMax : ldc;
        for (let k0 = 0; k0 < k; k0 += kcMax) {
          const kc = Math.min(kcMax, k - k0);
          let b = bScratch;
          let bPanelStride = kc * nr;
          let bRows = packedRows;
          if (packInPlace) {
            kernels.pack_rows((staged + col0) * 4, (stagedRows + k0) * 4, bScratch * 4, kc, cols);
          } else if (inPlace) {
            b = staged + col0;
            bPanelStride = nr;
            bRows = stagedRows + k0;
          } else {
            kernels.im2col_packed(staged * 4, bScratch * 4, k0, kc, col0, cols, ...planar);
          }
          kernels.gemm_packed(
            (a + (row0 / mr) * aPanelStride + k0 * mr) * 4,
            aPanelStride * 4,
            b * 4,
            cAt * 4,
            cStride * 4,
            mPanels,
            nPanels,
            kc,
            k0 > 0 ? 1 : 0,
            bPanelStride * 4,
            bRows * 4,
          );
        }
        if (storing) {
          const bias = table[at + slot.bias] + row0;
          const lineIn = table[layout.lineIn];
          const lineOut = table[layout.lineOut];
          kernels.store_block(
            cAt * 4,
            cStride * 4,
            (c + row0 * plane) * 4,
            plane * 4,
            rows,
            col0,
            cols,
            lineIn,
            lineOut,
            bias * 4,
            4,
          );
        }
      }
    }
  }
}
