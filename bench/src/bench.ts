import { loadavg } from 'node:os';
import { allEngines } from './engines/index.js';
import { measureEngineMemory } from './memory.js';
import {
  benchmarkWorkload,
  loadEngines,
  machineInfo,
  type BenchResults,
  type EngineSummary,
  type ResultRow,
  type TimingPass,
  type TimingPolicy,
} from './runner.js';
import { loadWorkloads, tinyWorkloads } from './workloads.js';

export interface BenchOptions {
  /** The CI smoke test's shrunken workloads instead of the real ones. */
  readonly tiny: boolean;
  readonly policy: TimingPolicy;
  /** Only these engines / workloads (all when empty). */
  readonly engines?: readonly string[];
  readonly workloads?: readonly string[];
  /**
   * Full timing passes over all workloads (engines loaded once); `rows` then holds, per workload
   * and engine, the median over the passes, and `passes` each pass's own rows.
   */
  readonly repeat?: number;
  /** Skip the per-engine child processes that measure peak RSS. */
  readonly skipMemory?: boolean;
  readonly log?: (line: string) => void;
}

function roundedLoad(): number[] {
  return loadavg().map((value) => Math.round(value * 100) / 100);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** See {@link runBench}'s passes: an engine slower than this per run is timed in the first pass only. */
export const SLOW_RUN_MS = 1000;

/**
 * One row per workload and engine from several passes: the median of the passes' medians (and
 * the ratio recomputed from those), skipped if any pass skipped it. Engines timed in the first
 * pass only (slower than SLOW_RUN_MS) keep that pass's median.
 */
function medianOfPasses(passes: readonly TimingPass[]): ResultRow[] {
  return passes[0].rows.map((first) => {
    const same = passes
      .map((pass) => pass.rows.find((row) => row.workload === first.workload && row.engine === first.engine))
      .filter((row): row is ResultRow => row !== undefined);
    const skipped = same.find((row) => row.status !== 'ok');
    if (skipped) return skipped;
    const core = passes.map(
      (pass) => pass.rows.find((row) => row.workload === first.workload && row.engine === 'convkit-core') as ResultRow,
    );
    const medianMs = median(same.map((row) => row.medianMs as number));
    const coreMs = median(core.map((row) => row.medianMs as number));
    const gflopPerMs = (first.gflops as number) * (first.medianMs as number);
    return {
      ...first,
      medianMs: round3(medianMs),
      minMs: Math.min(...same.map((row) => row.minMs as number)),
      runs: same.reduce((sum, row) => sum + (row.runs as number), 0),
      gflops: round3(gflopPerMs / medianMs),
      ratioToCore: core.every((row) => row.status === 'ok') ? round3(medianMs / coreMs) : undefined,
      passMedianMs: same.map((row) => row.medianMs as number),
      maxAbsDiff: Math.max(...same.map((row) => row.maxAbsDiff ?? 0)),
    };
  });
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Runs the whole benchmark: timing (one process, interleaved), then peak RSS (one child per engine). */
export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const log = options.log ?? (() => {});
  const started = performance.now();
  const machine = machineInfo(
    'Single-threaded engines except convkit-core-threads and ort-node-threads (all logical CPUs); other jobs may share the machine: loadAverage* are the 1/5/15-minute load averages before and after the run.',
  );
  const workloads = (options.tiny ? tinyWorkloads() : loadWorkloads()).filter(
    (workload) => !options.workloads?.length || options.workloads.includes(workload.id),
  );
  const engines = allEngines().filter(
    (engine) => !options.engines?.length || options.engines.includes(engine.name) || engine.name === 'convkit-core',
  );
  const loaded = await loadEngines(engines);
  for (const { engine, error } of loaded)
    log(`${engine.name.padEnd(22)} ${error ? `skipped: ${error}` : engine.describe()}`);
  const passes: TimingPass[] = [];
  const repeat = Math.max(1, options.repeat ?? 1);
  for (let pass = 1; pass <= repeat; pass++) {
    const loadAverageBefore = roundedLoad();
    const passRows: ResultRow[] = [];
    for (const workload of workloads) {
      log(
        `\n${repeat > 1 ? `[pass ${pass}/${repeat}] ` : ''}${workload.id}: ${workload.name}, ${workload.gflop.toFixed(4)} GFLOP`,
      );
      // Engines that took over SLOW_RUN_MS per run in the first pass are timed in that pass only:
      // at seconds per run, load noise matters little, and repeating them would triple the run.
      const slow = new Set(
        pass === 1
          ? []
          : passes[0].rows
              .filter((row) => row.workload === workload.id && (row.medianMs ?? 0) > SLOW_RUN_MS)
              .map((row) => row.engine),
      );
      passRows.push(
        ...(await benchmarkWorkload(
          workload,
          loaded.filter(({ engine }) => !slow.has(engine.name)),
          options.policy,
          log,
        )),
      );
    }
    passes.push({ loadAverageBefore, loadAverageAfter: roundedLoad(), rows: passRows });
  }
  const rows = repeat === 1 ? passes[0].rows : medianOfPasses(passes);
  const summaries: EngineSummary[] = [];
  for (const { engine, error } of loaded) {
    if (error) {
      summaries.push({ engine: engine.name, description: engine.describe(), status: 'skipped', reason: error });
      continue;
    }
    let memory = {};
    if (!options.skipMemory) {
      try {
        memory = await measureEngineMemory(
          engine.name,
          workloads.map((workload) => workload.id),
          options.tiny,
        );
      } catch (failure) {
        log(`peak RSS of ${engine.name} not measured: ${(failure as Error).message}`);
      }
    }
    summaries.push({ engine: engine.name, description: engine.describe(), status: 'ok', ...memory });
  }
  return {
    machine: { ...machine, loadAverageAfter: roundedLoad() },
    workloads: workloads.map(({ id, name, gflop, inputShape, outputShape }) => ({
      id,
      name,
      gflop,
      inputShape,
      outputShape,
    })),
    engines: summaries,
    rows,
    ...(repeat > 1 ? { passes } : {}),
    durationS: Math.round((performance.now() - started) / 100) / 10,
  };
}

/** The issue's targets for convkit-core, evaluated on a results file. */
export function targetReport(results: BenchResults): string[] {
  const lines: string[] = [];
  const ratio = (workload: string, engine: string) =>
    results.rows.find((row) => row.workload === workload && row.engine === engine)?.ratioToCore;
  const show = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(2)}x`);
  for (const { id } of results.workloads) {
    const value = ratio(id, 'tfjs-cpu');
    lines.push(
      `${id}: tfjs-cpu time / convkit-core time = ${show(value)} (target >= 5x) ${value === undefined ? '' : value >= 5 ? 'MET' : 'NOT MET'}`,
    );
  }
  for (const id of ['W5', 'W7']) {
    const value = ratio(id, 'tfjs-wasm');
    lines.push(
      `${id}: tfjs-wasm time / convkit-core time = ${show(value)} (target > 1x) ${value === undefined ? '' : value > 1 ? 'MET' : 'NOT MET'}`,
    );
  }
  for (const id of ['W1', 'W6']) {
    const value = ratio(id, 'tfjs-wasm');
    lines.push(
      `${id}: convkit-core time / tfjs-wasm time = ${value === undefined ? 'n/a' : `${(1 / value).toFixed(2)}x`} (target <= 4x) ${value === undefined ? '' : 1 / value <= 4 ? 'MET' : 'NOT MET'}`,
    );
  }
  // Issue 13: one thread at least as fast as tfjs-wasm everywhere; all cores at least 1.7x its own
  // one-thread speed on W1, W1b16 and W6, and within 2x of ort-node at the same thread count.
  for (const { id } of results.workloads) {
    const value = ratio(id, 'tfjs-wasm');
    lines.push(
      `${id}: tfjs-wasm time / convkit-core time = ${show(value)} (target >= 1x, 1 thread) ${value === undefined ? '' : value >= 1 ? 'MET' : 'NOT MET'}`,
    );
  }
  for (const id of ['W1', 'W1b16', 'W6']) {
    const threaded = ratio(id, 'convkit-core-threads');
    const value = threaded === undefined ? undefined : 1 / threaded;
    lines.push(
      `${id}: convkit-core 1-thread time / all-cores time = ${show(value)} (target >= 1.7x) ${value === undefined ? '' : value >= 1.7 ? 'MET' : 'NOT MET'}`,
    );
  }
  for (const { id } of results.workloads) {
    for (const [ort, core] of [
      ['ort-node', undefined],
      ['ort-node-threads', 'convkit-core-threads'],
    ] as const) {
      const ortRatio = ratio(id, ort);
      const coreRatio = core ? ratio(id, core) : 1;
      const value = ortRatio === undefined || coreRatio === undefined ? undefined : ortRatio / coreRatio;
      lines.push(
        `${id}: ${ort} time / ${core ?? 'convkit-core'} time = ${show(value)} (target >= 0.5x, within 2x) ${value === undefined ? '' : value >= 0.5 ? 'MET' : 'NOT MET'}`,
      );
    }
  }
  return lines;
}
