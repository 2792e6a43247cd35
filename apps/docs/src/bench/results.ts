// What the performance page shows, derived from the committed benchmark results
// (`bench/results/latest.json`, format in bench/README.md). Pure functions of the JSON, so the
// vitest suite checks exactly what the page renders; the page types no number itself.

/** The machine the results were measured on, as `pnpm bench` records it. */
export interface BenchMachine {
  cpu: string;
  logicalCpus: number;
  memoryGiB: number;
  os: string;
  node: string;
  date: string;
  loadAverageBefore: number[];
  loadAverageAfter: number[];
  note: string;
}

export interface BenchWorkload {
  id: string;
  name: string;
  gflop: number;
  inputShape: number[];
  outputShape: number[];
}

export interface BenchEngine {
  engine: string;
  description: string;
  status: 'ok' | 'skipped' | string;
  reason?: string;
  baselineRssMiB?: number;
  peakRssMiB?: number;
}

export interface BenchRow {
  workload: string;
  engine: string;
  status: 'ok' | 'skipped' | string;
  reason?: string;
  medianMs?: number;
  gflops?: number;
  ratioToCore?: number;
}

export interface BenchResults {
  machine: BenchMachine;
  workloads: BenchWorkload[];
  engines: BenchEngine[];
  rows: BenchRow[];
  passes?: unknown[];
  durationS?: number;
}

/** The engine every ratio is measured against. */
export const REFERENCE_ENGINE = 'convkit-core';

/** One row of the results table: a JSON row with its ratio to convkit-core on the same workload. */
export interface ResultLine {
  workload: string;
  engine: string;
  skipped: boolean;
  reason?: string;
  medianMs?: number;
  gflops?: number;
  /** `medianMs / convkit-core's medianMs`: above 1, convkit-core is that many times faster. */
  ratioToCore?: number;
}

/**
 * Every row of the results, in the file's order, with the ratio to convkit-core recomputed from
 * the two medians (the file's own `ratioToCore` is rounded to 3 decimals).
 *
 * @example
 * import results from '../../../../bench/results/latest.json';
 * resultLines(results).find((line) => line.workload === 'W1' && line.engine === 'tfjs-cpu')?.ratioToCore;
 */
export function resultLines(results: BenchResults): ResultLine[] {
  const coreMs = new Map(
    results.rows
      .filter((row) => row.engine === REFERENCE_ENGINE && row.status === 'ok')
      .map((row) => [row.workload, row.medianMs]),
  );
  return results.rows.map((row) => {
    if (row.status !== 'ok' || row.medianMs === undefined) {
      return { workload: row.workload, engine: row.engine, skipped: true, reason: row.reason ?? 'no time recorded' };
    }
    const reference = coreMs.get(row.workload);
    return {
      workload: row.workload,
      engine: row.engine,
      skipped: false,
      medianMs: row.medianMs,
      gflops: row.gflops,
      ratioToCore: reference ? row.medianMs / reference : undefined,
    };
  });
}

/** One bar of a workload's chart. */
export interface ChartBar {
  engine: string;
  gflops: number;
  medianMs: number;
}

/**
 * The bars of each workload's chart: every engine that ran it, fastest (highest GFLOP/s) first.
 *
 * @example
 * chartBars(results).get('W1')?.[0].engine; // the fastest engine on W1
 */
export function chartBars(results: BenchResults): Map<string, ChartBar[]> {
  const bars = new Map<string, ChartBar[]>(results.workloads.map((workload) => [workload.id, []]));
  for (const line of resultLines(results)) {
    if (line.skipped || line.gflops === undefined || line.medianMs === undefined) continue;
    bars.get(line.workload)?.push({ engine: line.engine, gflops: line.gflops, medianMs: line.medianMs });
  }
  for (const list of bars.values()) list.sort((a, b) => b.gflops - a.gflops);
  return bars;
}

/** The engines that could not run here, with the benchmark's reason. */
export function skippedEngines(results: BenchResults): { engine: string; reason: string }[] {
  return results.engines
    .filter((engine) => engine.status !== 'ok')
    .map((engine) => ({ engine: engine.engine, reason: engine.reason ?? 'no reason recorded' }));
}

/** One of issue 5's targets for convkit-core on one workload, judged on the results. */
export interface TargetVerdict {
  workload: string;
  /** What is compared, in words. */
  measure: string;
  /** The target, in words (e.g. `>= 5x`). */
  target: string;
  /** The measured value of `measure`, or undefined when a needed row is missing or skipped. */
  value?: number;
  met: boolean;
}

/** The medians of convkit-core and `engine` on `workload`, when both ran. */
function medians(lines: ResultLine[], workload: string, engine: string): { core: number; other: number } | undefined {
  const find = (name: string) =>
    lines.find((line) => line.workload === workload && line.engine === name && !line.skipped)?.medianMs;
  const core = find(REFERENCE_ENGINE);
  const other = find(engine);
  return core === undefined || other === undefined ? undefined : { core, other };
}

/** Issue 5's targets, one entry per rule: the workloads (all when left out), the peer, and the ratio's bound. */
const TARGETS: {
  workloads?: string[];
  engine: string;
  /** True when the ratio is the peer's time over convkit-core's; false for the inverse. */
  peerOverCore: boolean;
  measure: string;
  target: string;
  met: (ratio: number) => boolean;
}[] = [
  {
    engine: 'tfjs-cpu',
    peerOverCore: true,
    measure: 'tfjs-cpu time / convkit-core time',
    target: '>= 5x',
    met: (ratio) => ratio >= 5,
  },
  {
    workloads: ['W5', 'W7'],
    engine: 'tfjs-wasm',
    peerOverCore: true,
    measure: 'tfjs-wasm time / convkit-core time',
    target: '> 1x',
    met: (ratio) => ratio > 1,
  },
  {
    workloads: ['W1', 'W6'],
    engine: 'tfjs-wasm',
    peerOverCore: false,
    measure: 'convkit-core time / tfjs-wasm time',
    target: '<= 4x',
    met: (ratio) => ratio <= 4,
  },
];

/**
 * Issue 5's targets for convkit-core, evaluated on the results: at least 5x faster than tfjs-cpu
 * on every workload; faster than tfjs-wasm on W5 and W7; within 4x of tfjs-wasm on W1 and W6.
 * A target whose rows are missing or skipped is not met.
 *
 * @example
 * targetVerdicts(results).filter((verdict) => !verdict.met).map((verdict) => verdict.workload);
 */
export function targetVerdicts(results: BenchResults): TargetVerdict[] {
  const lines = resultLines(results);
  return TARGETS.flatMap(({ workloads, engine, peerOverCore, measure, target, met }) =>
    (workloads ?? results.workloads.map(({ id }) => id)).map((workload) => {
      const pair = medians(lines, workload, engine);
      const value = pair && (peerOverCore ? pair.other / pair.core : pair.core / pair.other);
      return { workload, measure, target, value, met: value !== undefined && met(value) };
    }),
  );
}

/** `bench/results/browser.json`, as `pnpm bench:browser` writes it (one page run in headless Chromium). */
export interface BrowserBenchResults {
  machine: { browser: string; date: string; note: string; cpu: string; logicalCpus: number };
  workloads: { id: string; name: string; gflop: number }[];
  engines: BenchEngine[];
  rows: BenchRow[];
  durationS?: number;
}

/** One convkit-gpu engine on one workload in the browser, against its tfjs peer timed the same way. */
export interface BrowserLine {
  workload: string;
  engine: string;
  /** The tfjs engine on the same API, timed the same way (end to end, or `-resident`). */
  peer: string;
  medianMs?: number;
  peerMs?: number;
  /** `medianMs / peerMs`: at most 1 meets issue 15's target. */
  ratioToPeer?: number;
}

/** The convkit-gpu engines of the browser benchmark and the tfjs engine each is held against. */
export const BROWSER_PEERS: readonly { engine: string; peer: string }[] = [
  { engine: 'convkit-gpu-webgl2', peer: 'tfjs-webgl' },
  { engine: 'convkit-gpu-webgl2-resident', peer: 'tfjs-webgl-resident' },
  { engine: 'convkit-gpu-webgpu', peer: 'tfjs-webgpu' },
  { engine: 'convkit-gpu-webgpu-resident', peer: 'tfjs-webgpu-resident' },
];

/**
 * Per workload, each convkit-gpu engine's median over its tfjs peer's, recomputed from the two
 * medians of the file (a skipped row leaves the ratio undefined).
 *
 * @example
 * import browser from '../../../../bench/results/browser.json';
 * browserLines(browser).find((line) => line.workload === 'W1' && line.engine === 'convkit-gpu-webgl2')?.ratioToPeer;
 */
export function browserLines(results: BrowserBenchResults): BrowserLine[] {
  const median = (workload: string, engine: string) => {
    const row = results.rows.find((candidate) => candidate.workload === workload && candidate.engine === engine);
    return row?.status === 'ok' ? row.medianMs : undefined;
  };
  const lines: BrowserLine[] = [];
  for (const { id } of results.workloads) {
    for (const { engine, peer } of BROWSER_PEERS) {
      const medianMs = median(id, engine);
      const peerMs = median(id, peer);
      lines.push({
        workload: id,
        engine,
        peer,
        medianMs,
        peerMs,
        ratioToPeer: medianMs !== undefined && peerMs !== undefined ? medianMs / peerMs : undefined,
      });
    }
  }
  return lines;
}
