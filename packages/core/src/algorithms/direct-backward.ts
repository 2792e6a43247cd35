import type { ConvInfo } from '../shape/types.js';
import { sizeOf } from '../tensor.js';
import { walkOutputTaps } from './tap-walk.js';

/** Which of the two tap-wise gradients a backward call computes (the bias gradient needs no taps). */
export interface TapGradientRequest {
  readonly input: boolean;
  readonly weight: boolean;
}

/**
 * The reference backward pass: walks exactly the taps {@link directConvolution} walks and sends
 * each output's gradient back along them, to the input element it read (times the weight) and
 * to the weight it used (times the input), accumulated in float64 and rounded once. Because the
 * tap maps already send a padded read to the element it copies, padding modes, stride gaps and
 * the transposed gather need no case of their own. The oracle of every fast path and GPU kernel.
 */
export function directBackward(
  info: ConvInfo,
  input: Float32Array,
  weight: Float32Array,
  gradOutput: Float32Array,
  request: TapGradientRequest,
): { gradInput?: Float32Array; gradWeight?: Float32Array } {
  const gradInput = request.input ? new Float64Array(sizeOf(info.inputShape)) : null;
  const gradWeight = request.weight ? new Float64Array(sizeOf(info.weightShape)) : null;
  const inChannels = info.inChannelsPerGroup;
  walkOutputTaps(info, (at) => {
    const upstream = gradOutput[at.output];
    if (upstream === 0) return;
    for (let inChannel = 0; inChannel < inChannels; inChannel++) {
      const inputBase = at.inputGroupBase + inChannel * at.inPlane;
      const weightChannelBase = at.weightGroupBase + inChannel * at.inChannelStride;
      for (let tap = 0; tap < at.count; tap++) {
        const inputAt = inputBase + at.inputOffset[tap];
        const weightAt = weightChannelBase + at.tapOffset[tap];
        if (gradInput) gradInput[inputAt] += upstream * weight[weightAt];
        if (gradWeight) gradWeight[weightAt] += upstream * input[inputAt];
      }
    }
  });
  return {
    gradInput: gradInput ? Float32Array.from(gradInput) : undefined,
    gradWeight: gradWeight ? Float32Array.from(gradWeight) : undefined,
  };
}

/** The bias gradient: `gradOutput` summed over batch and space per output channel, in float64. */
export function biasGradient(info: ConvInfo, gradOutput: Float32Array): Float32Array {
  const outPlane = sizeOf(info.outSize);
  const sums = new Float64Array(info.outChannels);
  for (let n = 0; n < info.batch; n++) {
    for (let channel = 0; channel < info.outChannels; channel++) {
      const base = (n * info.outChannels + channel) * outPlane;
      let sum = 0;
      for (let position = 0; position < outPlane; position++) sum += gradOutput[base + position];
      sums[channel] += sum;
    }
  }
  return Float32Array.from(sums);
}
