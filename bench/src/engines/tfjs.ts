import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { Workload, WorkloadData } from '../workloads.js';
import { nchwToNhwc, nhwcToNchw, packageVersion, type Engine, type PreparedWorkload } from './engine.js';

type Tf = typeof import('@tensorflow/tfjs');
type Rank4 = import('@tensorflow/tfjs').Tensor4D;

const require = createRequire(import.meta.url);
let tfModule: Tf | undefined;

async function loadTf(): Promise<Tf> {
  if (!tfModule) {
    tfModule = await import('@tensorflow/tfjs');
    // tfjs warns once that @tensorflow/tfjs-node would be faster; that is not the engine measured.
    tfModule.env().set('IS_NODE', true);
  }
  return tfModule;
}

/** conv weight [C_out, C_in/g, kH, kW] -> tfjs filter [kH, kW, C_in/g, C_out]; depthwise -> [kH, kW, C, multiplier]. */
function filterFromConvWeight(tf: Tf, weight: WorkloadData['weights'][number], depthwise: boolean) {
  const [outChannels, inPerGroup, kH, kW] = weight.shape;
  const asTensor = tf.tensor4d(weight.data, [outChannels, inPerGroup, kH, kW]);
  if (!depthwise) return tf.transpose(asTensor, [2, 3, 1, 0]) as Rank4;
  // [C, 1, kH, kW] -> [kH, kW, C, 1] (channel multiplier 1, as in every workload).
  return tf.reshape(tf.transpose(asTensor, [2, 3, 0, 1]), [kH, kW, outChannels, 1]) as Rank4;
}

function explicitPad(
  pads: readonly number[],
): [[number, number], [number, number], [number, number], [number, number]] {
  const [top, left, bottom, right] = pads;
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}

/**
 * The tfjs graph of one workload, built from tensors that live on the active backend. `run` reads
 * the output back with `dataSync`; `runAsync` with `await data()` (WebGPU's readback is async).
 * With `residentInput: false`, each run first creates the input tensor from host data (NHWC, tfjs's
 * own layout), so the upload is timed too; by default the input is created once and stays resident.
 */
export function buildRun(
  tf: Tf,
  workload: Workload,
  data: WorkloadData,
  { residentInput = true }: { residentInput?: boolean } = {},
): { run: () => Float32Array; runAsync: () => Promise<Float32Array>; dispose: () => void } {
  const [batch, channels, height, width] = workload.inputShape;
  const hostInput = nchwToNhwc(data.input.data, workload.inputShape);
  const inputShape: [number, number, number, number] = [batch, height, width, channels];
  const resident = residentInput ? tf.tensor4d(hostInput, inputShape) : null;
  const owned: import('@tensorflow/tfjs').Tensor[] = resident ? [resident] : [];
  let x = resident as Rank4;
  const keep = <T extends import('@tensorflow/tfjs').Tensor>(tensor: T): T => {
    owned.push(tensor);
    return tensor;
  };
  let compute: () => import('@tensorflow/tfjs').Tensor;
  const [stage] = workload.stages;
  const stride = stage.stride as [number, number];
  const dilation = stage.dilation as [number, number];
  if (workload.kind === 'separable') {
    const depthwiseFilter = keep(filterFromConvWeight(tf, data.weights[0], true));
    const pointwiseFilter = keep(filterFromConvWeight(tf, data.weights[1], false));
    const [top, left, bottom, right] = stage.pads;
    if (!(top === bottom && left === right && top === left))
      throw new Error('tfjs separableConv2d takes one symmetric padding');
    compute = () =>
      tf.separableConv2d(x, depthwiseFilter, pointwiseFilter, stride, top === 0 ? 'valid' : 'same', dilation, 'NHWC');
  } else if (workload.kind === 'convTranspose') {
    if (stage.groups !== 1) throw new Error('tfjs conv2dTranspose has no groups');
    const [, outChannels, outHeight, outWidth] = workload.outputShape;
    // [C_in, C_out, kH, kW] -> [kH, kW, C_out, C_in]
    const filter = keep(
      tf.transpose(
        tf.tensor4d(data.weights[0].data, data.weights[0].shape as [number, number, number, number]),
        [2, 3, 1, 0],
      ) as Rank4,
    );
    const pad = explicitPad(stage.pads);
    compute = () => tf.conv2dTranspose(x, filter, [batch, outHeight, outWidth, outChannels], stride, pad as never);
  } else if (stage.groups === channels && channels > 1) {
    const filter = keep(filterFromConvWeight(tf, data.weights[0], true));
    compute = () => tf.depthwiseConv2d(x, filter, stride, explicitPad(stage.pads), 'NHWC', dilation);
  } else if (stage.groups > 1) {
    // tfjs has no grouped conv2d: split the channels, convolve each group, concatenate.
    const filters = tf
      .split(keep(filterFromConvWeight(tf, data.weights[0], false)), stage.groups, 3)
      .map((part) => keep(part as Rank4));
    compute = () => {
      const parts = tf.split(x, stage.groups, 3) as Rank4[];
      return tf.concat(
        parts.map((part, group) => tf.conv2d(part, filters[group], stride, explicitPad(stage.pads), 'NHWC', dilation)),
        3,
      );
    };
  } else {
    const filter = keep(filterFromConvWeight(tf, data.weights[0], false));
    compute = () => tf.conv2d(x, filter, stride, explicitPad(stage.pads), 'NHWC', dilation);
  }
  const output = () => {
    if (!resident) x = tf.tensor4d(hostInput, inputShape);
    const y = tf.tidy(compute);
    if (!resident) x.dispose();
    return y;
  };
  return {
    run: () => {
      const y = output();
      const values = y.dataSync() as Float32Array;
      y.dispose();
      return values;
    },
    runAsync: async () => {
      const y = output();
      const values = (await y.data()) as Float32Array;
      y.dispose();
      return values;
    },
    dispose: () => {
      for (const tensor of owned) tensor.dispose();
    },
  };
}

/** `tfjs-cpu` (@tensorflow/tfjs's plain JavaScript backend) or `tfjs-wasm` (@tensorflow/tfjs-backend-wasm, XNNPACK, one thread). */
export function tfjsEngine(backend: 'cpu' | 'wasm'): Engine {
  let tf: Tf;
  return {
    name: `tfjs-${backend}`,
    describe: () =>
      backend === 'cpu'
        ? `@tensorflow/tfjs ${packageVersion('@tensorflow/tfjs')} cpu backend`
        : `@tensorflow/tfjs-backend-wasm ${packageVersion('@tensorflow/tfjs-backend-wasm')} (SIMD, 1 thread)`,
    async load() {
      tf = await loadTf();
      if (backend === 'wasm') {
        const wasmBackend = await import('@tensorflow/tfjs-backend-wasm');
        wasmBackend.setWasmPaths(
          `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'))}/`,
        );
        // One thread, like every engine here (Node would otherwise spawn none anyway: no cross-origin isolation).
        tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
        if ('setThreadsCount' in wasmBackend) (wasmBackend.setThreadsCount as (count: number) => void)(1);
      }
      if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend '${backend}' failed to initialise`);
      await tf.ready();
    },
    async prepare(workload, data): Promise<PreparedWorkload> {
      await tf.setBackend(backend);
      const graph = buildRun(tf, workload, data);
      return {
        activate: async () => {
          if (tf.getBackend() !== backend) await tf.setBackend(backend);
        },
        run: graph.run,
        read: (result) => nhwcToNchw(result as Float32Array, workload.outputShape),
        release: async () => {
          await tf.setBackend(backend);
          graph.dispose();
        },
      };
    },
  };
}
