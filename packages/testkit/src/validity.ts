/**
 * testkit's own rule for which calls are valid, written from PyTorch's documented formulas
 * (torch.nn.Conv*d, ConvTranspose*d, torch.nn.functional.pad) and ONNX's auto_pad, and never by
 * asking core: a valid call that core rejects must show up as a failure, not as a redraw.
 */

export type PaddingSpec = number | readonly (number | readonly [number, number])[] | string;

export interface SpatialGeometry {
  readonly inSize: readonly number[];
  readonly kernelSize: readonly number[];
  readonly stride: readonly number[];
  readonly dilation: readonly number[];
}

/** `[begin, end]` per spatial dim of a convolution's padding. */
export function convPaddingPairs(padding: PaddingSpec, geometry: SpatialGeometry): [number, number][] {
  const { inSize, kernelSize, stride, dilation } = geometry;
  return inSize.map((extent, axis): [number, number] => {
    // PyTorch: the dilated kernel covers dilation * (kernel - 1) + 1 cells.
    const span = dilation[axis] * (kernelSize[axis] - 1) + 1;
    if (padding === 'valid') return [0, 0];
    if (padding === 'same') {
      // PyTorch's 'same' (stride 1 only): total span - 1, the odd cell at the end.
      const total = span - 1;
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    }
    if (padding === 'same_upper' || padding === 'same_lower') {
      // ONNX: output ceil(in / stride); the odd cell at the end (upper) or the beginning (lower).
      const out = Math.ceil(extent / stride[axis]);
      const total = Math.max(0, (out - 1) * stride[axis] + span - extent);
      const half = Math.floor(total / 2);
      return padding === 'same_upper' ? [half, total - half] : [total - half, half];
    }
    return explicitPair(padding, axis);
  });
}

/** One spatial dim's `[begin, end]` of a number, a list of numbers or a list of pairs. */
function explicitPair(padding: PaddingSpec, axis: number): [number, number] {
  if (typeof padding === 'number') return [padding, padding];
  const entry = (padding as readonly (number | readonly [number, number])[])[axis];
  return typeof entry === 'number' ? [entry, entry] : [entry[0], entry[1]];
}

/** PyTorch: out = floor((in + padBegin + padEnd - dilation * (kernel - 1) - 1) / stride) + 1 per spatial dim. */
export function convOutSize(pads: readonly (readonly [number, number])[], geometry: SpatialGeometry): number[] {
  return geometry.inSize.map(
    (extent, axis) =>
      Math.floor(
        (extent + pads[axis][0] + pads[axis][1] - geometry.dilation[axis] * (geometry.kernelSize[axis] - 1) - 1) /
          geometry.stride[axis],
      ) + 1,
  );
}

/**
 * Whether a convolution with these settings is valid: 'same' needs stride 1, every output extent is
 * at least 1, reflect padding is below the input size and circular padding at most the input size
 * (torch.nn.functional.pad).
 */
export function isValidConv(padding: PaddingSpec, paddingMode: string, geometry: SpatialGeometry): boolean {
  if (padding === 'same' && geometry.stride.some((step) => step !== 1)) return false;
  const pads = convPaddingPairs(padding, geometry);
  if (convOutSize(pads, geometry).some((extent) => extent < 1)) return false;
  return geometry.inSize.every((extent, axis) => {
    const widest = Math.max(pads[axis][0], pads[axis][1]);
    if (paddingMode === 'reflect') return widest < extent;
    if (paddingMode === 'circular') return widest <= extent;
    return true;
  });
}

/**
 * PyTorch: out = (in - 1) * stride - padBegin - padEnd + dilation * (kernel - 1) + outputPadding + 1,
 * for explicit padding; ONNX's same_upper / same_lower give out = in * stride (or output_shape).
 */
export function convTransposeOutSize(
  padding: PaddingSpec,
  outputPadding: readonly number[],
  geometry: SpatialGeometry,
): number[] {
  const { inSize, kernelSize, stride, dilation } = geometry;
  return inSize.map((extent, axis) => {
    if (padding === 'same_upper' || padding === 'same_lower') return extent * stride[axis];
    const pair = padding === 'valid' ? [0, 0] : explicitPair(padding, axis);
    return (
      (extent - 1) * stride[axis] -
      pair[0] -
      pair[1] +
      dilation[axis] * (kernelSize[axis] - 1) +
      outputPadding[axis] +
      1
    );
  });
}

/** PyTorch: output padding must be smaller than either the stride or the dilation, on every dim. */
export function outputPaddingLimit(geometry: SpatialGeometry): number[] {
  return geometry.stride.map((step, axis) => Math.max(step, geometry.dilation[axis]) - 1);
}
