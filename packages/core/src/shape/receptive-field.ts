import { ConvError, describeValue } from '../errors.js';
import { checkExtent } from './normalize.js';
import { effectiveKernelSize } from './kernel-extent.js';

/**
 * One layer of a stack, along one spatial axis.
 *
 * @example
 * ```ts
 * import type { ReceptiveFieldLayer } from '@convkit/core/shape';
 * const layer: ReceptiveFieldLayer = { kernelSize: 3, stride: 2, padding: 1 };
 * layer.stride; // 2
 * ```
 */
export interface ReceptiveFieldLayer {
  kernelSize: number;
  stride?: number;
  dilation?: number;
  /** Symmetric padding, or `[begin, end]`. Default 0. */
  padding?: number | readonly [number, number];
}

/**
 * What one output unit of a layer sees of the stack's input, along one axis.
 *
 * @example
 * ```ts
 * import { receptiveField } from '@convkit/core/shape';
 * const [step] = receptiveField([{ kernelSize: 7, stride: 2, padding: 3 }]);
 * step; // { size: 7, jump: 2, start: 0 }
 * ```
 */
export interface ReceptiveFieldStep {
  /** Width of the receptive field in input positions. */
  size: number;
  /** Distance in input positions between neighbouring output units (the product of strides). */
  jump: number;
  /** Input coordinate of the centre of the first output unit's receptive field (input cells are at 0, 1, ...). */
  start: number;
}

/**
 * Receptive field of every layer of a stack: size, jump and start after each layer.
 * `size_l = size_{l-1} + (effectiveKernel_l - 1) * jump_{l-1}`, `jump_l = jump_{l-1} * stride_l`.
 *
 * @throws {ConvError} for a non-positive kernel, stride or dilation, or negative padding.
 * @example
 * ```ts
 * import { receptiveField } from '@convkit/core/shape';
 * receptiveField([1, 2, 4].map((dilation) => ({ kernelSize: 3, dilation }))).map((step) => step.size); // [3, 7, 15]
 * receptiveField([{ kernelSize: 3, dilation: 2 }, { kernelSize: 3, dilation: 2 }]).at(-1)?.size; // 9
 * ```
 */
export function receptiveField(layers: readonly ReceptiveFieldLayer[]): ReceptiveFieldStep[] {
  if (!Array.isArray(layers)) {
    throw new ConvError(
      'receptiveField',
      'layers',
      `layers must be an array of { kernelSize, stride?, dilation?, padding? }`,
    );
  }
  const steps: ReceptiveFieldStep[] = [];
  let size = 1;
  let jump = 1;
  let start = 0;
  layers.forEach((layer: ReceptiveFieldLayer | null | undefined, index) => {
    if (layer === null || typeof layer !== 'object') {
      throw new ConvError(
        'receptiveField',
        `layers[${index}]`,
        `layers[${index}] must be an object { kernelSize, stride?, dilation?, padding? }, got ${describeValue(layer)}`,
      );
    }
    const { kernelSize, stride = 1, dilation = 1, padding = 0 } = layer;
    const padBegin = Array.isArray(padding) ? padding[0] : padding;
    const padEnd = Array.isArray(padding) ? padding[1] : padding;
    if (Array.isArray(padding) && padding.length !== 2) {
      throw new ConvError(
        'receptiveField',
        `layers[${index}].padding`,
        `layers[${index}].padding must be a number or a [begin, end] pair, got ${describeValue(padding)}`,
      );
    }
    for (const [name, value, minimum] of [
      ['kernelSize', kernelSize, 1],
      ['stride', stride, 1],
      ['dilation', dilation, 1],
      ['padding', padBegin, 0],
      ['padding', padEnd, 0],
    ] as const) {
      checkExtent('receptiveField', `layers[${index}].${name}`, value, minimum);
    }
    const effective = effectiveKernelSize(kernelSize, dilation);
    start += ((effective - 1) / 2 - padBegin) * jump;
    size += (effective - 1) * jump;
    jump *= stride;
    if (!Number.isSafeInteger(size) || !Number.isSafeInteger(jump)) {
      throw new ConvError(
        'receptiveField',
        `layers[${index}]`,
        `the receptive field grows beyond 2^53 input positions at layers[${index}] (size ${size}, jump ${jump})`,
      );
    }
    steps.push({ size, jump, start });
  });
  return steps;
}
