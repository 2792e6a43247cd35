import { ConvError, describeValue } from '../errors.js';
import { sizeOf } from '../tensor.js';
import { convInfo } from './conv-info.js';
import { checkExtent } from './normalize.js';
import { convTransposeInfo } from './conv-transpose-info.js';
import type { ConvInfo, Padding, TransposePadding } from './types.js';

/**
 * Which member of the family a layer is.
 *
 * @example
 * ```ts
 * import { convParams } from '@convkit/core/shape';
 * convParams({ kind: 'depthwise', inChannels: 32, kernelSize: 3 }); // 288
 * ```
 */
export type ConvLayerKind = 'conv' | 'convTranspose' | 'depthwise' | 'pointwise' | 'separable';

/**
 * A convolution layer described by its hyper-parameters, for counting weights and work.
 * `inputSize` (spatial) is needed only for MACs and FLOPs.
 *
 * @example
 * ```ts
 * import type { ConvLayerSpec } from '@convkit/core/shape';
 * const resnetBlock: ConvLayerSpec = { inChannels: 64, outChannels: 64, kernelSize: 3, padding: 1, inputSize: [56, 56] };
 * resnetBlock.inputSize; // [56, 56]
 * ```
 */
export interface ConvLayerSpec {
  /** Default `'conv'`. A group conv is `'conv'` with `groups`; a dilated conv is `'conv'` with `dilation`. */
  kind?: ConvLayerKind;
  inChannels: number;
  /** For `'depthwise'`, defaults to `inChannels * multiplier`. */
  outChannels?: number;
  /** One number for every spatial dim or one per dim; ignored for `'pointwise'`. */
  kernelSize?: number | readonly number[];
  groups?: number;
  /** Channel multiplier of a depthwise stage (`'depthwise'`, `'separable'`). Default 1. */
  multiplier?: number;
  /** Spatial input size, e.g. `[56, 56]`. */
  inputSize?: readonly number[];
  batch?: number;
  stride?: number | readonly number[];
  dilation?: number | readonly number[];
  padding?: Padding;
  outputPadding?: number | readonly number[];
}

interface Stage {
  info?: ConvInfo;
  weights: number;
  /** Multiply-adds per output (conv) or per input (transposed) position. */
  macs: number;
}

function fail(op: string, arg: string, message: string): never {
  throw new ConvError(op, arg, message);
}

function checkCount(op: string, arg: string, value: unknown): number {
  return checkExtent(op, arg, value, 1);
}

function stages(op: string, spec: ConvLayerSpec, needSizes: boolean): Stage[] {
  const kind = spec.kind ?? 'conv';
  const inChannels = checkCount(op, 'inChannels', spec.inChannels);
  const inputSize = spec.inputSize;
  if (needSizes && inputSize === undefined)
    fail(op, 'inputSize', `inputSize (spatial, e.g. [56, 56]) is needed to count MACs and FLOPs`);
  const spatialRank = inputSize?.length ?? (Array.isArray(spec.kernelSize) ? spec.kernelSize.length : 2);
  const kernelOf = (kernel: number | readonly number[] | undefined): number[] => {
    if (kernel === undefined) fail(op, 'kernelSize', `kernelSize is required for a '${kind}' layer`);
    const kernelSize = typeof kernel === 'number' ? new Array<number>(spatialRank).fill(kernel) : [...kernel];
    if (kernelSize.length !== spatialRank) {
      fail(
        op,
        'kernelSize',
        `kernelSize [${kernelSize.join(',')}] must have one entry per spatial dim (${spatialRank})`,
      );
    }
    for (const [axis, extent] of kernelSize.entries()) checkCount(op, `kernelSize[${axis}]`, extent);
    return kernelSize;
  };
  const batch = spec.batch ?? 1;
  const inputShape = (channels: number, size: readonly number[] | undefined): number[] =>
    size ? [batch, channels, ...size] : [];
  const stage = (
    channelsIn: number,
    weightShape: number[],
    size: readonly number[] | undefined,
    options: {
      groups?: number;
      stride?: number | readonly number[];
      dilation?: number | readonly number[];
      padding?: Padding;
    },
  ): Stage => {
    const weights = sizeOf(weightShape);
    if (!size) return { weights, macs: 0 };
    const info = convInfo(inputShape(channelsIn, size), weightShape, options, op);
    return { info, weights, macs: sizeOf(info.outputShape) * sizeOf(weightShape.slice(1)) };
  };
  switch (kind) {
    case 'conv':
    case 'pointwise': {
      const outChannels = checkCount(op, 'outChannels', spec.outChannels);
      const groups = checkCount(op, 'groups', spec.groups ?? 1);
      const kernelSize = kind === 'pointwise' ? new Array<number>(spatialRank).fill(1) : kernelOf(spec.kernelSize);
      if (inChannels % groups !== 0)
        fail(op, 'groups', `inChannels (${inChannels}) must be divisible by groups (${groups})`);
      if (outChannels % groups !== 0)
        fail(op, 'groups', `outChannels (${outChannels}) must be divisible by groups (${groups})`);
      const weightShape = [outChannels, inChannels / groups, ...kernelSize];
      return [
        stage(
          inChannels,
          weightShape,
          inputSize,
          kind === 'pointwise' ? { groups, stride: spec.stride } : { ...spec, groups },
        ),
      ];
    }
    case 'depthwise': {
      const multiplier = checkCount(op, 'multiplier', spec.multiplier ?? 1);
      const outChannels = spec.outChannels ?? inChannels * multiplier;
      if (outChannels !== inChannels * multiplier) {
        fail(
          op,
          'outChannels',
          `a depthwise layer has inChannels * multiplier (${inChannels} * ${multiplier}) output channels, got ${outChannels}`,
        );
      }
      const weightShape = [outChannels, 1, ...kernelOf(spec.kernelSize)];
      return [stage(inChannels, weightShape, inputSize, { ...spec, groups: inChannels })];
    }
    case 'separable': {
      const multiplier = checkCount(op, 'multiplier', spec.multiplier ?? 1);
      const outChannels = checkCount(op, 'outChannels', spec.outChannels);
      const middle = inChannels * multiplier;
      const depthwise = stage(inChannels, [middle, 1, ...kernelOf(spec.kernelSize)], inputSize, {
        ...spec,
        groups: inChannels,
      });
      const pointwiseSize = depthwise.info?.outSize;
      const pointwise = stage(
        middle,
        [outChannels, middle, ...new Array<number>(spatialRank).fill(1)],
        pointwiseSize,
        {},
      );
      return [depthwise, pointwise];
    }
    case 'convTranspose': {
      const outChannels = checkCount(op, 'outChannels', spec.outChannels);
      const groups = spec.groups ?? 1;
      if (outChannels % groups !== 0)
        fail(op, 'groups', `outChannels (${outChannels}) must be divisible by groups (${groups})`);
      const weightShape = [inChannels, outChannels / groups, ...kernelOf(spec.kernelSize)];
      const weights = sizeOf(weightShape);
      if (!inputSize) return [{ weights, macs: 0 }];
      const info = convTransposeInfo(
        inputShape(inChannels, inputSize),
        weightShape,
        {
          groups,
          stride: spec.stride,
          dilation: spec.dilation,
          padding: spec.padding as TransposePadding | undefined,
          outputPadding: spec.outputPadding,
        },
        op,
      );
      return [{ info, weights, macs: sizeOf(info.inputShape) * sizeOf(weightShape.slice(1)) }];
    }
    default:
      return fail(
        op,
        'kind',
        `unknown layer kind ${describeValue(kind)}; expected 'conv', 'convTranspose', 'depthwise', 'pointwise' or 'separable'`,
      );
  }
}

/**
 * Number of weights of a layer, bias not counted.
 *
 * @example
 * ```ts
 * import { convParams } from '@convkit/core/shape';
 * convParams({ inChannels: 16, outChannels: 32, kernelSize: 3 }); // 4608
 * convParams({ kind: 'separable', inChannels: 16, outChannels: 32, kernelSize: 3 }); // 3*3*16 + 16*32 = 656
 * convParams({ inChannels: 256, outChannels: 256, kernelSize: 3, groups: 8 }); // 589824 / 8 = 73728
 * ```
 */
export function convParams(spec: ConvLayerSpec): number {
  return stages('convParams', spec, false).reduce((total, stage) => total + stage.weights, 0);
}

/**
 * Multiply-accumulate operations of a layer (only the real ones of the op):
 * `N * C_out * (C_in/g) * prod(k) * prod(out)` for a convolution,
 * `N * C_in * (C_out/g) * prod(k) * prod(in)` for a transposed one; a separable layer adds both stages.
 *
 * @example
 * ```ts
 * import { convMacs } from '@convkit/core/shape';
 * convMacs({ inChannels: 64, outChannels: 64, kernelSize: 3, padding: 1, inputSize: [56, 56] }); // 115605504
 * ```
 */
export function convMacs(spec: ConvLayerSpec): number {
  return stages('convMacs', spec, true).reduce((total, stage) => total + stage.macs, 0);
}

/**
 * Floating-point operations of a layer: two per multiply-accumulate.
 *
 * @example
 * ```ts
 * import { convFlops } from '@convkit/core/shape';
 * convFlops({ inChannels: 64, outChannels: 64, kernelSize: 3, padding: 1, inputSize: [56, 56] }); // 231211008
 * ```
 */
export function convFlops(spec: ConvLayerSpec): number {
  return 2 * convMacs(spec);
}
