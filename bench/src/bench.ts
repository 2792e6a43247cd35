import { loadavg } from 'node:os';
import { allEngines } from './engines/index.js';
import { measureEngineMemory } from './memory.js';
import { benchmarkWorkload, loadEngines, machineInfo, type BenchResults, type EngineSummary, type ResultRow, type TimingPolicy } from './runner.js';
import { loadWorkloads, tinyWorkloads } from './workloads.js';

export interface BenchOptions {
  /** The CI smoke test's shrunken workloads instead of the real ones. */
  readonly tiny: boolean;
  readonly policy: TimingPolicy;
  /** Only these engines / workloads (all when empty). */
  readonly engines?: readonly string[];
  readonly workloads?: readonly string[];
  /** Skip the per-engine child processes that measure peak RSS. */
  readonly skipMemory?: boolean;
  readonly log?: (line: string) => void;
}

/** Runs the whole benchmark: timing (one process, interleaved), then peak RSS (one child per engine). */
export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const log = options.log ?? (() => {});
  const started = performance.now();
  const machine = machineInfo(
    'Single-threaded engines; other jobs may share the machine: loadAverage* are the 1/5/15-minute load averages before and after the run.',
  );
  const workloads = (options.tiny ? tinyWorkloads() : loadWorkloads()).filter((workload) => !options.workloads?.length || options.workloads.includes(workload.id));
  const engines = allEngines().filter((engine) => !options.engines?.length || options.engines.includes(engine.name) || engine.name === 'convkit-core');
  const loaded = await loadEngines(engines);
  for (const { engine, error } of loaded) log(`${engine.name.padEnd(22)} ${error ? `skipped: ${error}` : engine.describe()}`);
  const rows: ResultRow[] = [];
  for (const workload of workloads) {
    log(`\n${workload.id}: ${workload.name}, ${workload.gflop.toFixed(4)} GFLOP`);
    rows.push(...(await benchmarkWorkload(workload, loaded, options.policy, log)));
  }
  const summaries: EngineSummary[] = [];
  for (const { engine, error } of loaded) {
    if (error) {
      summaries.push({ engine: engine.name, description: engine.describe(), status: 'skipped', reason: error });
      continue;
    }
    let memory = {};
    if (!options.skipMemory) {
      try {
        memory = await measureEngineMemory(engine.name, workloads.map((workload) => workload.id), options.tiny);
      } catch (failure) {
        log(`peak RSS of ${engine.name} not measured: ${(failure as Error).message}`);
      }
    }
    summaries.push({ engine: engine.name, description: engine.describe(), status: 'ok', ...memory });
  }
  return {
    machine: { ...machine, loadAverageAfter: loadavg().map((value) => Math.round(value * 100) / 100) },
    workloads: workloads.map(({ id, name, gflop, inputShape, outputShape }) => ({ id, name, gflop, inputShape, outputShape })),
    engines: summaries,
    rows,
    durationS: Math.round((performance.now() - started) / 100) / 10,
  };
}

/** The issue's targets for convkit-core, evaluated on a results file. */
export function targetReport(results: BenchResults): string[] {
  const lines: string[] = [];
  const ratio = (workload: string, engine: string) => results.rows.find((row) => row.workload === workload && row.engine === engine)?.ratioToCore;
  const show = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(2)}x`);
  for (const { id } of results.workloads) {
    const value = ratio(id, 'tfjs-cpu');
    lines.push(`${id}: tfjs-cpu time / convkit-core time = ${show(value)} (target >= 5x) ${value === undefined ? '' : value >= 5 ? 'MET' : 'NOT MET'}`);
  }
  for (const id of ['W5', 'W7']) {
    const value = ratio(id, 'tfjs-wasm');
    lines.push(`${id}: tfjs-wasm time / convkit-core time = ${show(value)} (target > 1x) ${value === undefined ? '' : value > 1 ? 'MET' : 'NOT MET'}`);
  }
  for (const id of ['W1', 'W6']) {
    const value = ratio(id, 'tfjs-wasm');
    lines.push(`${id}: convkit-core time / tfjs-wasm time = ${value === undefined ? 'n/a' : `${(1 / value).toFixed(2)}x`} (target <= 4x) ${value === undefined ? '' : 1 / value <= 4 ? 'MET' : 'NOT MET'}`);
  }
  return lines;
}
