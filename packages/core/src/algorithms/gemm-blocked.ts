import { packPanels } from './gemm-units.js';
import { wasmKernels } from './wasm-kernels.js';

/** Rows of A (and of C) per microkernel tile. */
export const MR = 4;
/** Columns of B (and of C) per microkernel tile. */
export const NR = 8;
/** Inner-dimension block: one packed B panel is `KC * NR` floats (8 KiB), which stays in L1. */
export const KC = 256;
/** Row block of A and C (a multiple of MR). */
export const MC = 256;
/** Column block of B and C (a multiple of NR). */
export const NC = 128;
/**
 * A is packed whole (once per GEMM) when it holds at most this many floats (16 MiB), and block
 * by block otherwise, so scratch stays bounded whatever the weight size: at most this plus
 * `MC * KC + KC * NC + MC * NC` floats (about 16.4 MiB), plus a problem's staged input (at most
 * STAGE_FLOATS, 32 MiB, see wasm-packing.ts), plus a copy of its output (at most
 * OUTPUT_COPY_FLOATS, 8 MiB): under 57 MiB in all.
 */
export const PREPACK_A_FLOATS = 4 * 1024 * 1024;

/** The largest output (floats) that the WebAssembly store writes in WebAssembly memory (8 MiB); a larger one goes through storeC. */
export const OUTPUT_COPY_FLOATS = 2 * 1024 * 1024;

/**
 * A B read in place is packed after all (one contiguous copy per block, `pack_rows`) when more
 * rows than this reuse each of its panels: its kc scattered rows then miss L1 once per A panel.
 */
export const IN_PLACE_MAX_ROWS = 64;

/** log2(NR): a packed position's panel is `position >> NR_SHIFT`. */
export const NR_SHIFT = Math.log2(NR);
/** A packed position's lane in its panel is `position & NR_LANE_MASK`. */
export const NR_LANE_MASK = NR - 1;

/**
 * One block of a blocked GEMM: rows `[row0, row0 + rows)` of A and C, inner indices
 * `[k0, k0 + kc)`, columns `[col0, col0 + cols)` of B and C. Each packing and storing callback
 * reads the two ranges its operand spans.
 */
export interface GemmBlock {
  readonly row0: number;
  readonly rows: number;
  readonly k0: number;
  readonly kc: number;
  readonly col0: number;
  readonly cols: number;
}

/** A region of scratch memory, in floats: a packed operand (`stride` = its panel stride) or a C block (`stride` = its row stride). */
export interface ScratchRegion {
  readonly memory: Float32Array;
  readonly offset: number;
  readonly stride: number;
}

/** A matrix read in place: element (row, inner) is `data[offset + row * rowStride + inner * innerStride]`. */
export interface StridedMatrix {
  readonly data: Float32Array;
  readonly offset: number;
  readonly rowStride: number;
  readonly innerStride: number;
}

/**
 * Where C goes when the WebAssembly store writes it (`store_block` in kernels.wat):
 * GEMM row r, plus `bias[biasOffset + r]` (0 without a bias), is output row r at
 * `data[offset + r * plane ...]`, GEMM column q its position `floor(q / lineIn) * lineOut + q % lineIn`,
 * kept where `q % lineIn < lineOut` (a windowed B's dropped columns; `lineIn = lineOut` keeps all).
 */
export interface GemmOutput {
  readonly data: Float32Array;
  readonly offset: number;
  readonly plane: number;
  readonly bias: Float32Array | undefined;
  readonly biasOffset: number;
  readonly lineIn: number;
  readonly lineOut: number;
}

/**
 * One GEMM `C[m x n] = A[m x k] @ B[k x n]` described by how to pack its operands and where its
 * result goes, so that convolutions never materialise their full im2col matrix: B is produced
 * tile by tile (`KC x NC` at a time) and each finished C block is handed back at once.
 */
export interface GemmProblem {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /**
   * Writes A's rows and inner indices of `block` in panels of MR rows: element
   * (row0 + r, k0 + i) goes to `memory[offset + floor(r / MR) * stride + i * MR + r % MR]`.
   */
  packA(target: ScratchRegion, block: GemmBlock): void;
  /**
   * Writes B's inner indices and columns of `block` in panels of NR columns (`stride` = kc * NR):
   * element (k0 + i, col0 + p) goes to `memory[offset + floor(p / NR) * stride + i * NR + p % NR]`.
   */
  packB?(target: ScratchRegion, block: GemmBlock): void;
  /**
   * Floats of working memory the problem wants next to the packed operands (e.g. its input
   * copied into WebAssembly memory, so packB can run there); `stage` fills it before any packing.
   */
  readonly stageFloats?: number;
  stage?(memory: Float32Array, offset: number): void;
  /**
   * Set (instead of packB) when the staged memory holds B itself: column p of inner index k is
   * `stage[rowOffsets[k] + p]`. The microkernel then reads B in place and nothing is packed (a
   * pointwise convolution is a straight GEMM on its NCHW input; a stride-1 one reads shifted
   * windows of its zero-padded input). The stage must hold NR - 1 floats beyond every row, which
   * the last partial panel reads into columns that are never stored.
   */
  readonly stagedB?: { readonly rowOffsets: Int32Array };
  /** Receives the finished rows and columns of `block`: element (row0 + r, col0 + p) is `memory[offset + r * stride + p]`. */
  storeC(source: ScratchRegion, block: GemmBlock): void;
  /**
   * Set where storeC only adds a bias and copies (a convolution's output): on the WebAssembly
   * kernels C is then stored by `store_block` into a copy of the output in WebAssembly memory,
   * handed back with one `set`, and storeC is not called.
   */
  readonly output?: GemmOutput;
}

/**
 * One call of the microkernel (`gemm_packed` in kernels.wat): C tiles `(i, j)` for
 * `i < mPanels`, `j < nPanels` (+)= A panel i @ B panel j, offsets and strides in floats.
 */
export interface MicrokernelCall {
  /** First A panel; panel i starts `aPanelStride` floats after panel i - 1. */
  readonly a: number;
  readonly aPanelStride: number;
  /**
   * First B panel; panels are `bPanelStride` floats apart, and inner index i of a panel starts
   * `ints[bRows + i]` floats into it (a table in the same memory; packed B: `kc * NR` and `i * NR`).
   */
  readonly b: number;
  readonly bPanelStride: number;
  readonly bRows: number;
  /** C's first element and its row stride. */
  readonly c: number;
  readonly ldc: number;
  readonly mPanels: number;
  readonly nPanels: number;
  readonly kc: number;
  /** Add to C (later inner blocks) instead of overwriting it (the first). */
  readonly accumulate: boolean;
}

type Microkernel = (memory: Float32Array, ints: Int32Array, call: MicrokernelCall) => void;

/**
 * The scalar TypeScript microkernel for engines without SIMD128: each 4x8 tile as two 4x4 halves held in
 * 16 local accumulators (float64, rounded once when stored), the most V8 keeps in registers.
 */
function microkernelScalar(memory: Float32Array, ints: Int32Array, call: MicrokernelCall): void {
  const { a, aPanelStride, b, bPanelStride, bRows, c, ldc, mPanels, nPanels, kc, accumulate } = call;
  for (let j = 0; j < nPanels; j++) {
    const bPanel = b + j * bPanelStride;
    for (let i = 0; i < mPanels; i++) {
      const aPanel = a + i * aPanelStride;
      for (let half = 0; half < NR; half += 4) {
        const c0 = c + i * MR * ldc + j * NR + half;
        const c1 = c0 + ldc;
        const c2 = c1 + ldc;
        const c3 = c2 + ldc;
        let s00 = 0,
          s01 = 0,
          s02 = 0,
          s03 = 0,
          s10 = 0,
          s11 = 0,
          s12 = 0,
          s13 = 0,
          s20 = 0,
          s21 = 0,
          s22 = 0,
          s23 = 0,
          s30 = 0,
          s31 = 0,
          s32 = 0,
          s33 = 0;
        if (accumulate) {
          s00 = memory[c0];
          s01 = memory[c0 + 1];
          s02 = memory[c0 + 2];
          s03 = memory[c0 + 3];
          s10 = memory[c1];
          s11 = memory[c1 + 1];
          s12 = memory[c1 + 2];
          s13 = memory[c1 + 3];
          s20 = memory[c2];
          s21 = memory[c2 + 1];
          s22 = memory[c2 + 2];
          s23 = memory[c2 + 3];
          s30 = memory[c3];
          s31 = memory[c3 + 1];
          s32 = memory[c3 + 2];
          s33 = memory[c3 + 3];
        }
        let ap = aPanel;
        for (let inner = 0; inner < kc; inner++, ap += MR) {
          const bp = bPanel + half + ints[bRows + inner];
          const a0 = memory[ap],
            a1 = memory[ap + 1],
            a2 = memory[ap + 2],
            a3 = memory[ap + 3];
          const b0 = memory[bp],
            b1 = memory[bp + 1],
            b2 = memory[bp + 2],
            b3 = memory[bp + 3];
          s00 += a0 * b0;
          s01 += a0 * b1;
          s02 += a0 * b2;
          s03 += a0 * b3;
          s10 += a1 * b0;
          s11 += a1 * b1;
          s12 += a1 * b2;
          s13 += a1 * b3;
          s20 += a2 * b0;
          s21 += a2 * b1;
          s22 += a2 * b2;
          s23 += a2 * b3;
          s30 += a3 * b0;
          s31 += a3 * b1;
          s32 += a3 * b2;
          s33 += a3 * b3;
        }
        memory[c0] = s00;
        memory[c0 + 1] = s01;
        memory[c0 + 2] = s02;
        memory[c0 + 3] = s03;
        memory[c1] = s10;
        memory[c1 + 1] = s11;
        memory[c1 + 2] = s12;
        memory[c1 + 3] = s13;
        memory[c2] = s20;
        memory[c2 + 1] = s21;
        memory[c2 + 2] = s22;
        memory[c2 + 3] = s23;
        memory[c3] = s30;
        memory[c3 + 1] = s31;
        memory[c3 + 2] = s32;
        memory[c3 + 3] = s33;
      }
    }
  }
}

let scalarScratch = new Float32Array(0);

function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}

/**
 * Runs a {@link GemmProblem} blocked for the cache (BLIS order: column blocks of NC, row blocks
 * of MC, inner blocks of KC) on the WebAssembly microkernel where the engine has one, else on the
 * scalar TypeScript one. Both read the same packed layouts.
 */
export function blockedGemm(problem: GemmProblem): void {
  const { m, n, k } = problem;
  if (m === 0 || n === 0) return;
  const wasm = wasmKernels();
  const mPadded = roundUp(m, MR);
  const prepackA = mPadded * k <= PREPACK_A_FLOATS;
  const aFloats = prepackA ? mPadded * k : MC * KC;
  const aBase = 0;
  const bBase = roundUp(aFloats, 16);
  const cBase = bBase + KC * NC;
  const stageBase = cBase + MC * NC;
  // Then the B row tables: packed panels' (i * NR) and, for a B read in place, its own.
  const packedRows = stageBase + (problem.stageFloats ?? 0);
  const stagedRows = packedRows + KC;
  // Then, with an output the kernels store (see GemmProblem.output), its bias and its rows.
  const output = wasm && problem.output && m * problem.output.plane <= OUTPUT_COPY_FLOATS ? problem.output : undefined;
  const biasBase = stagedRows + (problem.stagedB ? k : 0);
  const outBase = roundUp(biasBase + m, 4);
  const total = output ? outBase + m * output.plane : biasBase;

  let memory: Float32Array;
  let microkernel: Microkernel;
  if (wasm) {
    memory = wasm.reserve(total);
    microkernel = (_view, _ints, call) => wasm.gemmPacked(call);
  } else {
    if (scalarScratch.length < total) scalarScratch = new Float32Array(total);
    memory = scalarScratch;
    microkernel = microkernelScalar;
  }
  const ints = new Int32Array(memory.buffer, 0, total);
  for (let inner = 0; inner < KC; inner++) ints[packedRows + inner] = inner * NR;
  if (problem.stagedB) ints.set(problem.stagedB.rowOffsets, stagedRows);

  problem.stage?.(memory, stageBase);
  if (output?.bias) memory.set(output.bias.subarray(output.biasOffset, output.biasOffset + m), biasBase);
  else if (output) memory.fill(0, biasBase, biasBase + m);
  if (prepackA) {
    memory.fill(0, aBase, aBase + aFloats);
    problem.packA({ memory, offset: aBase, stride: k * MR }, { row0: 0, rows: m, k0: 0, kc: k, col0: 0, cols: 0 });
  }
  const cBlock: ScratchRegion = { memory, offset: cBase, stride: NC };
  for (let col0 = 0; col0 < n; col0 += NC) {
    const cols = Math.min(NC, n - col0);
    const nPanels = Math.ceil(cols / NR);
    for (let row0 = 0; row0 < m; row0 += MC) {
      const rows = Math.min(MC, m - row0);
      const mPanels = Math.ceil(rows / MR);
      for (let k0 = 0; k0 < k; k0 += KC) {
        const kc = Math.min(KC, k - k0);
        const block: GemmBlock = { row0, rows, k0, kc, col0, cols };
        let b = bBase;
        let bPanelStride = kc * NR;
        let bRows = packedRows;
        if (problem.stagedB && wasm && m > IN_PLACE_MAX_ROWS) {
          wasm.packRows(stageBase + col0, stagedRows + k0, bBase, kc, cols);
        } else if (problem.stagedB) {
          b = stageBase + col0;
          bPanelStride = NR;
          bRows = stagedRows + k0;
        } else problem.packB?.({ memory, offset: bBase, stride: bPanelStride }, block);
        let a: number;
        let aPanelStride: number;
        if (prepackA) {
          aPanelStride = k * MR;
          a = aBase + (row0 / MR) * aPanelStride + k0 * MR;
        } else {
          aPanelStride = kc * MR;
          a = aBase;
          if (rows % MR !== 0) memory.fill(0, aBase, aBase + mPanels * aPanelStride);
          problem.packA({ memory, offset: aBase, stride: aPanelStride }, block);
        }
        const accumulate = k0 > 0;
        microkernel(memory, ints, {
          a,
          aPanelStride,
          b,
          bPanelStride,
          bRows,
          c: cBase,
          ldc: NC,
          mPanels,
          nPanels,
          kc,
          accumulate,
        });
      }
      if (output && wasm) {
        wasm.storeBlock({
          source: { at: cBase, rowStride: NC },
          target: { at: outBase + row0 * output.plane, rowStride: output.plane },
          rows,
          col0,
          cols,
          lineIn: output.lineIn,
          lineOut: output.lineOut,
          bias: { at: biasBase + row0, rowStride: 1 },
        });
      } else problem.storeC(cBlock, { row0, rows, k0: 0, kc: k, col0, cols });
    }
  }
  output?.data.set(memory.subarray(outBase, outBase + m * output.plane), output.offset);
}

/** Packs B from a matrix read in place whose rows are contiguous (`innerStride` 1 along columns: `rowStride` is the row length). */
export function packRowMajorB(src: StridedMatrix, target: ScratchRegion, block: GemmBlock): void {
  const { data, offset: srcOffset, rowStride } = src;
  const { memory: dst, offset, stride: panelStride } = target;
  const { k0, kc, col0, cols } = block;
  for (let inner = 0; inner < kc; inner++) {
    const rowStart = srcOffset + (k0 + inner) * rowStride + col0;
    let column = 0;
    let panel = offset + inner * NR;
    // One full panel row per step, unrolled for NR = 8.
    for (; column + NR <= cols; column += NR, panel += panelStride) {
      const from = rowStart + column;
      dst[panel] = data[from];
      dst[panel + 1] = data[from + 1];
      dst[panel + 2] = data[from + 2];
      dst[panel + 3] = data[from + 3];
      dst[panel + 4] = data[from + 4];
      dst[panel + 5] = data[from + 5];
      dst[panel + 6] = data[from + 6];
      dst[panel + 7] = data[from + 7];
    }
    for (let lane = 0; column < cols; column++, lane++) dst[panel + lane] = data[rowStart + column];
  }
}

/**
 * Packs A from a matrix read in place: row-major A has `innerStride` 1 (and `rowStride` k), a
 * transposed one `rowStride` 1 (and `innerStride` m).
 */
export function packStridedA(src: StridedMatrix, target: ScratchRegion, block: GemmBlock): void {
  const { row0, rows, k0, kc } = block;
  const first = { ...src, offset: src.offset + row0 * src.rowStride + k0 * src.innerStride };
  packPanels(first, target, { rows, depth: kc, mr: MR }, 0, Math.ceil(rows / MR));
}
