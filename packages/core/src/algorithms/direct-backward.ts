import type { ConvInfo } from '../shape/types.js';
import { sizeOf } from '../tensor.js';
import { geometry3d, weightIndexing } from '../shape/geometry.js';

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
  const { inSize, outSize, kernelSize, inPlane, outPlane, taps, tapMaps } = geometry3d(info);
  const [mapD, mapH, mapW] = tapMaps;
  const [, inH, inW] = inSize;
  const [outD, outH, outW] = outSize;
  const [kD, kH, kW] = kernelSize;
  const { weightBase, inChannelStride } = weightIndexing(info, taps);
  for (let n = 0; n < info.batch; n++) {
    for (let outChannel = 0; outChannel < info.outChannels; outChannel++) {
      const group = Math.floor(outChannel / info.outChannelsPerGroup);
      const inputGroupBase = (n * info.inChannels + group * info.inChannelsPerGroup) * inPlane;
      const weightGroupBase = weightBase(outChannel);
      const outputBase = (n * info.outChannels + outChannel) * outPlane;
      for (let od = 0; od < outD; od++) {
        for (let oh = 0; oh < outH; oh++) {
          for (let ow = 0; ow < outW; ow++) {
            const upstream = gradOutput[outputBase + (od * outH + oh) * outW + ow];
            if (upstream === 0) continue;
            for (let inChannel = 0; inChannel < info.inChannelsPerGroup; inChannel++) {
              const inputBase = inputGroupBase + inChannel * inPlane;
              const weightChannelBase = weightGroupBase + inChannel * inChannelStride;
              for (let td = 0; td < kD; td++) {
                const id = mapD[od * kD + td];
                if (id < 0) continue;
                for (let th = 0; th < kH; th++) {
                  const ih = mapH[oh * kH + th];
                  if (ih < 0) continue;
                  const rowBase = inputBase + (id * inH + ih) * inW;
                  const tapBase = weightChannelBase + (td * kH + th) * kW;
                  for (let tw = 0; tw < kW; tw++) {
                    const iw = mapW[ow * kW + tw];
                    if (iw < 0) continue;
                    if (gradInput) gradInput[rowBase + iw] += upstream * weight[tapBase + tw];
                    if (gradWeight) gradWeight[tapBase + tw] += upstream * input[rowBase + iw];
                  }
                }
              }
            }
          }
        }
      }
    }
  }
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
