import type { ConvInfo } from '../shape/types.js';
import { geometry3d } from '../shape/geometry.js';

/** True when some weight is ±Infinity or NaN: `0 * w` is NaN exactly for those. */
function hasNonFinite(weight: Float32Array): boolean {
  let probe = 0;
  for (let index = 0; index < weight.length; index++) probe += 0 * weight[index];
  return Number.isNaN(probe);
}

/**
 * True when {@link markPaddingNaNs} can change an output of `info` computed with `weight`: zero
 * padding, not transposed, and some weight ±Infinity or NaN. A backend that cannot apply the rule
 * where it computes (gpu's results kept on the device) asks this first.
 *
 * @example
 * ```ts
 * import { convInfo, paddingNaNsApply } from '@convkit/core';
 * const info = convInfo([1, 1, 3], [1, 1, 3], { padding: 1 });
 * paddingNaNsApply(info, new Float32Array([0, 1, Infinity])); // true
 * paddingNaNsApply(info, new Float32Array([0, 1, 2])); // false
 * ```
 */
export function paddingNaNsApply(info: ConvInfo, weight: Float32Array): boolean {
  return !info.transposed && info.paddingMode === 'zeros' && hasNonFinite(weight);
}

/**
 * PyTorch's rule for non-finite weights: zero padding is made of real zeros, so a padding tap adds
 * `0 * weight`, which is NaN where the weight is ±Infinity or NaN. Loops that skip padding taps
 * (for a finite weight they add nothing) call this on their output: it writes NaN wherever a
 * window puts a non-finite weight of its output channel over padding. Other padding modes read
 * real input, and a transposed convolution has no padding taps (its padding crops the output; its
 * stride gaps receive nothing, as in PyTorch's col2im), so neither is touched. Costs one pass over
 * the weight when every weight is finite.
 *
 * @example
 * ```ts
 * import { convInfo, markPaddingNaNs } from '@convkit/core';
 * const output = new Float32Array([1, 2, 3]); // conv of [1, 2, 3] with [0, 1, Infinity] skipping padding
 * markPaddingNaNs(convInfo([1, 1, 3], [1, 1, 3], { padding: 1 }), new Float32Array([0, 1, Infinity]), output);
 * output; // Float32Array [1, 2, NaN]: only the last window has the Infinity tap over padding
 * ```
 */
export function markPaddingNaNs(info: ConvInfo, weight: Float32Array, output: Float32Array): void {
  if (!paddingNaNsApply(info, weight)) return;
  const { outSize, kernelSize, outPlane, taps, tapMaps } = geometry3d(info);
  const [mapD, mapH, mapW] = tapMaps;
  const [outD, outH, outW] = outSize;
  const [kD, kH, kW] = kernelSize;
  const weightsPerOutChannel = info.inChannelsPerGroup * taps;
  const poisoned = new Uint8Array(outPlane);
  for (let outChannel = 0; outChannel < info.outChannels; outChannel++) {
    // The taps (over all input channels of the group) where this output channel has a non-finite weight.
    const badTaps: number[] = [];
    for (let tap = 0; tap < taps; tap++) {
      for (let inChannel = 0; inChannel < info.inChannelsPerGroup; inChannel++) {
        if (!Number.isFinite(weight[outChannel * weightsPerOutChannel + inChannel * taps + tap])) {
          badTaps.push(tap);
          break;
        }
      }
    }
    if (badTaps.length === 0) continue;
    poisoned.fill(0);
    for (const tap of badTaps) {
      const td = Math.floor(tap / (kH * kW));
      const th = Math.floor(tap / kW) % kH;
      const tw = tap % kW;
      for (let od = 0; od < outD; od++) {
        const overPaddingD = mapD[od * kD + td] < 0;
        for (let oh = 0; oh < outH; oh++) {
          const overPaddingH = overPaddingD || mapH[oh * kH + th] < 0;
          for (let ow = 0; ow < outW; ow++) {
            if (overPaddingH || mapW[ow * kW + tw] < 0) poisoned[(od * outH + oh) * outW + ow] = 1;
          }
        }
      }
    }
    for (let n = 0; n < info.batch; n++) {
      const base = (n * info.outChannels + outChannel) * outPlane;
      for (let position = 0; position < outPlane; position++) {
        if (poisoned[position]) output[base + position] = Number.NaN;
      }
    }
  }
}
