import { cpus, loadavg, totalmem, platform, release, arch } from 'node:os';
import { compareTensors, type Tolerance } from '@convkit/testkit';
import type { Engine, PreparedWorkload } from './engines/index.js';
import type { Workload } from './workloads.js';
import { workloadData } from './workloads.js';
import { runCore } from './engines/convkit-core.js';

/** How close a peer's output must be to convkit-core's before it is timed (float32, other summation orders). */
export const CHECK_TOLERANCE: Tolerance = { absolute: 1e-3, relative: 1e-3 };

export interface TimingPolicy {
  /** Timed runs every engine gets, however slow. */
  readonly minRuns: number;
  /** At most this many timed runs. */
  readonly maxRuns: number;
  /** After minRuns, an engine keeps sampling a workload until its timed runs add up to this. */
  readonly budgetMs: number;
}

export const FULL_POLICY: TimingPolicy = { minRuns: 3, maxRuns: 25, budgetMs: 1500 };
export const SMOKE_POLICY: TimingPolicy = { minRuns: 1, maxRuns: 2, budgetMs: 0 };

export interface ResultRow {
  readonly workload: string;
  readonly engine: string;
  readonly status: 'ok' | 'skipped';
  /** Why the engine did not run this workload (cannot load, unsupported, or its output differed from convkit-core's). */
  readonly reason?: string;
  readonly medianMs?: number;
  readonly minMs?: number;
  readonly runs?: number;
  /** Useful GFLOP/s: 2 * MACs of workloads.json / median time. */
  readonly gflops?: number;
  /** medianMs / convkit-core's medianMs on the same workload: above 1, convkit-core is that many times faster. */
  readonly ratioToCore?: number;
  /** Largest |engine - convkit-core| over the output, from the check before timing. */
  readonly maxAbsDiff?: number;
  /** With several passes (`--repeat`): each pass's median; `medianMs` is their median. */
  readonly passMedianMs?: readonly number[];
}

/** One full timing pass over every workload. */
export interface TimingPass {
  readonly loadAverageBefore: readonly number[];
  readonly loadAverageAfter: readonly number[];
  readonly rows: readonly ResultRow[];
}

export interface EngineSummary {
  readonly engine: string;
  readonly description: string;
  readonly status: 'ok' | 'skipped';
  readonly reason?: string;
  /** Resident set after loading the engine, before any workload (child process, MiB). */
  readonly baselineRssMiB?: number;
  /** Peak resident set over all workloads (one child process for this engine, MiB). */
  readonly peakRssMiB?: number;
}

export interface MachineInfo {
  readonly cpu: string;
  readonly logicalCpus: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly date: string;
  readonly loadAverageBefore: readonly number[];
  readonly loadAverageAfter?: readonly number[];
  readonly note: string;
}

export interface BenchResults {
  readonly machine: MachineInfo;
  readonly workloads: readonly {
    id: string;
    name: string;
    gflop: number;
    inputShape: readonly number[];
    outputShape: readonly number[];
  }[];
  readonly engines: readonly EngineSummary[];
  readonly rows: readonly ResultRow[];
  /** Each pass's rows when the run made several (`--repeat`). */
  readonly passes?: readonly TimingPass[];
  readonly durationS: number;
}

export function machineInfo(note: string): MachineInfo {
  const cpuList = cpus();
  return {
    cpu: cpuList[0]?.model ?? 'unknown',
    logicalCpus: cpuList.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    date: new Date().toISOString(),
    loadAverageBefore: loadavg().map((value) => Math.round(value * 100) / 100),
    note,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function timeOnce(prepared: PreparedWorkload): Promise<number> {
  await prepared.activate?.();
  const start = performance.now();
  await prepared.run();
  return performance.now() - start;
}

export interface LoadedEngine {
  readonly engine: Engine;
  readonly error?: string;
}

/** The repository root as this file sees it, cut from recorded reasons so results name no machine's checkout path. */
const REPOSITORY_ROOT = new URL('../../', import.meta.url).pathname;

/** The first line of an error, with the checkout's absolute path made relative. */
export function skipReason(error: unknown): string {
  return (error as Error).message.split('\n')[0].split(REPOSITORY_ROOT).join('');
}

/** Loads every engine; one that cannot load is kept with its reason, to be recorded as skipped. */
export async function loadEngines(engines: readonly Engine[]): Promise<LoadedEngine[]> {
  const loaded: LoadedEngine[] = [];
  for (const engine of engines) {
    try {
      await engine.load();
      loaded.push({ engine });
    } catch (error) {
      loaded.push({ engine, error: skipReason(error) });
    }
  }
  return loaded;
}

/**
 * Times every loaded engine on one workload, in one process: each engine is prepared and its
 * output checked against convkit-core's (that run doubles as the first warm-up), warmed up once
 * more, then the engines take turns, one timed run each per round, so slow drifts in the machine
 * (other processes, frequency) spread over all of them alike.
 */
export async function benchmarkWorkload(
  workload: Workload,
  engines: readonly LoadedEngine[],
  policy: TimingPolicy,
  log: (line: string) => void = () => {},
): Promise<ResultRow[]> {
  const data = workloadData(workload);
  const reference = runCore(workload, data.input, data.weights, 'auto');
  const contenders: { name: string; prepared: PreparedWorkload; samples: number[]; maxAbsDiff: number }[] = [];
  const rows = new Map<string, ResultRow>();
  for (const { engine, error } of engines) {
    if (error) {
      rows.set(engine.name, { workload: workload.id, engine: engine.name, status: 'skipped', reason: error });
      continue;
    }
    let prepared: PreparedWorkload | undefined;
    try {
      prepared = await engine.prepare(workload, data);
      await prepared.activate?.();
      const checkStart = performance.now();
      const result = await prepared.run();
      const firstMs = performance.now() - checkStart;
      const got = { shape: [...workload.outputShape], data: prepared.read(result) };
      const comparison = compareTensors(got, reference, CHECK_TOLERANCE);
      if (!comparison.ok) throw new Error(`output differs from convkit-core: ${comparison.message}`);
      // A second warm-up unless the first run alone took long enough to have warmed everything.
      if (firstMs < 1000) await timeOnce(prepared);
      contenders.push({ name: engine.name, prepared, samples: [], maxAbsDiff: comparison.maxAbsError });
    } catch (error) {
      rows.set(engine.name, {
        workload: workload.id,
        engine: engine.name,
        status: 'skipped',
        reason: skipReason(error),
      });
      if (prepared) await prepared.release();
    }
  }
  const wantsMore = (samples: number[]) =>
    samples.length < policy.minRuns ||
    (samples.length < policy.maxRuns && samples.reduce((sum, value) => sum + value, 0) < policy.budgetMs);
  while (contenders.some((entry) => wantsMore(entry.samples))) {
    for (const entry of contenders) if (wantsMore(entry.samples)) entry.samples.push(await timeOnce(entry.prepared));
  }
  for (const entry of contenders) {
    await entry.prepared.release();
    const medianMs = median(entry.samples);
    rows.set(entry.name, {
      workload: workload.id,
      engine: entry.name,
      status: 'ok',
      medianMs: round3(medianMs),
      minMs: round3(Math.min(...entry.samples)),
      runs: entry.samples.length,
      gflops: round3(workload.gflop / (medianMs / 1000)),
      maxAbsDiff: entry.maxAbsDiff,
    });
  }
  const core = rows.get('convkit-core');
  const ordered = engines
    .map(({ engine }) => rows.get(engine.name) as ResultRow)
    .map((row) =>
      row.status === 'ok' && core?.status === 'ok'
        ? { ...row, ratioToCore: round3((row.medianMs as number) / (core.medianMs as number)) }
        : row,
    );
  for (const row of ordered) log(formatRow(row));
  return ordered;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export function formatRow(row: ResultRow): string {
  const cells = [row.workload.padEnd(6), row.engine.padEnd(22)];
  if (row.status === 'ok') {
    cells.push(
      `${(row.medianMs as number).toFixed(3).padStart(11)} ms`,
      `${(row.gflops as number).toFixed(2).padStart(8)} GFLOP/s`,
      row.ratioToCore === undefined ? '' : `${row.ratioToCore.toFixed(2).padStart(8)}x core`,
      `  (${row.runs} runs)`,
    );
  } else {
    cells.push(`skipped: ${row.reason}`);
  }
  return cells.join(' ');
}
