import * as core from '@convkit/core';
import { OP_TABLE, type ConvAlgorithm, type OpFamily, type Tensor, type ThreadPool } from '@convkit/core';
import { stageConvOptions, type ConvStage, type Workload } from '../workloads.js';
import type { Engine } from './engine.js';

/** A workload stage as core's options (shared with the gpu engines, which take the same). */
export function stageOptions(stage: ConvStage, algorithm: ConvAlgorithm) {
  return { ...stageConvOptions(stage), algorithm };
}

/** The op of core's table a workload runs: its kind, with `separable` being core's `separableConv`. */
export function workloadOp(workload: Workload): 'conv' | 'convTranspose' | 'separableConv' {
  return workload.kind === 'separable' ? 'separableConv' : workload.kind;
}

/**
 * A workload as one call of an op of core's table, on any backend of the family (core, a gpu
 * instance): the input and one weight per stage as the op's operands, the first stage's options.
 * The call is built once; the returned function only runs it (that is what is timed).
 */
export function workloadCall<Result, Operand>(
  family: OpFamily<Result, Operand>,
  workload: Workload,
  input: Operand,
  weights: readonly Operand[],
  algorithm?: ConvAlgorithm,
): () => Result {
  const op = workloadOp(workload);
  const operands = [input, ...weights];
  if (operands.length !== OP_TABLE[op].operands.length) {
    throw new Error(
      `bench: ${workload.id} has ${weights.length} weights, ${op} takes ${OP_TABLE[op].operands.join(', ')}`,
    );
  }
  const stage = stageConvOptions(workload.stages[0]);
  // separableConv derives the depthwise groups from the weight; the pointwise stage has no options.
  const { groups: _groups, ...separable } = stage;
  const options = {
    ...(op === 'separableConv' ? separable : stage),
    ...(algorithm === undefined ? {} : { algorithm }),
  };
  const method = family[op] as (...args: unknown[]) => Result;
  return () => method.call(family, ...operands, options);
}

/** Runs a workload on @convkit/core with the given algorithm (also the benchmark's reference). */
export function runCore(
  workload: Workload,
  input: Tensor,
  weights: readonly Tensor[],
  algorithm: ConvAlgorithm,
): Tensor {
  return workloadCall<Tensor, Tensor>(core, workload, input, weights, algorithm)();
}

/** `convkit-core` (algorithm 'auto': the fast paths) and `convkit-core-direct` (the reference loop), one thread. */
export function convkitCoreEngine(algorithm: ConvAlgorithm): Engine {
  return {
    name: algorithm === 'auto' ? 'convkit-core' : 'convkit-core-direct',
    describe: () =>
      `@convkit/core (workspace), algorithm '${algorithm}'${algorithm === 'auto' ? `, ${core.cpuKernelPath()} kernels` : ''}, 1 thread`,
    async load() {},
    async prepare(workload, data) {
      return {
        run: workloadCall<Tensor, Tensor>(core, workload, data.input, data.weights, algorithm),
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
      `@convkit/core (workspace), algorithm 'auto', ${pool?.kernelPath ?? core.cpuKernelPath()} kernels, createThreadPool: ${pool?.threads ?? threads ?? 'all'} threads`,
    async load() {
      pool = await core.createThreadPool(threads === undefined ? {} : { threads });
    },
    async prepare(workload, data) {
      const active = pool as ThreadPool;
      const call = workloadCall<Tensor, Tensor>(core, workload, data.input, data.weights, 'auto');
      return {
        run: () => active.run(call),
        read: (result) => (result as Tensor).data,
        release() {},
      };
    },
  };
}
