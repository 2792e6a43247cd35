// Bundled by src/browser-main.ts (esbuild, never minified: gpu.js parses kernels from their
// source) and run in headless Chromium: the benchmark's own runner (check against convkit-core,
// interleaved rounds, medians) over convkit-core, convkit-gpu-webgl2, convkit-gpu-webgpu and
// tfjs's webgl backend. Node built-ins are stubbed in the bundle; nothing here calls them.
import * as tf from '@tensorflow/tfjs';
import * as tfjsWasm from '@tensorflow/tfjs-backend-wasm';
import * as ort from 'onnxruntime-web';
import * as gpuPackage from '@convkit/gpu';
import type { Workload, WorkloadData } from '../workloads.js';
import { benchmarkWorkload, loadEngines, type ResultRow, type TimingPolicy } from '../runner.js';
import { convkitCoreEngine, convkitCoreThreadsEngine } from '../engines/convkit-core.js';
import { convkitGpuEngine } from '../engines/convkit-gpu.js';
import { nhwcToNchw, type Engine, type PreparedWorkload } from '../engines/engine.js';
import { ortSession } from '../engines/onnxruntime.js';
import { buildRun } from '../engines/tfjs.js';

/**
 * A tfjs backend in the page, the same NHWC graphs as tfjs-cpu in Node: `tfjs-webgl` (WebGL) or
 * `tfjs-wasm` (@tensorflow/tfjs-backend-wasm: XNNPACK, SIMD, one thread, its .wasm served under /tfjs-wasm/).
 */
function tfjsBrowserEngine(backend: 'webgl' | 'wasm'): Engine {
  return {
    name: `tfjs-${backend}`,
    describe: () =>
      backend === 'webgl'
        ? `@tensorflow/tfjs ${tf.version.tfjs} webgl backend (WebGL ${tf.env().getNumber('WEBGL_VERSION')})`
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
      const graph = buildRun(tf, workload, data);
      return {
        activate: async () => {
          if (tf.getBackend() !== backend) await tf.setBackend(backend);
        },
        run: graph.run,
        read: (result) => nhwcToNchw(result as Float32Array, workload.outputShape),
        release: () => graph.dispose(),
      };
    },
  };
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
  return [
    convkitCoreEngine('auto'),
    convkitGpuEngine('webgl2', createGpu),
    convkitGpuEngine('webgpu', createGpu),
    tfjsBrowserEngine('webgl'),
  ];
}

async function runBrowserBench(
  workloads: Workload[],
  policy: TimingPolicy,
  suite: 'gpu' | 'cpu' = 'gpu',
): Promise<BrowserBenchReport> {
  const engines = suiteEngines(suite);
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
