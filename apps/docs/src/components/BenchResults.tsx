// The committed benchmark results, bundled at build time from bench/results/latest.json: the page
// never fetches anything, and every number it shows is read from that file (through
// src/bench/results.ts, which the vitest suite checks).
import type { ReactNode } from 'react';
import browser from '../../../../bench/results/browser.json';
import latest from '../../../../bench/results/latest.json';
import {
  browserLines,
  BROWSER_PEERS,
  type BrowserBenchResults,
  chartBars,
  REFERENCE_ENGINE,
  resultLines,
  skippedEngines,
  targetVerdicts,
  type BenchResults,
} from '../bench/results';
import BarChart, { type Bar } from './BarChart';
import { TableHead } from './controls';
import styles from './styles.module.css';

const results = latest as BenchResults;

const fixed = (value: number | undefined, digits: number) => (value === undefined ? 'n/a' : value.toFixed(digits));
const times = (value: number | undefined) =>
  value === undefined ? 'n/a' : `${value >= 10 ? value.toFixed(1) : value.toFixed(2)}x`;

/** The machine, the date and the load the results were measured under. */
export function BenchMachine() {
  const { machine, durationS, passes } = results;
  return (
    <ul data-testid="bench-machine">
      <li>
        CPU: <b data-testid="machine-cpu">{machine.cpu}</b>, {machine.logicalCpus} logical CPUs, {machine.memoryGiB} GiB
        memory, {machine.os}
      </li>
      <li>
        Node {machine.node}; measured <b>{machine.date.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}</b>
        {passes ? `, ${passes.length} full passes` : ''}
        {durationS !== undefined ? ` in ${Math.round(durationS)} s` : ''}
      </li>
      <li>
        Load averages (1, 5, 15 min): {machine.loadAverageBefore.join(', ')} before the run,{' '}
        {machine.loadAverageAfter.join(', ')} after
      </li>
      <li>{machine.note}</li>
    </ul>
  );
}

/** The tone of an engine's bar: convkit-core stands out, the other convkit engines in its colour. */
function tone(engine: string): Bar['tone'] {
  if (engine === REFERENCE_ENGINE) return 'highlight';
  return engine.startsWith('convkit-') ? 'own' : 'peer';
}

/** One bar chart of GFLOP/s per engine for every workload, on one shared logarithmic axis. */
export function BenchCharts() {
  const bars = chartBars(results);
  // Array.from, not spread: the client build's loose Babel turns `[...iterator]` into `[].concat(iterator)`.
  const values = Array.from(bars.values())
    .flat()
    .map((bar) => bar.gflops)
    .filter((value) => value > 0);
  const domain: [number, number] = [
    10 ** Math.floor(Math.log10(Math.min(...values))),
    10 ** Math.ceil(Math.log10(Math.max(...values))),
  ];
  return (
    <div data-testid="bench-charts">
      {results.workloads.map((workload) => (
        <BarChart
          key={workload.id}
          id={workload.id}
          title={`${workload.id}: ${workload.name}, ${fixed(workload.gflop, 3)} GFLOP`}
          unit="GFLOP/s"
          domain={domain}
          bars={(bars.get(workload.id) ?? []).map((bar) => ({
            label: bar.engine,
            value: bar.gflops,
            tone: tone(bar.engine),
          }))}
        />
      ))}
    </div>
  );
}

/** One of the page's result tables: a header row, then `children` as its rows. */
function BenchTableOf({ testId, columns, children }: { testId: string; columns: string[]; children: ReactNode }) {
  return (
    <table data-testid={testId} className={styles.benchTable}>
      <TableHead columns={columns} />
      <tbody>{children}</tbody>
    </table>
  );
}

/** Issue 5's targets for convkit-core, judged on the committed results. */
export function BenchTargets() {
  const verdicts = targetVerdicts(results);
  const met = verdicts.filter((verdict) => verdict.met).length;
  return (
    <>
      <p data-testid="targets-summary">
        {met} of {verdicts.length} targets met.
      </p>
      <BenchTableOf testId="bench-targets" columns={['workload', 'measure', 'target', 'measured', 'verdict']}>
        {verdicts.map((verdict) => (
          <tr key={`${verdict.workload} ${verdict.measure}`} data-testid="target-row" data-met={verdict.met}>
            <td>{verdict.workload}</td>
            <td>{verdict.measure}</td>
            <td>{verdict.target}</td>
            <td className={styles.number}>{times(verdict.value)}</td>
            <td className={verdict.met ? styles.met : styles.notMet}>{verdict.met ? 'met' : 'not met'}</td>
          </tr>
        ))}
      </BenchTableOf>
    </>
  );
}

/** Every row of the results file: median time, GFLOP/s and ratio to convkit-core, or why it was skipped. */
export function BenchTable() {
  const lines = resultLines(results);
  const engineReasons = new Map(skippedEngines(results).map(({ engine, reason }) => [engine, reason]));
  return (
    <BenchTableOf testId="bench-table" columns={['workload', 'engine', 'median ms', 'GFLOP/s', 'time / convkit-core']}>
      {lines.map((line) => (
        <tr key={`${line.workload} ${line.engine}`} data-testid="bench-row" data-skipped={line.skipped}>
          <td>{line.workload}</td>
          <td>{line.engine === REFERENCE_ENGINE ? <b>{line.engine}</b> : line.engine}</td>
          {line.skipped ? (
            <td colSpan={3} className={styles.skipped}>
              {engineReasons.get(line.engine) === line.reason
                ? 'skipped: this engine cannot run here (reason under Engines)'
                : `skipped: ${line.reason}`}
            </td>
          ) : (
            <>
              <td className={styles.number}>{fixed(line.medianMs, 3)}</td>
              <td className={styles.number}>{fixed(line.gflops, 2)}</td>
              <td className={styles.number}>{times(line.ratioToCore)}</td>
            </>
          )}
        </tr>
      ))}
    </BenchTableOf>
  );
}

/** Every engine with its version, peak memory, and for those that could not run here, the reason. */
export function BenchEngines() {
  return (
    <BenchTableOf testId="bench-engines" columns={['engine', 'what', 'peak RSS MiB', 'status']}>
      {results.engines.map((engine) => (
        <tr key={engine.engine} data-testid="engine-row" data-status={engine.status}>
          <td className={styles.nowrap}>
            <code>{engine.engine}</code>
          </td>
          <td>{engine.description}</td>
          <td className={styles.number}>{fixed(engine.peakRssMiB, 1)}</td>
          <td className={engine.status === 'ok' ? undefined : styles.skipped}>
            {engine.status === 'ok' ? 'ran' : 'skipped (reason below)'}
          </td>
        </tr>
      ))}
    </BenchTableOf>
  );
}

/** The engines that could not run on this machine, each with the benchmark's reason. */
export function BenchSkipped() {
  return (
    <ul data-testid="bench-skipped">
      {skippedEngines(results).map(({ engine, reason }) => (
        <li key={engine} data-testid="skipped-engine">
          <code>{engine}</code>: {reason}
        </li>
      ))}
    </ul>
  );
}

/**
 * The browser benchmark (bench/results/browser.json): per workload, each convkit-gpu engine's
 * time over its tfjs peer's, end to end and resident, from one page run.
 */
export function BenchBrowserTable() {
  const results = browser as BrowserBenchResults;
  const lines = browserLines(results);
  return (
    <>
      <p data-testid="browser-machine">
        {results.machine.browser}, measured {results.machine.date.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}:{' '}
        {results.machine.note}
      </p>
      <table data-testid="browser-table" className={styles.benchTable}>
        <thead>
          <tr>
            <th>workload</th>
            {BROWSER_PEERS.map(({ engine, peer }) => (
              <th key={engine}>
                {engine} / {peer}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {results.workloads.map(({ id }) => (
            <tr key={id} data-testid="browser-row">
              <td>{id}</td>
              {BROWSER_PEERS.map(({ engine }) => {
                const line = lines.find((candidate) => candidate.workload === id && candidate.engine === engine);
                const met = line?.ratioToPeer !== undefined && line.ratioToPeer <= 1;
                return (
                  <td key={engine} className={`${styles.number} ${met ? styles.met : styles.notMet}`}>
                    {times(line?.ratioToPeer)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
