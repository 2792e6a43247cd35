import { useState } from 'react';
import useBaseUrl from '@docusaurus/useBaseUrl';
import type { ConvOptions, ConvTransposeOptions, Tensor } from '@convkit/core';
import type { ConformanceCase } from '@convkit/testkit/node';
import { GPU_MODES, type GpuMode } from '../live/gpu';
import styles from './styles.module.css';

/** A conformance case as testkit loads it, revived from the JSON the build wrote (see conformance-plugin.ts). */
type Case = ConformanceCase;

interface Row {
  backend: string;
  status: 'running' | 'done' | 'not offered';
  passed: number;
  total: number;
  largestError: number;
  milliseconds: number;
  renderer?: string;
  note?: string;
  firstFailure?: string;
}

/** The tolerance of a float32 device backend, relative to the value's size (core must be exact within it too). */
const TOLERANCE = 1e-4;

function revive(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && 'float32' in value)
    return Float32Array.from((value as { float32: number[] }).float32);
  return value;
}

type Runner = (entry: Case) => Tensor | Promise<Tensor>;

async function runAll(cases: Case[], backend: string, run: Runner, update: (row: Row) => void): Promise<void> {
  const row: Row = { backend, status: 'running', passed: 0, total: cases.length, largestError: 0, milliseconds: 0 };
  const start = performance.now();
  for (const entry of cases) {
    try {
      const got = await run(entry);
      let error = got.shape.join() === entry.expected.shape.join() ? 0 : Infinity;
      for (let index = 0; index < got.data.length && error !== Infinity; index++) {
        const want = entry.expected.data[index];
        const relative = Math.abs(got.data[index] - want) / Math.max(1, Math.abs(want));
        if (!(relative <= error)) error = Number.isNaN(relative) ? Infinity : relative;
      }
      row.largestError = Math.max(row.largestError, error);
      if (error <= TOLERANCE) row.passed++;
      else row.firstFailure ??= `${entry.id}: error ${error}`;
    } catch (error) {
      row.largestError = Infinity;
      row.firstFailure ??= `${entry.id}: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  row.milliseconds = performance.now() - start;
  row.status = 'done';
  update(row);
}

/**
 * Runs the conformance vectors (ONNX's, ONNX Runtime's, PyTorch's) on `@convkit/core` and on every
 * `@convkit/gpu` backend this browser offers, with pass counts, the largest relative error and
 * the time per backend. gpu.js loads when Run is pressed, not before.
 */
export default function DeviceCheck() {
  const url = useBaseUrl('/conformance/cases.json');
  const [rows, setRows] = useState<Row[]>([]);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const update = (row: Row) => setRows((current) => [...current.filter((other) => other.backend !== row.backend), row]);

  const start = async () => {
    setRunning(true);
    setRows([]);
    setError(undefined);
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`could not load the vectors (${response.status} ${url})`);
      const cases = JSON.parse(await response.text(), revive) as Case[];
      const core = await import('@convkit/core');
      await runAll(
        cases,
        'core (CPU)',
        (entry) =>
          entry.kind === 'conv'
            ? core.conv(entry.input, entry.weight, entry.options as ConvOptions)
            : core.convTranspose(entry.input, entry.weight, entry.options as ConvTransposeOptions),
        update,
      );
      const { loadGpu } = await import('../live/gpu');
      for (const mode of GPU_MODES.filter((choice): choice is Exclude<GpuMode, 'auto'> => choice !== 'auto')) {
        const notOffered = (note: string) =>
          update({
            backend: mode,
            status: 'not offered',
            passed: 0,
            total: cases.length,
            largestError: 0,
            milliseconds: 0,
            note,
          });
        let gpu: Awaited<ReturnType<typeof loadGpu>>;
        try {
          gpu = await loadGpu(mode);
        } catch (failure) {
          notOffered(failure instanceof Error ? failure.message : String(failure));
          continue;
        }
        if (gpu.mode !== mode) {
          notOffered(`fell back to ${gpu.mode}`);
          continue;
        }
        const backend = gpu;
        await runAll(
          cases,
          mode,
          (entry) =>
            entry.kind === 'conv'
              ? backend.conv(entry.input, entry.weight, entry.options as ConvOptions)
              : backend.convTranspose(entry.input, entry.weight, entry.options as ConvTransposeOptions),
          (row) => update({ ...row, renderer: backend.renderer }),
        );
      }
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setRunning(false);
    }
  };

  return (
    <div className={styles.tool} data-testid="device-check" data-running={running}>
      <button
        type="button"
        className="button button--primary"
        disabled={running}
        onClick={() => void start()}
        data-testid="device-run"
      >
        {running ? 'Running…' : 'Run the conformance vectors'}
      </button>
      {error && <pre className={styles.error}>{error}</pre>}
      {rows.length > 0 && (
        <table className={styles.table}>
          <thead>
            <tr>
              <th>backend</th>
              <th>passed</th>
              <th>largest error (relative)</th>
              <th>time</th>
              <th>device / note</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr
                key={row.backend}
                data-testid={`device-row-${row.backend.split(' ')[0]}`}
                data-passed={row.passed}
                data-total={row.total}
                data-status={row.status}
              >
                <td>
                  <code>{row.backend}</code>
                </td>
                <td>{row.status === 'not offered' ? 'not offered' : `${row.passed} / ${row.total}`}</td>
                <td>{row.status === 'not offered' ? '' : row.largestError.toExponential(2)}</td>
                <td>{row.status === 'not offered' ? '' : `${row.milliseconds.toFixed(0)} ms`}</td>
                <td className={styles.muted}>
                  {row.renderer ?? ''} {row.note ?? ''} {row.firstFailure ? `first failure: ${row.firstFailure}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
