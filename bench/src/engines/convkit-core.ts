import { conv, convTranspose, separableConv, type ConvAlgorithm, type Tensor } from '@convkit/core';
import { stageConvOptions, type ConvStage, type Workload } from '../workloads.js';
import type { Engine } from './engine.js';

/** A workload stage as core's options (shared with the gpu engines, which take the same). */
export function stageOptions(stage: ConvStage, algorithm: ConvAlgorithm) {
  return { ...stageConvOptions(stage), algorithm };
}

/** Runs a workload on @convkit/core with the given algorithm (also the benchmark's reference). */
export function runCore(
  workload: Workload,
  input: Tensor,
  weights: readonly Tensor[],
  algorithm: ConvAlgorithm,
): Tensor {
  const options = stageOptions(workload.stages[0], algorithm);
  if (workload.kind === 'separable') {
    // separableConv derives the depthwise groups from the weight; the pointwise stage has no options.
    const { groups: _groups, ...depthwise } = options;
    return separableConv(input, weights[0], weights[1], depthwise);
  }
  return workload.kind === 'convTranspose'
    ? convTranspose(input, weights[0], options)
    : conv(input, weights[0], options);
}

/** `convkit-core` (algorithm 'auto': the fast paths) and `convkit-core-direct` (the reference loop). */
export function convkitCoreEngine(algorithm: ConvAlgorithm): Engine {
  return {
    name: algorithm === 'auto' ? 'convkit-core' : 'convkit-core-direct',
    describe: () => `@convkit/core (workspace), algorithm '${algorithm}'`,
    async load() {},
    async prepare(workload, data) {
      return {
        run: () => runCore(workload, data.input, data.weights, algorithm),
        read: (result) => (result as Tensor).data,
        release() {},
      };
    },
  };
}
