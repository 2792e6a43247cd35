import { describe, expect, it } from 'vitest';
import type { ResultRow } from '../src/runner.js';
import { loadWorkloads } from '../src/workloads.js';
import { runTiny } from './run-tiny.js';

const CONVKIT_GPU = ['convkit-gpu-webgl2', 'convkit-gpu-webgpu'].flatMap((engine) => [engine, `${engine}-resident`]);
const TFJS = ['tfjs-webgl', 'tfjs-webgpu'].flatMap((engine) => [engine, `${engine}-resident`]);
const BROWSER_ENGINES = ['convkit-core', ...CONVKIT_GPU, ...TFJS];

describe('pnpm bench:browser --tiny (headless Chromium, tiny shapes, one timed run each)', () => {
  const bench = runTiny({ script: 'src/browser-main.ts', outName: 'browser-smoke.json', committed: 'browser.json' });

  it('exits 0 and writes its results where it was told, leaving browser.json alone', () => {
    bench.expectWroteOnlyItsOut();
  });

  it('runs every workload on convkit-gpu webgl2 and webgpu and tfjs webgl and webgpu, end to end and resident, each agreeing with convkit-core, with ratios to tfjs-webgl and to the tfjs peer', () => {
    const results = bench.results<{ rows: (ResultRow & { ratioToTfjsWebgl?: number; ratioToPeer?: number })[] }>();
    for (const { id } of loadWorkloads()) {
      for (const engine of BROWSER_ENGINES) {
        const row = results.rows.find((entry) => entry.workload === id && entry.engine === engine);
        expect(row?.status, `${id} ${engine}: ${row?.reason}`).toBe('ok');
        if (engine !== 'convkit-core') expect(row?.ratioToTfjsWebgl).toBeGreaterThan(0);
        if (CONVKIT_GPU.includes(engine)) expect(row?.ratioToPeer).toBeGreaterThan(0);
      }
    }
  });
});

describe('pnpm bench:browser-cpu --tiny (headless Chromium, tiny shapes, one timed run each)', () => {
  const bench = runTiny({
    script: 'src/browser-main.ts',
    flags: ['--cpu'],
    outName: 'browser-cpu-smoke.json',
    committed: 'browser-cpu.json',
  });

  it('runs every workload on convkit-core (1 thread and a pool), tfjs-wasm and ort-web-wasm, each agreeing with convkit-core', () => {
    bench.expectWroteOnlyItsOut();
    const results = bench.results<{ rows: ResultRow[]; engines: { engine: string; description: string }[] }>();
    for (const { id } of loadWorkloads()) {
      for (const engine of ['convkit-core', 'convkit-core-threads', 'tfjs-wasm', 'ort-web-wasm']) {
        const row = results.rows.find((entry) => entry.workload === id && entry.engine === engine);
        expect(row?.status, `${id} ${engine}: ${row?.reason}`).toBe('ok');
        expect(row?.ratioToCore).toBeGreaterThan(0);
      }
    }
    // Chromium has relaxed SIMD on by default, and the page is cross-origin isolated (the pool starts).
    const description = results.engines.find((entry) => entry.engine === 'convkit-core-threads')?.description;
    expect(description).toMatch(/relaxed-simd kernels, createThreadPool: \d+ threads$/);
  });
});
