import type { GradientInfo } from '../shape/backward-info.js';
import type { ConvInfo } from '../shape/types.js';
import { sizeOf } from '../tensor.js';
import { directConvolution } from './direct.js';
import { foldPaddingGradient } from './fold-padding.js';
import { geometry3d, type Geometry3d } from '../shape/geometry.js';
import { blockedGemm, type GemmBlock, NR, packStridedA, type ScratchRegion } from './gemm-blocked.js';
import { adjointGeometry } from '../shape/adjoint.js';
import { im2colSample } from './im2col.js';
import { selectAlgorithm } from './select.js';

/**
 * The input gradient as a forward convolution of `gradOutput` with the forward weight, on the
 * fast path that convolution takes (GEMM + col2im for a conv's gradient, im2col + GEMM or the
 * depthwise loop for a transposed conv's), then the padded copies folded back. A cropping
 * adjoint (negative padding, see `gradientInfo`) takes the reference loop, which reads the tap maps only.
 */
export function fastInputGradient(
  gradient: GradientInfo,
  weight: Float32Array,
  gradOutput: Float32Array,
): Float32Array {
  const record = gradient.gradInput;
  const crops = record.padBegin.some((pad) => pad < 0) || record.padEnd.some((pad) => pad < 0);
  const kernel = crops ? directConvolution : selectAlgorithm(record, 'auto');
  const gradInput = kernel(record, gradOutput, weight, undefined);
  return gradient.foldsPadding ? foldPaddingGradient(gradient.forward, gradInput) : gradInput;
}

/** Packs B from a column-major matrix, element (inner, column) at `src[srcOffset + column * ld + inner]`. */
function packColumnMajorB(src: Float32Array, ld: number, target: ScratchRegion, block: GemmBlock): void {
  const { memory: dst, offset, stride: panelStride } = target;
  const { k0, kc, col0, cols } = block;
  for (let column = 0; column < cols; column++) {
    const panel = offset + Math.floor(column / NR) * panelStride + (column % NR);
    const columnBase = (col0 + column) * ld + k0;
    for (let inner = 0; inner < kc; inner++) dst[panel + inner * NR] = src[columnBase + inner];
  }
}

/**
 * One work unit (sample, group) of a weight gradient: `out[rows, channels * taps] += rowsOf @ cols^T`,
 * where `rowsOf` is a `[rows, positions]` block and `cols` the im2col columns
 * `[channels * taps, positions]` that `geometry` unfolds from `unfolded`. Every weight is the
 * correlation of one row with the input values its tap read, summed over the positions.
 */
interface CorrelationUnit {
  readonly geometry: Geometry3d;
  readonly rows: number;
  readonly channels: number;
  readonly rowsOf: Float32Array;
  readonly rowsOffset: number;
  readonly unfolded: Float32Array;
  readonly unfoldedOffset: number;
  readonly out: Float32Array;
  readonly outOffset: number;
}

function correlate(unit: CorrelationUnit, cols: Float32Array): void {
  const { geometry, rows, channels, out, outOffset } = unit;
  const positions = geometry.outPlane;
  const depth = channels * geometry.taps;
  im2colSample(geometry, unit.unfolded, unit.unfoldedOffset, channels, cols);
  blockedGemm({
    m: rows,
    n: depth,
    k: positions,
    packA: (target, block) =>
      packStridedA({ data: unit.rowsOf, offset: unit.rowsOffset, rowStride: positions, innerStride: 1 }, target, block),
    packB: (target, block) => packColumnMajorB(cols, positions, target, block),
    storeC: ({ memory: c, offset, stride: ldc }, { row0, rows: count, col0, cols: width }) => {
      for (let r = 0; r < count; r++) {
        const source = offset + r * ldc;
        const target = outOffset + (row0 + r) * depth + col0;
        for (let p = 0; p < width; p++) out[target + p] += c[source + p];
      }
    },
  });
}

/**
 * The weight gradient as one GEMM per sample and group. Conv: `gradW_g [C_out/g, C_in/g * K] +=
 * gradOutput_g [C_out/g, L_out] @ im2col(x_g)^T`, the upstream gradient correlated with the input
 * (padding modes come with the columns). Transposed conv, the mirror: `gradW_g [C_in/g, C_out/g * K]
 * += x_g [C_in/g, L_in] @ im2col(gradOutput_g)^T`, unfolded by the convolution it is the adjoint of.
 */
export function fastWeightGradient(info: ConvInfo, input: Float32Array, gradOutput: Float32Array): Float32Array {
  const gradWeight = new Float32Array(sizeOf(info.weightShape));
  const geometry = geometry3d(info.transposed ? adjointGeometry(info) : info);
  const inPlane = sizeOf(info.inSize);
  const outPlane = sizeOf(info.outSize);
  const weightsPerGroup = info.inChannelsPerGroup * info.outChannelsPerGroup * geometry.taps;
  // The rows of the GEMM are the channels the weight's first dim counts; the columns unfold the others.
  const rows = info.transposed ? info.inChannelsPerGroup : info.outChannelsPerGroup;
  const channels = info.transposed ? info.outChannelsPerGroup : info.inChannelsPerGroup;
  const cols = new Float32Array(channels * geometry.taps * geometry.outPlane);
  for (let n = 0; n < info.batch; n++) {
    for (let group = 0; group < info.groups; group++) {
      const inputOffset = (n * info.inChannels + group * info.inChannelsPerGroup) * inPlane;
      const gradOutputOffset = (n * info.outChannels + group * info.outChannelsPerGroup) * outPlane;
      const unit = info.transposed
        ? { rowsOf: input, rowsOffset: inputOffset, unfolded: gradOutput, unfoldedOffset: gradOutputOffset }
        : { rowsOf: gradOutput, rowsOffset: gradOutputOffset, unfolded: input, unfoldedOffset: inputOffset };
      correlate({ ...unit, geometry, rows, channels, out: gradWeight, outOffset: group * weightsPerGroup }, cols);
    }
  }
  return gradWeight;
}
