import type {
  ConvBackwardOptions,
  ConvTransposeBackwardOptions,
  Gradients,
  ConvOptions,
  ConvTransposeOptions,
  DepthwiseConvOptions,
  PointwiseConvOptions,
  SeparableConvOptions,
  Tensor,
} from '@convkit/core';

type MaybePromise<T> = T | Promise<T>;

/**
 * The ops a live example may call. `@convkit/core` (synchronous) and a `@convkit/gpu` instance
 * (asynchronous) both fit, so the page runs one example on both and compares the results.
 */
export interface ConvBackend {
  conv(input: Tensor, weight: Tensor, options?: ConvOptions): MaybePromise<Tensor>;
  convTranspose(input: Tensor, weight: Tensor, options?: ConvTransposeOptions): MaybePromise<Tensor>;
  depthwiseConv(input: Tensor, weight: Tensor, options?: DepthwiseConvOptions): MaybePromise<Tensor>;
  pointwiseConv(input: Tensor, weight: Tensor, options?: PointwiseConvOptions): MaybePromise<Tensor>;
  separableConv(
    input: Tensor,
    depthwiseWeight: Tensor,
    pointwiseWeight: Tensor,
    options?: SeparableConvOptions,
  ): MaybePromise<Tensor>;
  convBackward(
    input: Tensor,
    weight: Tensor,
    gradOutput: Tensor,
    options?: ConvBackwardOptions,
  ): MaybePromise<Gradients<'gradInput' | 'gradWeight' | 'gradBias'>>;
  convTransposeBackward(
    input: Tensor,
    weight: Tensor,
    gradOutput: Tensor,
    options?: ConvTransposeBackwardOptions,
  ): MaybePromise<Gradients<'gradInput' | 'gradWeight' | 'gradBias'>>;
}

/** What a live example returns: named tensors, shown as grids in the order given. */
export type ExampleResult = Record<string, Tensor>;

/** A live example: one async function of the backend, the default export of its module. */
export type Example = (backend: ConvBackend) => Promise<ExampleResult>;
