import { describe, expect, it } from 'vitest';
import type { BenchResults } from '../src/runner.js';
import { loadWorkloads } from '../src/workloads.js';
import { runTiny } from './run-tiny.js';

const PEERS = [
  'convkit-core',
  'convkit-core-threads',
  'convkit-core-direct',
  'tfjs-cpu',
  'tfjs-wasm',
  'ort-node',
  'ort-node-threads',
  'ort-web-wasm',
];

describe('pnpm bench --tiny (the CI smoke test: tiny shapes, one timed run each)', () => {
  const bench = runTiny({ script: 'src/main.ts', outName: 'smoke.json', committed: 'latest.json' });

  it('exits 0 and writes its results where it was told, leaving latest.json alone', () => {
    bench.expectWroteOnlyItsOut();
    expect(bench.child.stdout).toContain('== targets ==');
  });

  it('has a row for every workload and engine, and every installed engine agrees with convkit-core on every workload', () => {
    const results = bench.results<BenchResults>();
    const ids = loadWorkloads().map((workload) => workload.id);
    expect(ids).toEqual(['W1', 'W1b16', 'W2', 'W3', 'W4', 'W5', 'W6', 'W7', 'W8']);
    for (const id of ids) {
      for (const engine of PEERS) {
        const row = results.rows.find((entry) => entry.workload === id && entry.engine === engine);
        expect(row?.status, `${id} ${engine}: ${row?.reason}`).toBe('ok');
        expect(row?.medianMs).toBeGreaterThan(0);
        expect(row?.ratioToCore).toBeGreaterThan(0);
      }
      expect(results.rows.find((entry) => entry.workload === id && entry.engine === 'convkit-core')?.ratioToCore).toBe(
        1,
      );
    }
    for (const row of results.rows.filter((entry) => entry.status === 'skipped')) expect(row.reason).toMatch(/\w/);
  });

  it('says which kernels convkit-core ran (relaxed SIMD: the bench turns it on in Node 20) and how many threads each engine used', () => {
    const results = bench.results<BenchResults>();
    const describe = (engine: string) => results.engines.find((entry) => entry.engine === engine)?.description;
    expect(describe('convkit-core')).toMatch(/relaxed-simd kernels, 1 thread$/);
    expect(describe('convkit-core-threads')).toMatch(/relaxed-simd kernels, createThreadPool: \d+ threads$/);
    expect(describe('ort-node-threads')).toMatch(/\d+ threads\)$/);
  });

  it('describes the machine and measures peak RSS of each engine in its own process', () => {
    const results = bench.results<BenchResults>();
    expect(results.machine.logicalCpus).toBeGreaterThan(0);
    expect(results.machine.loadAverageBefore).toHaveLength(3);
    for (const engine of PEERS) {
      const summary = results.engines.find((entry) => entry.engine === engine);
      expect(summary?.peakRssMiB, engine).toBeGreaterThan(10);
    }
  });
});
