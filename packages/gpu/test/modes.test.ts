import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { GPU_MODES, GpuUnavailableError, createGpu } from '@convkit/gpu';
import { NODE_MODES } from './node-modes.js';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./fixtures/exit-after-dispose.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

describe('choosing a backend', () => {
  it.each(NODE_MODES)('%s, asked for explicitly, is the mode in use', async (mode) => {
    const gpu = await createGpu({ mode });
    expect(gpu.mode).toBe(mode);
    expect(gpu.renderer.length).toBeGreaterThan(0);
    await gpu.dispose();
  });

  it.each([
    [
      'webgpu',
      "mode 'webgpu' is not available: navigator.gpu is missing; in Node, import createGpu from '@convkit/gpu/node'",
    ],
    ['webgl2', "mode 'webgl2' is not available: no WebGL2 context could be created"],
    ['webgl', "mode 'webgl' is not available: no WebGL context could be created"],
  ] as const)(
    '%s, unavailable in Node, rejects naming what is missing instead of falling back',
    async (mode, message) => {
      const attempt = createGpu({ mode });
      await expect(attempt).rejects.toBeInstanceOf(GpuUnavailableError);
      await expect(attempt).rejects.toThrow(message);
    },
  );

  it("'auto' takes the first backend that works, passing over software renderers", async () => {
    const gpu = await createGpu({ mode: 'auto' });
    expect(GPU_MODES).toContain(gpu.mode);
    expect(gpu.software).toBe(false);
    const tried = gpu.skipped.map(({ mode }) => mode);
    expect(tried).toEqual(GPU_MODES.slice(0, GPU_MODES.indexOf(gpu.mode)));
    // Under Xvfb, headless GL is Mesa's llvmpipe: a software renderer, so 'auto' must prefer a CPU backend.
    const headless = gpu.skipped.find(({ mode }) => mode === 'headlessgl');
    if (headless?.reason.startsWith('software renderer')) expect(gpu.mode).toBe('webasm');
    console.log(
      `[@convkit/gpu] auto chose ${gpu.mode} (${gpu.renderer}); skipped: ${gpu.skipped.map(({ mode, reason }) => `${mode}: ${reason}`).join(' | ')}`,
    );
    await gpu.dispose();
  });

  it('rejects a mode that does not exist, listing the modes that do', async () => {
    await expect(createGpu({ mode: 'metal' as never })).rejects.toThrow(
      "createGpu: mode must be 'auto' or one of 'webgpu', 'webgl2', 'webgl', 'headlessgl', 'webasm', 'cpu', got \"metal\"",
    );
  });

  it.each(NODE_MODES)('a Node process that used %s exits by itself after dispose', async (mode) => {
    const { stdout } = await run(tsx, ['--conditions=@convkit/source', fixture, mode], { timeout: 60_000 });
    expect(stdout.trim()).toBe(`${mode} 4`);
  });
});
