/**
 * Shape arithmetic of the convolution family: output sizes, padding rules, receptive field,
 * parameter and FLOP counts, and the index geometry (tap maps, weight strides) every algorithm
 * reads. Every op of `@convkit/core` and every kernel of `@convkit/gpu` takes its sizes from here.
 *
 * @module
 */
export type {
  ConvAlgorithm,
  ConvInfo,
  ConvOptions,
  ConvTransposeOptions,
  Padding,
  PaddingMode,
  ResolverArguments,
  ShapeArguments,
  SlidingOptions,
  TransposePadding,
} from './types.js';
export { formatShape } from '../errors.js';
export { sizeOf } from '../tensor.js';
export { checkCall, checkOptionNames, checkTensor, readCall, type CallSpec, type ReadCall } from './check-call.js';
export { convInfo, convOutputShape } from './conv-info.js';
export { convTransposeInfo, convTransposeOutputShape } from './conv-transpose-info.js';
export { depthwiseConvInfo, type DepthwiseConvOptions } from './depthwise-info.js';
export { pointwiseConvInfo, type PointwiseConvOptions } from './pointwise-info.js';
export { separableConvInfo, type SeparableConvOptions } from './separable-info.js';
export { col2imInfo, im2colInfo, type FoldOptions, type UnfoldOptions } from './window-info.js';
export { effectiveKernelSize } from './kernel-extent.js';
export { resolvePadding, splitSamePadding, type PaddingGeometry } from './padding.js';
export { inputLayout } from './layout.js';
export {
  geometry3d,
  weightIndexing,
  weightStrides,
  type Geometry3d,
  type TapGeometry,
} from './geometry.js';
export { adjointGeometry, type AdjointGeometry } from './adjoint.js';
export {
  checkGradOutput,
  gradientInfo,
  readNeed,
  type BackwardOptions,
  type GradientInfo,
  type GradientName,
  type Gradients,
} from './backward-info.js';
export { MAX_ELEMENTS, checkExtent } from './normalize.js';
export { receptiveField, type ReceptiveFieldLayer, type ReceptiveFieldStep } from './receptive-field.js';
export { convFlops, convMacs, convParams, type ConvLayerKind, type ConvLayerSpec } from './counts.js';
