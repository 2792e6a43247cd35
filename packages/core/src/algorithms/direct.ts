import { sizeOf } from '../tensor.js';
import type { ConvInfo } from '../shape/types.js';
import { markPaddingNaNs } from './padding-nans.js';
import { walkOutputTaps } from './tap-walk.js';

/**
 * The reference convolution: one output at a time, every tap gathered through the tap maps,
 * accumulated in float64 and rounded once to float32 (so partial sums beyond float32's range do not
 * overflow when the total is within it). Padding taps are skipped, then {@link markPaddingNaNs}
 * applies PyTorch's `0 * Infinity = NaN` for them. Serves conv and transposed conv alike
 * (a transposed conv gathers the inputs that its scatter form would send to each output).
 * This is the oracle every fast path and GPU kernel is tested against; it favours clarity.
 */
export function directConvolution(
  info: ConvInfo,
  input: Float32Array,
  weight: Float32Array,
  bias: Float32Array | undefined,
): Float32Array {
  const output = new Float32Array(sizeOf(info.outputShape));
  const inChannels = info.inChannelsPerGroup;
  walkOutputTaps(info, (at) => {
    let sum = bias ? bias[at.outChannel] : 0;
    for (let inChannel = 0; inChannel < inChannels; inChannel++) {
      const inputBase = at.inputGroupBase + inChannel * at.inPlane;
      const weightChannelBase = at.weightGroupBase + inChannel * at.inChannelStride;
      for (let tap = 0; tap < at.count; tap++) {
        sum += input[inputBase + at.inputOffset[tap]] * weight[weightChannelBase + at.tapOffset[tap]];
      }
    }
    output[at.output] = sum;
  });
  markPaddingNaNs(info, weight, output);
  return output;
}
