import { convkitCoreEngine } from './convkit-core.js';
import type { Engine } from './engine.js';
import { onnxruntimeEngine } from './onnxruntime.js';
import { tfjsEngine } from './tfjs.js';

/**
 * The modes @convkit/gpu may offer, each benchmarked as `convkit-gpu-<mode>`. The package is
 * optional here: until it is in the workspace (or where a mode cannot start, e.g. no WebGL in
 * Node) those engines are recorded as skipped.
 */
export const GPU_MODES = ['cpu', 'headlessgl', 'webgl2', 'webgpu'] as const;

interface GpuModule {
  /** Adapter the gpu package may export for benchmarks: an Engine-compatible runner per mode. */
  benchEngine?: (mode: string) => Engine;
}

function gpuEngine(mode: string): Engine {
  let engine: Engine | undefined;
  return {
    name: `convkit-gpu-${mode}`,
    describe: () => (engine ? engine.describe() : `@convkit/gpu, mode '${mode}'`),
    async load() {
      const specifier = '@convkit/gpu';
      let gpu: GpuModule;
      try {
        gpu = (await import(/* @vite-ignore */ specifier)) as GpuModule;
      } catch {
        throw new Error('@convkit/gpu is not in this workspace');
      }
      if (typeof gpu.benchEngine !== 'function') throw new Error('@convkit/gpu exports no benchEngine(mode) adapter');
      engine = gpu.benchEngine(mode);
      await engine.load();
    },
    prepare: (workload, data) => {
      if (!engine) throw new Error('not loaded');
      return engine.prepare(workload, data);
    },
  };
}

/** Every engine, in table order: convkit first (convkit-core is the reference for the check and the ratios). */
export function allEngines(): Engine[] {
  return [
    convkitCoreEngine('auto'),
    convkitCoreEngine('direct'),
    ...GPU_MODES.map(gpuEngine),
    tfjsEngine('cpu'),
    tfjsEngine('wasm'),
    onnxruntimeEngine('node'),
    onnxruntimeEngine('web'),
  ];
}

export type { Engine, PreparedWorkload } from './engine.js';
