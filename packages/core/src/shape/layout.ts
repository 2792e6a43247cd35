import { effectiveKernelSize } from './kernel-extent.js';
import { checkShape } from '../tensor.js';
import { fail, perDimIntegers, positiveInteger, type ShapeContext } from './normalize.js';
import type { ResolverArguments, SlidingOptions } from './types.js';

/**
 * Whether an input of `inputShape` is batched (`[N, C, ...spatial]`) for a weight with
 * `spatialRank` spatial dims, and so which of its dims holds the channels. An input of any other
 * rank counts as unbatched here; the resolvers refuse it with a message.
 *
 * @example
 * ```ts
 * import { inputLayout } from '@convkit/core/shape';
 * inputLayout([8, 3, 32, 32], 2); // { batched: true, channelAxis: 1, channels: 3 }
 * inputLayout([3, 32, 32], 2); // { batched: false, channelAxis: 0, channels: 3 }
 * ```
 */
export function inputLayout(
  inputShape: readonly number[],
  spatialRank: number,
): { batched: boolean; channelAxis: number; channels: number } {
  const batched = inputShape.length === spatialRank + 2;
  const channelAxis = batched ? 1 : 0;
  return { batched, channelAxis, channels: inputShape[channelAxis] };
}

/** The input and weight layout of a call, checked. */
export interface Layout {
  spatialRank: number;
  batched: boolean;
  batch: number;
  channels: number;
  inSize: number[];
  kernelSize: number[];
}

/** Checks the ranks of input and weight against each other and against the op's expected rank. */
function readLayout(context: ShapeContext, expectedSpatialRank: number | undefined, kernelLayout: string): Layout {
  const { inputShape, weightShape } = context;
  checkShape(context.op, 'input', inputShape);
  checkShape(context.op, 'weight', weightShape);
  const spatialRank = weightShape.length - 2;
  if (expectedSpatialRank !== undefined && spatialRank !== expectedSpatialRank) {
    fail(
      context,
      'weight',
      `weight must have ${expectedSpatialRank + 2} dims ${kernelLayout}, got ${weightShape.length}`,
    );
  }
  if (spatialRank < 1 || spatialRank > 3) {
    fail(context, 'weight', `weight must have 3, 4 or 5 dims ${kernelLayout}, got ${weightShape.length}`);
  }
  const { batched, channelAxis, channels } = inputLayout(inputShape, spatialRank);
  if (!batched && inputShape.length !== spatialRank + 1) {
    fail(
      context,
      'input',
      `input must have ${spatialRank + 2} dims (batched [N, C, ...]) or ${spatialRank + 1} (unbatched [C, ...]) to match a weight with ${spatialRank} spatial dims, got ${inputShape.length}`,
    );
  }
  const layout: Layout = {
    spatialRank,
    batched,
    batch: batched ? inputShape[0] : 1,
    channels,
    inSize: inputShape.slice(channelAxis + 1),
    kernelSize: weightShape.slice(2),
  };
  // An empty batch is valid (PyTorch returns an empty output of the right shape); any other empty dim is not.
  const emptyInput = inputShape.findIndex((extent, axis) => extent === 0 && !(batched && axis === 0));
  if (emptyInput >= 0) fail(context, 'input', `input has an empty dim (input.shape[${emptyInput}] = 0)`);
  const emptyWeight = weightShape.indexOf(0);
  if (emptyWeight >= 0) fail(context, 'weight', `weight has an empty dim (weight.shape[${emptyWeight}] = 0)`);
  return layout;
}

/** What {@link readCommon} resolves: the call's context and layout, and the per-dim options both resolvers share. */
export interface Common {
  context: ShapeContext;
  layout: Layout;
  groups: number;
  stride: number[];
  dilation: number[];
  /** The dilated kernel extent per spatial dim, that both resolvers size their output with. */
  effective: number[];
}

/**
 * What a convolution and a transposed convolution validate alike: ranks, groups, stride, dilation;
 * and the dilated kernel extent both size their output with. Reads the resolver's own arguments, so
 * both resolvers share one signature and one prologue; `defaults.op` names the op when the call does not.
 */
export function readCommon<Options extends SlidingOptions>(
  [inputShape, weightShape, options = {} as Options, op, expectedSpatialRank]: ResolverArguments<Options>,
  defaults: { op: string; kernelLayout: string },
): Common & { options: Options } {
  const context: ShapeContext = { op: op ?? defaults.op, inputShape, weightShape };
  const layout = readLayout(context, expectedSpatialRank, defaults.kernelLayout);
  // Checked in this order, so a call with several faults always names the same one.
  const groups = positiveInteger(context, 'groups', options.groups, 1);
  const stride = perDimIntegers(context, 'stride', options.stride, layout.spatialRank, 1, 1);
  const dilation = perDimIntegers(context, 'dilation', options.dilation, layout.spatialRank, 1, 1);
  return {
    context,
    layout,
    groups,
    stride,
    dilation,
    effective: effectiveKernelSize(layout.kernelSize, dilation),
    options,
  };
}

/** Both resolvers need whole groups of input channels; each calls this where its message order wants it. */
export function checkGroupsDivideChannels({ context, layout, groups }: Common): void {
  if (layout.channels % groups !== 0) {
    fail(context, 'groups', `input channels (${layout.channels}) must be divisible by groups (${groups})`);
  }
}
