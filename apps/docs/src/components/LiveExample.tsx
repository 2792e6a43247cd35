import { useCallback, useEffect, useRef, useState } from 'react';
import BrowserOnly from '@docusaurus/BrowserOnly';
import type { ExampleResult } from '../../examples/backend';
import { GPU_MODES, type GpuMode } from '../live/gpu';
import type { BackendRun, LiveRun, LiveRunHandle } from '../live/run';
import { LIVE_TIME_LIMIT_MS } from '../live/worker-client';
import TensorView, { formatNumber } from './TensorView';
import { Button, Select } from './controls';
import styles from './styles.module.css';

type Props = {
  /** Which example this is, for the browser tests (`data-example`). */
  id: string;
  /** The example's TypeScript source, imported raw from `apps/docs/examples/`. */
  source: string;
};

function milliseconds(value: number): string {
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
}

function Column({ title, run, testId }: { title: string; run?: BackendRun; testId: string }) {
  return (
    <div className={styles.column} data-testid={testId} data-backend={run?.backend ?? ''}>
      <div className={styles.columnTitle}>
        {title}
        {run && (
          <span className={styles.muted}>
            {' '}
            backend <code data-testid={`${testId}-backend`}>{run.backend}</code>
            {run.renderer && <> on {run.renderer}</>} · {milliseconds(run.milliseconds)}
          </span>
        )}
      </div>
      {run?.error && <pre className={styles.error}>{run.error}</pre>}
      {run?.result && <Results result={run.result} />}
    </div>
  );
}

function Results({ result }: { result: ExampleResult }) {
  return (
    <div>
      {Object.entries(result).map(([name, tensor]) => (
        <TensorView key={name} name={name} tensor={tensor} />
      ))}
    </div>
  );
}

function Live({ id, source }: Props) {
  const [code, setCode] = useState(`${source.trim()}\n`);
  // No GPU until the reader picks one: gpu.js (1.6 MB) loads on that first use only.
  const [gpuMode, setGpuMode] = useState<GpuMode | 'none'>('none');
  const [run, setRun] = useState<LiveRun | undefined>();
  const [running, setRunning] = useState(false);
  const [runs, setRuns] = useState(0);
  const current = useRef<LiveRunHandle | undefined>(undefined);

  const execute = useCallback(async () => {
    setRunning(true);
    try {
      // The runner loads on first use; core and the compiler run in its worker, off this thread.
      const { startLive } = await import('../live/run');
      const handle = startLive(code, gpuMode);
      current.current = handle;
      setRun(await handle.done);
    } catch (error) {
      // Whatever goes wrong, the reader sees it and Run stays usable.
      setRun({
        cpu: { backend: 'core', error: error instanceof Error ? error.message : String(error), milliseconds: 0 },
      });
    } finally {
      current.current = undefined;
      setRuns((count) => count + 1);
      setRunning(false);
    }
  }, [code, gpuMode]);

  // Run once on load with the example as written; later runs are the reader's.
  // biome-ignore lint/correctness/useExhaustiveDependencies: on mount only, not on every edit of code or mode
  useEffect(() => {
    void execute();
  }, []);

  const difference = run?.maxDifference;
  return (
    <div className={styles.live} data-example={id} data-runs={runs} data-running={running}>
      <textarea
        className={styles.editor}
        value={code}
        spellCheck={false}
        rows={code.split('\n').length}
        aria-label={`Code of the ${id} example`}
        onChange={(event) => setCode(event.target.value)}
        onKeyDown={(event) => {
          if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') void execute();
        }}
      />
      <div className={styles.toolbar}>
        <Button kind="primary" onClick={() => void execute()} disabled={running} testId="run">
          {running ? 'Running…' : 'Run ▶'}
        </Button>
        <Button kind="secondary" onClick={() => current.current?.stop()} disabled={!running} testId="stop">
          Stop ■
        </Button>
        <label>
          GPU backend{' '}
          <Select<GpuMode | 'none'>
            label="GPU backend"
            value={gpuMode}
            options={GPU_MODES}
            onChange={(text) => setGpuMode(text as GpuMode | 'none')}
            testId="gpu-mode"
          >
            <option value="none">none (CPU only)</option>
          </Select>
        </label>
        <Button kind="secondary" onClick={() => setCode(`${source.trim()}\n`)}>
          Reset
        </Button>
        <span className={styles.muted}>
          Ctrl+Enter runs. The code is TypeScript; imports from @convkit/core and @convkit/gpu work. The CPU run has a
          Web Worker of its own and stops after {LIVE_TIME_LIMIT_MS / 1000} s.
        </span>
      </div>
      {run && (
        <div className={styles.summary} data-testid="summary">
          CPU <code>@convkit/core</code> {milliseconds(run.cpu.milliseconds)}
          {run.gpu && (
            <>
              {' · '}GPU <code data-testid="summary-gpu-backend">{run.gpu.backend}</code>{' '}
              {run.gpu.error
                ? 'did not run'
                : `${milliseconds(run.gpu.milliseconds)} (a first run compiles its kernels; run again for the warm time)`}
            </>
          )}
          {run.gpuNotInBuild && (
            <span className={styles.muted} data-testid="gpu-not-in-build">
              {' · '}GPU column: <code>@convkit/gpu</code> is not part of this build of the site
            </span>
          )}
          {difference !== undefined && (
            <>
              {' · '}max |CPU − GPU|{' '}
              <code data-testid="max-difference" data-value={difference}>
                {difference === 0 ? '0' : difference.toExponential(2)}
              </code>
            </>
          )}
        </div>
      )}
      <div className={styles.columns}>
        <Column title="CPU" run={run?.cpu} testId="cpu" />
        {run?.gpu && <Column title="GPU" run={run.gpu} testId="gpu" />}
      </div>
    </div>
  );
}

/**
 * A live code block: the example's source in an editor, run in the page on `@convkit/core` and on
 * `@convkit/gpu` side by side, with the backend used, the time taken and the largest difference.
 */
export default function LiveExample(props: Props) {
  return (
    <BrowserOnly fallback={<pre className={styles.editor}>{props.source}</pre>}>
      {() => <Live {...props} />}
    </BrowserOnly>
  );
}

export { formatNumber };
