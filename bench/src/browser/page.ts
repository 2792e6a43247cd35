// Bundled by src/browser-main.ts (esbuild, never minified: gpu.js parses kernels from their
// source) and run in headless Chromium: the benchmark's own runner (check against convkit-core,
// interleaved rounds, medians) over convkit-core and, each end to end (host data in, host data out)
// and as `<engine>-resident` (input already on the device, output read back): convkit-gpu on
// webgl2 and webgpu, tfjs's webgl and webgpu backends, onnxruntime-web's webgpu provider (and its
// webgl provider, end to end). Node built-ins are stubbed in the bundle; nothing here calls them.
import * as tf from '@tensorflow/tfjs';
// Registers tfjs's 'webgpu' backend.
import '@tensorflow/tfjs-backend-webgpu';
import * as tfjsWasm from '@tensorflow/tfjs-backend-wasm';
// The full build: the wasm provider, and the webgpu and webgl ones.
import * as ort from 'onnxruntime-web/all';
import { workloadModel } from '../onnx-model.js';
import * as gpuPackage from '@convkit/gpu';
import type { Workload, WorkloadData } from '../workloads.js';
import { benchmarkWorkload, loadEngines, type ResultRow, type TimingPolicy } from '../runner.js';
import { convkitCoreEngine, convkitCoreThreadsEngine } from '../engines/convkit-core.js';
import { convkitGpuEngine } from '../engines/convkit-gpu.js';
import { nhwcToNchw, type Engine, type PreparedWorkload } from '../engines/engine.js';
import { ortSession } from '../engines/onnxruntime.js';
import { buildRun } from '../engines/tfjs.js';

/**
 * A tfjs backend in the page, the same NHWC graphs as tfjs-cpu in Node: `tfjs-webgl` (WebGL),
 * `tfjs-webgpu` (@tensorflow/tfjs-backend-webgpu) or `tfjs-wasm` (@tensorflow/tfjs-backend-wasm:
 * XNNPACK, SIMD, one thread, its .wasm served under /tfjs-wasm/). End to end, each run creates the
 * input tensor from host data (NHWC) and reads the output back; `-resident` keeps the input on the device.
 */
function tfjsBrowserEngine(backend: 'webgl' | 'webgpu' | 'wasm', residentInput = false): Engine {
  return {
    name: `tfjs-${backend}${residentInput ? '-resident' : ''}`,
    describe: () =>
      backend === 'webgl'
        ? `@tensorflow/tfjs ${tf.version.tfjs} webgl backend (WebGL ${tf.env().getNumber('WEBGL_VERSION')})`
        : backend === 'webgpu'
          ? `@tensorflow/tfjs-backend-webgpu ${tf.version.tfjs} (released with tfjs)`
          : `@tensorflow/tfjs-backend-wasm ${tfjsWasm.version_wasm} (SIMD, 1 thread)`,
    async load() {
      if (backend === 'wasm') {
        tfjsWasm.setWasmPaths('/tfjs-wasm/');
        tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
        tfjsWasm.setThreadsCount(1);
      }
      if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend '${backend}' failed to initialise`);
      await tf.ready();
    },
    async prepare(workload: Workload, data: WorkloadData): Promise<PreparedWorkload> {
      await tf.setBackend(backend);
      const graph = buildRun(tf, workload, data, { residentInput });
      return {
        activate: async () => {
          if (tf.getBackend() !== backend) await tf.setBackend(backend);
        },
        // WebGPU's readback is asynchronous (dataSync would stall the page on it).
        run: backend === 'webgpu' ? graph.runAsync : graph.run,
        read: (result) => nhwcToNchw(result as Float32Array, workload.outputShape),
        release: async () => {
          await tf.setBackend(backend);
          graph.dispose();
        },
      };
    },
  };
}

/**
 * `ort-web-<provider>`: onnxruntime-web's WebGPU (or WebGL) execution provider on the workload's
 * ONNX graph. End to end, the input is a host tensor; `-resident` hands it a tensor already on
 * the GPU (WebGPU only) and keeps the output there until it is read back.
 */
function ortWebEngine(provider: 'webgpu' | 'webgl', residentInput: boolean): Engine {
  return {
    name: `ort-web-${provider}${residentInput ? '-resident' : ''}`,
    describe: () => `onnxruntime-web ${ort.env.versions.web ?? ''} (${provider} provider)`,
    async load() {
      ort.env.wasm.wasmPaths = '/ort/';
      ort.env.wasm.numThreads = 1;
      ort.env.wasm.proxy = false;
      if (residentInput && provider !== 'webgpu')
        throw new Error('only the WebGPU provider takes GPU-resident tensors');
    },
    async prepare(workload: Workload, data: WorkloadData): Promise<PreparedWorkload> {
      const session = await ort.InferenceSession.create(workloadModel(workload, data), {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        ...(residentInput ? { preferredOutputLocation: 'gpu-buffer' as const } : {}),
      });
      const hostInput = () => new ort.Tensor('float32', data.input.data, [...workload.inputShape]);
      let feeds: Record<string, import('onnxruntime-web').Tensor> | null = null;
      let residentBuffer: { destroy(): void } | null = null;
      if (residentInput) {
        const device = (ort.env.webgpu as unknown as { device: GpuDeviceLike }).device;
        const bytes = data.input.data.byteLength;
        // STORAGE | COPY_SRC | COPY_DST, as onnxruntime-web's own GPU tensors are made.
        const buffer = device.createBuffer({ size: Math.ceil(bytes / 16) * 16, usage: 0x80 | 0x04 | 0x08 });
        device.queue.writeBuffer(buffer, 0, data.input.data);
        residentBuffer = buffer;
        feeds = {
          X: ort.Tensor.fromGpuBuffer(buffer as never, { dataType: 'float32', dims: [...workload.inputShape] }),
        };
      }
      return {
        run: async () => {
          const output = (await session.run(feeds ?? { X: hostInput() })).Y;
          const values = (residentInput ? await output.getData(true) : output.data) as Float32Array;
          return values;
        },
        read: (result) => result as Float32Array,
        release: async () => {
          await session.release();
          residentBuffer?.destroy();
        },
      };
    },
  };
}

interface GpuDeviceLike {
  createBuffer(descriptor: { size: number; usage: number }): { destroy(): void };
  queue: { writeBuffer(buffer: unknown, offset: number, data: Float32Array): void };
}

/** `ort-web-wasm` in the page: onnxruntime-web's wasm provider, one thread, its files served under /ort/. */
function ortWebBrowserEngine(): Engine {
  return {
    name: 'ort-web-wasm',
    describe: () => `onnxruntime-web ${ort.env.versions.web ?? ''} (wasm provider, 1 thread)`,
    async load() {
      ort.env.wasm.wasmPaths = '/ort/';
      ort.env.wasm.numThreads = 1;
      ort.env.wasm.proxy = false;
    },
    prepare: (workload: Workload, data: WorkloadData) => ortSession(ort, 'wasm', 1, workload, data),
  };
}

/** An engine's description; the Node-only parts (reading a package.json) answer 'unknown' here. */
function safeDescribe(engine: Engine): string {
  try {
    return engine.describe();
  } catch {
    return engine.name;
  }
}

export interface BrowserBenchReport {
  engines: { engine: string; description: string; status: 'ok' | 'skipped'; reason?: string }[];
  rows: ResultRow[];
}

/**
 * The page's engines: `'gpu'`, convkit-gpu against tfjs-webgl; `'cpu'`, convkit-core (one thread
 * and a pool of every logical CPU: the page is cross-origin isolated) against tfjs-wasm and
 * onnxruntime-web's wasm provider.
 */
function suiteEngines(suite: 'gpu' | 'cpu'): Engine[] {
  if (suite === 'cpu') {
    return [
      convkitCoreEngine('auto'),
      convkitCoreThreadsEngine(navigator.hardwareConcurrency),
      tfjsBrowserEngine('wasm'),
      ortWebBrowserEngine(),
    ];
  }
  const createGpu = async () => gpuPackage;
  const engines = [convkitCoreEngine('auto')];
  for (const residentInput of [false, true]) {
    engines.push(
      convkitGpuEngine('webgl2', createGpu, { residentInput }),
      convkitGpuEngine('webgpu', createGpu, { residentInput }),
      tfjsBrowserEngine('webgl', residentInput),
      tfjsBrowserEngine('webgpu', residentInput),
      ortWebEngine('webgpu', residentInput),
    );
  }
  engines.push(ortWebEngine('webgl', false));
  return engines;
}

async function runBrowserBench(
  workloads: Workload[],
  policy: TimingPolicy,
  suite: 'gpu' | 'cpu' = 'gpu',
  /** Engine names to run (`--engines`); convkit-core, the check's reference, always runs. Absent: every engine. */
  only?: readonly string[],
): Promise<BrowserBenchReport> {
  const engines = suiteEngines(suite).filter(
    (engine) => !only || engine.name === 'convkit-core' || only.includes(engine.name),
  );
  const loaded = await loadEngines(engines);
  const rows: ResultRow[] = [];
  for (const workload of workloads) {
    rows.push(...(await benchmarkWorkload(workload, loaded, policy, (line) => console.log(line))));
  }
  return {
    engines: loaded.map(({ engine, error }) => ({
      engine: engine.name,
      description: safeDescribe(engine),
      status: error ? 'skipped' : 'ok',
      ...(error ? { reason: error } : {}),
    })),
    rows,
  };
}

Object.assign(globalThis, { runBrowserBench });
