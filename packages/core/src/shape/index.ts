/**
 * Shape arithmetic of the convolution family: output sizes, padding rules, receptive field,
 * parameter and FLOP counts. Every op of `@convkit/core` and every kernel of `@convkit/gpu`
 * takes its sizes from here.
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
  TransposePadding,
} from './types.js';
export {
  checkCall,
  checkTensor,
  convInfo,
  convOutputShape,
  convTransposeInfo,
  convTransposeOutputShape,
  effectiveKernelSize,
  resolvePadding,
  type PaddingGeometry,
} from './conv-info.js';
export {
  checkGradOutput,
  gradientInfo,
  readNeed,
  type BackwardOptions,
  type GradientInfo,
  type GradientName,
  type Gradients,
} from './backward-info.js';
export { MAX_ELEMENTS } from './normalize.js';
export { receptiveField, type ReceptiveFieldLayer, type ReceptiveFieldStep } from './receptive-field.js';
export { convFlops, convMacs, convParams, type ConvLayerKind, type ConvLayerSpec } from './counts.js';
