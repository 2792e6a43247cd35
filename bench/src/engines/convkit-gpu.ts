import type { Tensor } from '@convkit/core';
import type { Gpu, GpuMode } from '@convkit/gpu';
import { stageOptions } from './convkit-core.js';
import { packageVersion, type Engine } from './engine.js';

/**
 * `convkit-gpu-<mode>`: @convkit/gpu on one gpu.js backend, through its Node entry (which adds
 * WebGPU via Dawn). A mode that does not start here (no display for headless GL, no browser for
 * WebGL, a Dawn that does not load) rejects with the package's own reason, and the engine is
 * recorded as skipped. Timed end to end: host tensors in, host tensor out (weights uploaded on
 * every call, as the package does for plain tensors).
 */
export function convkitGpuEngine(mode: GpuMode): Engine {
  let gpu: Gpu | undefined;
  return {
    name: `convkit-gpu-${mode}`,
    describe: () =>
      `@convkit/gpu ${packageVersion('@convkit/gpu')}, mode '${mode}'${gpu ? ` on ${gpu.renderer}${gpu.software ? ' (software rendering)' : ''}` : ''}`,
    async load() {
      const { createGpu } = await import('@convkit/gpu/node');
      gpu = await createGpu({ mode });
    },
    async prepare(workload, data) {
      const device = gpu as Gpu;
      const options = stageOptions(workload.stages[0], 'auto');
      const { algorithm: _algorithm, ...gpuOptions } = options;
      const [input, weight, pointwise] = [data.input, data.weights[0], data.weights[1]];
      const { groups: _groups, ...separableOptions } = gpuOptions;
      const run =
        workload.kind === 'separable'
          ? () => device.separableConv(input, weight, pointwise, separableOptions)
          : workload.kind === 'convTranspose'
            ? () => device.convTranspose(input, weight, gpuOptions)
            : () => device.conv(input, weight, gpuOptions);
      return { run, read: (result) => (result as Tensor).data, release() {} };
    },
  };
}
