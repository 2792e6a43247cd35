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
 * the device where the backend has one; the input is a plain tensor, uploaded on every call (or,
 * for `-resident`, uploaded once too).
 */
export function convkitGpuEngine(
  mode: GpuMode,
  // The browser benchmark passes '@convkit/gpu' itself; Node goes through the Dawn-installing entry.
  loadCreateGpu: () => Promise<{ createGpu: (options: { mode: GpuMode }) => Promise<Gpu> }> = () =>
    import('@convkit/gpu/node'),
  /** `residentInput: true` (`convkit-gpu-<mode>-resident`): the input is uploaded once too, untimed; only the output is read back. */
  { residentInput = false }: { residentInput?: boolean } = {},
): Engine {
  let gpu: Gpu | undefined;
  return {
    name: `convkit-gpu-${mode}${residentInput ? '-resident' : ''}`,
    describe: () =>
      `@convkit/gpu ${packageVersion('@convkit/gpu')}, mode '${mode}'${gpu ? ` on ${gpu.renderer}${gpu.software ? ' (software rendering)' : ''}` : ''}`,
    async load() {
      const { createGpu } = await loadCreateGpu();
      gpu = await createGpu({ mode });
    },
    async prepare(workload, data) {
      const device = gpu as Gpu;
      const uploaded: GpuTensor[] = [];
      const input = residentInput ? await device.upload(data.input) : data.input;
      if (residentInput) uploaded.push(input as GpuTensor);
      for (const tensor of data.weights) uploaded.push(await device.upload(tensor));
      // No algorithm: every gpu backend runs its one kernel.
      const weights = uploaded.slice(residentInput ? 1 : 0);
      const run = workloadCall<Promise<Tensor>, Tensor | GpuTensor>(device, workload, input, weights);
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
