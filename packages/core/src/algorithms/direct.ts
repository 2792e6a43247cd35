import { sizeOf } from '../tensor.js';
import type { ConvInfo } from '../shape/types.js';
import { geometry3d, weightIndexing } from '../shape/geometry.js';
import { markPaddingNaNs } from './padding-nans.js';

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
      const channelBias = bias ? bias[outChannel] : 0;
      for (let od = 0; od < outD; od++) {
        for (let oh = 0; oh < outH; oh++) {
          for (let ow = 0; ow < outW; ow++) {
            let sum = channelBias;
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
                    sum += input[rowBase + iw] * weight[tapBase + tw];
                  }
                }
              }
            }
            output[outputBase + (od * outH + oh) * outW + ow] = sum;
          }
        }
      }
    }
  }
  markPaddingNaNs(info, weight, output);
  return output;
}
