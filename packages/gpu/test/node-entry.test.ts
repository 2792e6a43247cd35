import { afterEach, describe, expect, it } from 'vitest';
import { tensor } from '@convkit/core';
import { GpuUnavailableError, createGpu, installDawn, uninstallDawn, type DawnModule } from '@convkit/gpu/node';

const host = globalThis as { navigator?: { gpu?: unknown } };

/** Dawn loads only with glibc 2.38+: on this Debian 12 machine it does not, on the GPU machine it does. */
async function dawnLoads(): Promise<boolean> {
  try {
    await import('webgpu');
    return true;
  } catch {
    return false;
  }
}

/** A stand-in for dawn.node whose device, like Dawn's, refuses a JS function as `onuncapturederror`. */
function fakeDawn(): DawnModule {
  class Device {
    listeners: unknown[] = [];
    set onuncapturederror(_value: unknown) {
      throw new TypeError('Dawn: onuncapturederror cannot be set from JavaScript');
    }
    addEventListener(_type: string, listener: unknown) {
      this.listeners.push(listener);
    }
    removeEventListener(_type: string, listener: unknown) {
      this.listeners = this.listeners.filter((entry) => entry !== listener);
    }
  }
  const adapter = { requestDevice: async () => new Device() };
  return {
    create: () => ({ requestAdapter: async () => adapter }),
    globals: { GPUBufferUsage: { MAP_READ: 1 } },
  } as unknown as DawnModule;
}

describe('the Node entry @convkit/gpu/node', () => {
  afterEach(() => uninstallDawn());

  it('installs a Dawn module as navigator.gpu and lets gpu.js assign onuncapturederror', async () => {
    await installDawn({ dawn: fakeDawn() });
    const gpu = host.navigator?.gpu as {
      requestAdapter(): Promise<{ requestDevice(): Promise<Record<string, unknown> & { listeners: unknown[] }> }>;
    };
    const device = await (await gpu.requestAdapter()).requestDevice();
    const handler = () => undefined;
    expect(() => {
      device.onuncapturederror = handler;
    }).not.toThrow();
    expect(device.onuncapturederror).toBe(handler);
    expect(device.listeners).toEqual([handler]);
    expect((globalThis as { GPUBufferUsage?: unknown }).GPUBufferUsage).toEqual({ MAP_READ: 1 });
    uninstallDawn();
    expect(host.navigator?.gpu).toBeUndefined();
  });

  it("rejects 'webgpu' naming Dawn's load error when dawn.node does not load, and runs it when it does", async () => {
    if (await dawnLoads()) {
      const gpu = await createGpu({ mode: 'webgpu' });
      expect(gpu.mode).toBe('webgpu');
      const output = await gpu.conv(tensor([1, 2, 3, 4, 5], [1, 1, 5]), tensor([1, 0, -1], [1, 1, 3]), { padding: 1 });
      expect(Array.from(output.data)).toEqual([-2, -2, -2, -2, 4]);
      await gpu.dispose();
      return;
    }
    const attempt = createGpu({ mode: 'webgpu' });
    await expect(attempt).rejects.toBeInstanceOf(GpuUnavailableError);
    await expect(attempt).rejects.toThrow(
      /mode 'webgpu' is not available: Dawn \(the 'webgpu' package's dawn\.node\) failed to load: .+ needs glibc 2\.38\+/,
    );
    console.log(
      `[@convkit/gpu] node webgpu (Dawn): not loadable here: ${await attempt.catch((error: Error) => error.message)}`,
    );
  });

  it("'auto' records why WebGPU was passed over and still starts a backend", async () => {
    const gpu = await createGpu({ mode: 'auto' });
    const webgpu = gpu.skipped.find(({ mode }) => mode === 'webgpu');
    if (!(await dawnLoads())) expect(webgpu?.reason).toMatch(/Dawn .* failed to load/);
    expect(gpu.software).toBe(false);
    await gpu.dispose();
    expect(host.navigator?.gpu).toBeUndefined();
  });

  it('serves the other backends like the main entry', async () => {
    const gpu = await createGpu({ mode: 'cpu' });
    expect(gpu.mode).toBe('cpu');
    const output = await gpu.pointwiseConv(tensor([1, 2, 3, 4], [1, 2, 2]), tensor([1, 1, 1, -1], [2, 2, 1]));
    expect(Array.from(output.data)).toEqual([4, 6, -2, -2]);
    await gpu.dispose();
  });
});
