/**
 * `@convkit/core`: exact reference implementations of the convolution family (standard,
 * depthwise, pointwise, depthwise-separable, group, dilated and transposed; 1-D, 2-D and 3-D)
 * with PyTorch's layouts and semantics, plus the shape arithmetic and the matrix view.
 *
 * @module
 */
export { ConvError, describeValue } from './errors.js';
export { tensor, zeros, type Tensor, type TensorShape } from './tensor.js';
export * from './shape/index.js';
export { conv } from './ops/conv.js';
export { conv1d } from './ops/conv1d.js';
export { conv2d } from './ops/conv2d.js';
export { conv3d } from './ops/conv3d.js';
export { convTranspose } from './ops/conv-transpose.js';
export { convTranspose1d } from './ops/conv-transpose1d.js';
export { convTranspose2d } from './ops/conv-transpose2d.js';
export { convTranspose3d } from './ops/conv-transpose3d.js';
export { depthwiseConv } from './ops/depthwise-conv.js';
export { pointwiseConv } from './ops/pointwise-conv.js';
export { separableConv } from './ops/separable-conv.js';
export { depthwiseInfo, pointwiseInfo, separableInfo } from './legacy-validators.js';
export {
  namedArguments,
  OP_NAMES,
  OP_TABLE,
  planCall,
  PREVIOUS_STAGE,
  resolveArguments,
  type OpDescriptor,
  type OpFamily,
  type OpName,
  type OpStage,
  type OperandsOf,
  type OptionsOf,
  type TensorOptionOf,
  type WithTensorOptions,
} from './ops/table.js';
export {
  BACKWARD_NAMES,
  gradientNameOf,
  needsActivation,
  planBackward,
  stageGradientTensors,
  type BackwardFamily,
  type BackwardOptionsOf,
  type BackwardStage,
  type GradientNameOf,
} from './ops/backward.js';
export { convBackward, type ConvBackwardOptions } from './ops/conv-backward.js';
export { conv1dBackward } from './ops/conv1d-backward.js';
export { conv2dBackward } from './ops/conv2d-backward.js';
export { conv3dBackward } from './ops/conv3d-backward.js';
export { convTransposeBackward, type ConvTransposeBackwardOptions } from './ops/conv-transpose-backward.js';
export { convTranspose1dBackward } from './ops/conv-transpose1d-backward.js';
export { convTranspose2dBackward } from './ops/conv-transpose2d-backward.js';
export { convTranspose3dBackward } from './ops/conv-transpose3d-backward.js';
export { depthwiseConvBackward, type DepthwiseConvBackwardOptions } from './ops/depthwise-conv-backward.js';
export { pointwiseConvBackward, type PointwiseConvBackwardOptions } from './ops/pointwise-conv-backward.js';
export {
  separableConvBackward,
  type SeparableConvBackwardOptions,
  type SeparableGradientName,
} from './ops/separable-conv-backward.js';
export { foldPaddingGradient } from './algorithms/fold-padding.js';
export { im2col } from './ops/im2col.js';
export { col2im } from './ops/col2im.js';
export { convMatrix, MAX_MATRIX_ELEMENTS } from './ops/conv-matrix.js';
export { markPaddingNaNs, paddingNaNsApply } from './algorithms/padding-nans.js';
export { type CpuKernelPath, cpuKernelPath } from './algorithms/wasm-kernels.js';
export { createThreadPool, type ThreadPool, type ThreadPoolOptions } from './algorithms/thread-pool.js';
export {
  fromOnnxPads,
  toOnnxPads,
  fromOnnxConvAttributes,
  fromOnnxConvTransposeAttributes,
  toOnnxConvAttributes,
  type OnnxConvAttributes,
} from './onnx.js';
