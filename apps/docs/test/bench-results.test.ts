import { describe, expect, it } from 'vitest';
import browser from '../../../bench/results/browser.json';
import latest from '../../../bench/results/latest.json';
import {
  BROWSER_PEERS,
  browserLines,
  chartBars,
  resultLines,
  skippedEngines,
  targetVerdicts,
  type BenchResults,
  type BrowserBenchResults,
} from '../src/bench/results';

const results = latest as BenchResults;

/** convkit-core's median on a workload, straight from the file. */
function coreMedian(workload: string): number {
  const row = latest.rows.find((candidate) => candidate.workload === workload && candidate.engine === 'convkit-core');
  if (!row || row.medianMs === undefined) throw new Error(`no convkit-core row for ${workload}`);
  return row.medianMs;
}

/** The file's row for one workload and engine; a missing row fails the test by name. */
function rowOf(workload: string, engine: string): (typeof latest.rows)[number] {
  const row = latest.rows.find((candidate) => candidate.workload === workload && candidate.engine === engine);
  if (!row) throw new Error(`no ${engine} row for ${workload} in latest.json`);
  return row;
}

/** A row's median, which an ok row always has. */
function medianOf(row: { medianMs?: number; workload: string; engine: string }): number {
  if (row.medianMs === undefined) throw new Error(`the ${row.engine} row for ${row.workload} has no median`);
  return row.medianMs;
}

describe('the performance page derived from bench/results/latest.json', () => {
  it('shows one table row per row of the file, in its order', () => {
    const lines = resultLines(results);
    expect(lines.map((line) => `${line.workload} ${line.engine}`)).toEqual(
      latest.rows.map((row) => `${row.workload} ${row.engine}`),
    );
  });

  it('divides each median by convkit-core on the same workload, matching the file rounded to 3 decimals', () => {
    for (const line of resultLines(results)) {
      const row = rowOf(line.workload, line.engine);
      if (row.status !== 'ok') continue;
      expect(line.medianMs).toBe(row.medianMs);
      expect(line.gflops).toBe(row.gflops);
      expect(line.ratioToCore).toBeCloseTo(medianOf(row) / coreMedian(row.workload), 12);
      expect(Math.abs((line.ratioToCore ?? Number.NaN) - (row.ratioToCore ?? Number.NaN))).toBeLessThanOrEqual(
        0.0005 + 1e-9,
      );
    }
  });

  it('marks skipped rows with the reason the benchmark gave and shows no number for them', () => {
    const skipped = resultLines(results).filter((line) => line.skipped);
    expect(skipped.length).toBe(latest.rows.filter((row) => row.status !== 'ok').length);
    for (const line of skipped) {
      const row = rowOf(line.workload, line.engine);
      expect(line.reason).toBe(row.reason);
      expect(line.medianMs).toBeUndefined();
    }
    expect(skippedEngines(results)).toEqual(
      latest.engines.filter((engine) => engine.status !== 'ok').map(({ engine, reason }) => ({ engine, reason })),
    );
  });

  it('draws one bar per engine that ran each workload, fastest first', () => {
    const bars = chartBars(results);
    expect([...bars.keys()]).toEqual(latest.workloads.map((workload) => workload.id));
    for (const [workload, list] of bars) {
      const ran = latest.rows.filter((row) => row.workload === workload && row.status === 'ok');
      expect(list.map((bar) => bar.engine).sort()).toEqual(ran.map((row) => row.engine).sort());
      expect(list.map((bar) => bar.gflops)).toEqual(ran.map((row) => row.gflops ?? Number.NaN).sort((a, b) => b - a));
    }
  });

  it("judges issue 5's targets from the medians as the issue states them", () => {
    const expected = [
      ...latest.workloads.map(({ id }) => {
        const value = medianOf(rowOf(id, 'tfjs-cpu')) / coreMedian(id);
        return { workload: id, target: '>= 5x', value, met: value >= 5 };
      }),
      ...['W5', 'W7'].map((id) => {
        const value = medianOf(rowOf(id, 'tfjs-wasm')) / coreMedian(id);
        return { workload: id, target: '> 1x', value, met: value > 1 };
      }),
      ...['W1', 'W6'].map((id) => {
        const value = coreMedian(id) / medianOf(rowOf(id, 'tfjs-wasm'));
        return { workload: id, target: '<= 4x', value, met: value <= 4 };
      }),
    ];
    const verdicts = targetVerdicts(results);
    expect(verdicts.map(({ workload, target, met }) => ({ workload, target, met }))).toEqual(
      expected.map(({ workload, target, met }) => ({ workload, target, met })),
    );
    for (const [index, verdict] of verdicts.entries()) expect(verdict.value).toBeCloseTo(expected[index].value, 12);
  });

  it('counts a target as not met when a row it needs was skipped, and 5x exactly as met', () => {
    const synthetic: BenchResults = {
      ...results,
      workloads: [{ id: 'W1', name: 'w1', gflop: 1, inputShape: [1], outputShape: [1] }],
      rows: [
        { workload: 'W1', engine: 'convkit-core', status: 'ok', medianMs: 2, gflops: 500 },
        { workload: 'W1', engine: 'tfjs-cpu', status: 'ok', medianMs: 10, gflops: 100 },
        { workload: 'W1', engine: 'tfjs-wasm', status: 'skipped', reason: 'no wasm here' },
      ],
    };
    const byTarget = Object.fromEntries(
      targetVerdicts(synthetic).map((verdict) => [`${verdict.workload} ${verdict.target}`, verdict]),
    );
    expect(byTarget['W1 >= 5x']).toMatchObject({ value: 5, met: true });
    expect(byTarget['W1 <= 4x']).toMatchObject({ value: undefined, met: false });
    expect(byTarget['W5 > 1x']).toMatchObject({ value: undefined, met: false });
  });
});

describe('the browser table derived from bench/results/browser.json', () => {
  const browserResults = browser as BrowserBenchResults;
  const median = (workload: string, engine: string) =>
    browser.rows.find((row) => row.workload === workload && row.engine === engine && row.status === 'ok')?.medianMs;

  it('has one line per workload and convkit-gpu engine, each over its tfjs peer timed the same way', () => {
    const lines = browserLines(browserResults);
    expect(lines).toHaveLength(browser.workloads.length * BROWSER_PEERS.length);
    for (const line of lines) {
      const [mine, peer] = [median(line.workload, line.engine), median(line.workload, line.peer)];
      if (mine === undefined || peer === undefined) expect(line.ratioToPeer).toBeUndefined();
      else expect(line.ratioToPeer).toBeCloseTo(mine / peer, 12);
    }
  });
});
