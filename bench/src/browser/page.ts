// Bundled by src/browser-main.ts (esbuild, never minified: gpu.js parses kernels from their
// source) and run in headless Chromium: the benchmark's own runner (check against convkit-core,
// interleaved rounds, medians) over convkit-core, convkit-gpu-webgl2, convkit-gpu-webgpu and
// tfjs's webgl backend. Node built-ins are stubbed in the bundle; nothing here calls them.
import * as tf from '@tensorflow/tfjs';
import * as gpuPackage from '@convkit/gpu';
import type { Workload, WorkloadData } from '../workloads.js';
import { benchmarkWorkload, loadEngines, type ResultRow, type TimingPolicy } from '../runner.js';
import { convkitCoreEngine } from '../engines/convkit-core.js';
import { convkitGpuEngine } from '../engines/convkit-gpu.js';
import { nhwcToNchw, type Engine, type PreparedWorkload } from '../engines/engine.js';
import { buildRun } from '../engines/tfjs.js';

/** `tfjs-webgl`: @tensorflow/tfjs's WebGL backend, the same graphs as tfjs-cpu in Node. */
function tfjsWebglEngine(): Engine {
  return {
    name: 'tfjs-webgl',
    describe: () => `@tensorflow/tfjs ${tf.version.tfjs} webgl backend (WebGL ${tf.env().getNumber('WEBGL_VERSION')})`,
    async load() {
      if (!(await tf.setBackend('webgl'))) throw new Error("tfjs backend 'webgl' failed to initialise");
      await tf.ready();
    },
    async prepare(workload: Workload, data: WorkloadData): Promise<PreparedWorkload> {
      const graph = buildRun(tf, workload, data);
      return {
        run: graph.run,
        read: (result) => nhwcToNchw(result as Float32Array, workload.outputShape),
        release: () => graph.dispose(),
      };
    },
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

async function runBrowserBench(workloads: Workload[], policy: TimingPolicy): Promise<BrowserBenchReport> {
  const createGpu = async () => gpuPackage;
  const engines = [
    convkitCoreEngine('auto'),
    convkitGpuEngine('webgl2', createGpu),
    convkitGpuEngine('webgpu', createGpu),
    tfjsWebglEngine(),
  ];
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
