import type { Tensor } from '@convkit/core';
import type { Gpu, GpuMode, GpuTensor } from '@convkit/gpu';
import { workloadCall } from './convkit-core.js';
import { packageVersion, type Engine } from './engine.js';

/**
 * `convkit-gpu-<mode>`: @convkit/gpu on one gpu.js backend, through its Node entry (which adds
 * WebGPU via Dawn). A mode that does not start here (no display for headless GL, no browser for
 * WebGL, a Dawn that does not load) rejects with the package's own reason, and the engine is
 * recorded as skipped. Timed end to end: host input in, host tensor out. The weights are uploaded
 * once per workload with `gpu.upload` (untimed, as a model's weights would be at load) and stay on
 * the device where the backend has one; the input is a plain tensor, uploaded on every call.
 */
export function convkitGpuEngine(
  mode: GpuMode,
  // The browser benchmark passes '@convkit/gpu' itself; Node goes through the Dawn-installing entry.
  loadCreateGpu: () => Promise<{ createGpu: (options: { mode: GpuMode }) => Promise<Gpu> }> = () =>
    import('@convkit/gpu/node'),
): Engine {
  let gpu: Gpu | undefined;
  return {
    name: `convkit-gpu-${mode}`,
    describe: () =>
      `@convkit/gpu ${packageVersion('@convkit/gpu')}, mode '${mode}'${gpu ? ` on ${gpu.renderer}${gpu.software ? ' (software rendering)' : ''}` : ''}`,
    async load() {
      const { createGpu } = await loadCreateGpu();
      gpu = await createGpu({ mode });
    },
    async prepare(workload, data) {
      const device = gpu as Gpu;
      const input = data.input;
      const uploaded: GpuTensor[] = [];
      for (const tensor of data.weights) uploaded.push(await device.upload(tensor));
      // No algorithm: every gpu backend runs its one kernel.
      const run = workloadCall<Promise<Tensor>, Tensor | GpuTensor>(device, workload, input, uploaded);
      return {
        run,
        read: (result) => (result as Tensor).data,
        release() {
          for (const handle of uploaded) handle.dispose();
        },
      };
    },
  };
}
