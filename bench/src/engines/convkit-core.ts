import {
  conv,
  convTranspose,
  cpuKernelPath,
  createThreadPool,
  separableConv,
  type ConvAlgorithm,
  type Tensor,
  type ThreadPool,
} from '@convkit/core';
import type { ConvStage, Workload } from '../workloads.js';
import type { Engine } from './engine.js';

/** A workload stage as core's options (shared with the gpu engines, which take the same). */
export function stageOptions(stage: ConvStage, algorithm: ConvAlgorithm) {
  const [top, left, bottom, right] = stage.pads;
  return {
    stride: [...stage.stride],
    dilation: [...stage.dilation],
    groups: stage.groups,
    padding: [
      [top, bottom],
      [left, right],
    ] as [number, number][],
    algorithm,
  };
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

/** `convkit-core` (algorithm 'auto': the fast paths) and `convkit-core-direct` (the reference loop), one thread. */
export function convkitCoreEngine(algorithm: ConvAlgorithm): Engine {
  return {
    name: algorithm === 'auto' ? 'convkit-core' : 'convkit-core-direct',
    describe: () =>
      `@convkit/core (workspace), algorithm '${algorithm}'${algorithm === 'auto' ? `, ${cpuKernelPath()} kernels` : ''}, 1 thread`,
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

/**
 * `convkit-core-threads`: `convkit-core` inside a thread pool of `threads` threads (default every
 * logical CPU), the GEMMs split over it.
 */
export function convkitCoreThreadsEngine(threads?: number): Engine {
  let pool: ThreadPool | undefined;
  return {
    name: 'convkit-core-threads',
    describe: () =>
      `@convkit/core (workspace), algorithm 'auto', ${pool?.kernelPath ?? cpuKernelPath()} kernels, createThreadPool: ${pool?.threads ?? threads ?? 'all'} threads`,
    async load() {
      pool = await createThreadPool(threads === undefined ? {} : { threads });
    },
    async prepare(workload, data) {
      const active = pool as ThreadPool;
      return {
        run: () => active.run(() => runCore(workload, data.input, data.weights, 'auto')),
        read: (result) => (result as Tensor).data,
        release() {},
      };
    },
  };
}
