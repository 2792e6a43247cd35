import { GPU_MODES } from '@convkit/gpu';
import { availableParallelism } from 'node:os';
import { convkitCoreEngine, convkitCoreThreadsEngine } from './convkit-core.js';
import { convkitGpuEngine } from './convkit-gpu.js';
import type { Engine } from './engine.js';
import { onnxruntimeEngine } from './onnxruntime.js';
import { tfjsEngine } from './tfjs.js';

/** Every engine, in table order: convkit first (convkit-core is the reference for the check and the ratios). */
export function allEngines(): Engine[] {
  return [
    convkitCoreEngine('auto'),
    // One thread and all cores: the thread pool against onnxruntime's intra-op threads.
    convkitCoreThreadsEngine(availableParallelism()),
    convkitCoreEngine('direct'),
    // Every gpu.js backend @convkit/gpu offers; those that cannot start here are recorded as skipped.
    ...GPU_MODES.map((mode) => convkitGpuEngine(mode)),
    tfjsEngine('cpu'),
    tfjsEngine('wasm'),
    onnxruntimeEngine('node'),
    onnxruntimeEngine('node', availableParallelism()),
    onnxruntimeEngine('web'),
  ];
}

export type { Engine, PreparedWorkload } from './engine.js';
