import { workloadModel } from '../onnx-model.js';
import type { Workload, WorkloadData } from '../workloads.js';
import { packageVersion, type Engine, type PreparedWorkload } from './engine.js';

type Ort = typeof import('onnxruntime-node');

/**
 * `ort-node` (onnxruntime-node's native CPU provider) or `ort-web-wasm` (onnxruntime-web's
 * WebAssembly build in Node), with one intra-op thread, or (`ort-node-threads`) `threads`.
 */
export function onnxruntimeEngine(flavour: 'node' | 'web', threads = 1): Engine {
  let ort: Ort;
  const packageName = flavour === 'node' ? 'onnxruntime-node' : 'onnxruntime-web';
  const threaded = threads > 1;
  return {
    name: flavour === 'node' ? (threaded ? 'ort-node-threads' : 'ort-node') : 'ort-web-wasm',
    describe: () =>
      `${packageName} ${packageVersion(packageName)} (${flavour === 'node' ? 'cpu provider' : 'wasm provider'}, ${threads} thread${threaded ? 's' : ''})`,
    async load() {
      ort = (flavour === 'node' ? await import('onnxruntime-node') : await import('onnxruntime-web')) as Ort;
      if (flavour === 'web') {
        ort.env.wasm.numThreads = 1;
        ort.env.wasm.proxy = false;
      }
    },
    prepare: (workload, data) => ortSession(ort, flavour === 'node' ? 'cpu' : 'wasm', threads, workload, data),
  };
}

/** A workload's ONNX graph as an onnxruntime session (node or web, the same API), `threads` intra-op threads. */
export async function ortSession(
  ort: Pick<Ort, 'InferenceSession' | 'Tensor'>,
  provider: 'cpu' | 'wasm',
  threads: number,
  workload: Workload,
  data: WorkloadData,
): Promise<PreparedWorkload> {
  const session = await ort.InferenceSession.create(workloadModel(workload, data), {
    executionProviders: [provider],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const feeds = { X: new ort.Tensor('float32', data.input.data, [...workload.inputShape]) };
  return {
    run: async () => (await session.run(feeds)).Y.data as Float32Array,
    read: (result) => result as Float32Array,
    release: () => session.release(),
  };
}
