/**
 * The threaded GEMM's unit of work and the loop that runs it. {@link runGemmUnits} is the source
 * of every pool worker (its text is sent to the worker, see thread-pool.ts), so it is
 * self-contained: no runtime imports, no module constants, only its arguments.
 */
import type { ScratchRegion, StridedMatrix } from './gemm-blocked.js';
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
  /**
   * Pack units (they come before the GEMM units): `packChunks` per A, each packing its share of
   * that A's `aPanels` MR-row panels from the raw A copied in at `aSource` (A number a at
   * `aSource + a * aSourceStride`, element (row, inner) at `+ row * aRowStride + inner *
   * aInnerStride`) to `aPacked + a * aPackedFloats`.
   */
  packChunks: 27,
  aPanels: 29,
  aSource: 30,
  aSourceStride: 31,
  aRowStride: 32,
  aInnerStride: 33,
  aPacked: 34,
  aPackedFloats: 35,
  units: 36,
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
 * Packs MR-row panels `[firstPanel, lastPanel)` of a `rows x depth` matrix read in place into
 * `target` (panel p at `target.offset + p * target.stride`, inner index i's `mr` values at
 * `+ i * mr`); the rows a last partial panel lacks are zeros. Self-contained: pool workers run
 * its text (see thread-pool.ts).
 */
export function packPanels(
  src: StridedMatrix,
  target: ScratchRegion,
  shape: { readonly rows: number; readonly depth: number; readonly mr: number },
  firstPanel: number,
  lastPanel: number,
): void {
  const { data, offset: srcOffset, rowStride, innerStride } = src;
  const { memory: dst, offset, stride: panelStride } = target;
  const { rows, depth, mr } = shape;
  for (let panel = firstPanel; panel < lastPanel; panel++) {
    const panelRow = panel * mr;
    const panelBase = offset + panel * panelStride;
    const first = srcOffset + panelRow * rowStride;
    if (rows - panelRow < mr || mr !== 4) {
      for (let r = 0; r < mr; r++) {
        const rowBase = first + r * rowStride;
        const present = panelRow + r < rows;
        for (let inner = 0; inner < depth; inner++) {
          dst[panelBase + inner * mr + r] = present ? data[rowBase + inner * innerStride] : 0;
        }
      }
      continue;
    }
    // A full panel: its 4 rows read side by side, so the panel is written in order.
    for (let inner = 0, at = panelBase, from = first; inner < depth; inner++, at += 4, from += innerStride) {
      dst[at] = data[from];
      dst[at + 1] = data[from + rowStride];
      dst[at + 2] = data[from + 2 * rowStride];
      dst[at + 3] = data[from + 3 * rowStride];
    }
  }
}

/** Runs pack unit `unit` of `table` (see GEMM_TABLE.packChunks) on `memory`, a view of the pool's shared memory. */
export function runPackUnit(memory: Float32Array, table: Int32Array, layout: GemmTableLayout, unit: number): void {
  const chunks = table[layout.packChunks];
  const panels = table[layout.aPanels];
  const a = Math.floor(unit / chunks);
  const chunk = unit % chunks;
  const mr = table[layout.blocking];
  const depth = table[layout.k];
  packPanels(
    {
      data: memory,
      offset: table[layout.aSource] + a * table[layout.aSourceStride],
      rowStride: table[layout.aRowStride],
      innerStride: table[layout.aInnerStride],
    },
    { memory, offset: table[layout.aPacked] + a * table[layout.aPackedFloats], stride: depth * mr },
    { rows: table[layout.m], depth, mr },
    Math.floor((chunk * panels) / chunks),
    Math.floor(((chunk + 1) * panels) / chunks),
  );
}

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

/**
 * The pool's control slots (an Int32Array on a SharedArrayBuffer, see thread-pool.ts); `done`
 * is where one counter per GEMM of its finished units starts.
 */
export interface PoolControlLayout {
  readonly generation: number;
  readonly next: number;
  readonly quit: number;
  readonly failed: number;
  readonly units: number;
  readonly open: number;
  readonly active: number;
  readonly staged: number;
  readonly chunks: number;
  readonly packUnits: number;
  readonly packed: number;
  readonly done: number;
}

/** What a thread of the pool claims units with: the same on the calling thread and in a worker. */
export interface UnitClaimer {
  readonly kernels: GemmUnitKernels;
  readonly memory: WebAssembly.Memory;
  readonly control: Int32Array;
  readonly table: Int32Array;
  readonly layout: GemmTableLayout;
  readonly slots: PoolControlLayout;
  readonly thread: number;
  /** False on a browser's main thread, where Atomics.wait throws: it spins instead. */
  readonly canBlock: boolean;
  /** Spin this long (ms) on a control slot before sleeping on it. */
  readonly spinMs: number;
  /** Record a unit's error in `failed` and go on (a worker), or let it propagate (the caller). */
  readonly catchErrors: boolean;
}

/**
 * Returns once `control[slot]` exceeds `least`: spinning for up to `spinMs` per value, then (where
 * `canBlock`) sleeping in Atomics.wait. Self-contained (and no nested functions, which a loader
 * may wrap in helpers the workers lack): pool workers run its text.
 */
export function awaitAbove(control: Int32Array, slot: number, least: number, spinMs: number, canBlock: boolean): void {
  for (let value = Atomics.load(control, slot); value <= least; value = Atomics.load(control, slot)) {
    const end = performance.now() + spinMs;
    let spins = 0;
    while (Atomics.load(control, slot) === value && (++spins & 1023 || performance.now() < end));
    if (canBlock && Atomics.load(control, slot) === value) Atomics.wait(control, slot, value);
  }
}

/**
 * Claims the current call's units one at a time until none is left and runs them: pack units
 * first, then GEMM units, each once every A is packed and its GEMM's input staged. Counts each
 * finished GEMM unit in its GEMM's `done` counter. Self-contained: pool workers run its text.
 */
export function claimUnits(claimer: UnitClaimer): void {
  const { kernels, memory, control, table, layout, slots, thread, canBlock, spinMs, catchErrors } = claimer;
  const units = control[slots.units];
  const packUnits = control[slots.packUnits];
  const chunks = control[slots.chunks];
  for (let unit = Atomics.add(control, slots.next, 1); unit < units; unit = Atomics.add(control, slots.next, 1)) {
    const gemmUnit = unit - packUnits;
    const gemm = Math.floor(gemmUnit / chunks);
    if (gemmUnit >= 0) {
      awaitAbove(control, slots.packed, packUnits - 1, spinMs, canBlock);
      awaitAbove(control, slots.staged, gemm, spinMs, canBlock);
    }
    try {
      if (gemmUnit < 0) runPackUnit(new Float32Array(memory.buffer), table, layout, unit);
      else runGemmUnits(kernels, table, layout, gemmUnit, gemmUnit + 1, thread);
    } catch (error) {
      if (!catchErrors) throw error;
      Atomics.store(control, slots.failed, 1);
    }
    const counter = gemmUnit < 0 ? slots.packed : slots.done + gemm;
    Atomics.add(control, counter, 1);
    Atomics.notify(control, counter);
  }
}
