import { encodeOnnxModel, type OnnxNode } from '../onnx-model.js';
import { toOnnxConvAttributes } from '@convkit/core';
import { stageInfo, type Workload, type WorkloadData } from '../workloads.js';
import { packageVersion, type Engine, type PreparedWorkload } from './engine.js';

/** The ONNX graph of a workload: weights as initializers, one Conv/ConvTranspose node per stage. */
export function workloadModel(workload: Workload, data: WorkloadData): Uint8Array {
  const initializers: Record<string, { shape: readonly number[]; data: Float32Array }> = {};
  const nodes: OnnxNode[] = [];
  workload.stages.forEach((stage, index) => {
    const weightName = `W${index}`;
    initializers[weightName] = { shape: stage.weightShape, data: data.weights[index].data };
    nodes.push({
      op: stage.transposed ? 'ConvTranspose' : 'Conv',
      inputs: [index === 0 ? 'X' : `Y${index - 1}`, weightName],
      output: index === workload.stages.length - 1 ? 'Y' : `Y${index}`,
      // Core's inverse of fromOnnxConvAttributes: the pads come back in ONNX's begins-then-ends order.
      attributes: toOnnxConvAttributes(
        stageInfo(index === 0 ? workload.inputShape : workload.stageOutputShapes[index - 1], stage),
      ) as Record<string, number | readonly number[]>,
    });
  });
  return encodeOnnxModel({ inputShape: workload.inputShape, outputShape: workload.outputShape, initializers, nodes });
}

type Ort = typeof import('onnxruntime-node');

/**
 * `ort-node` (onnxruntime-node's native CPU provider) or `ort-web-wasm` (onnxruntime-web's
 * WebAssembly build in Node), each with one intra-op thread.
 */
export function onnxruntimeEngine(flavour: 'node' | 'web'): Engine {
  let ort: Ort;
  const packageName = flavour === 'node' ? 'onnxruntime-node' : 'onnxruntime-web';
  return {
    name: flavour === 'node' ? 'ort-node' : 'ort-web-wasm',
    describe: () =>
      `${packageName} ${packageVersion(packageName)} (${flavour === 'node' ? 'cpu provider' : 'wasm provider'}, 1 thread)`,
    async load() {
      ort = (flavour === 'node' ? await import('onnxruntime-node') : await import('onnxruntime-web')) as Ort;
      if (flavour === 'web') {
        ort.env.wasm.numThreads = 1;
        ort.env.wasm.proxy = false;
      }
    },
    async prepare(workload, data): Promise<PreparedWorkload> {
      const session = await ort.InferenceSession.create(workloadModel(workload, data), {
        executionProviders: [flavour === 'node' ? 'cpu' : 'wasm'],
        intraOpNumThreads: 1,
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
    },
  };
}
