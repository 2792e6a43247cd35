import type { WorkerRequest, WorkerResponse } from './worker';

/** How long a live example may run on the CPU before the page stops it. */
export const LIVE_TIME_LIMIT_MS = 5000;

/** A run in progress: its outcome, and a way to stop it early. */
export interface WorkerRun {
  done: Promise<WorkerResponse>;
  stop(): void;
}

let worker: Worker | undefined;
let nextId = 1;

function currentWorker(): Worker {
  // webpack bundles the worker from this pattern (its own chunk, with core and sucrase).
  worker ??= new Worker(new URL('./worker.ts', import.meta.url), { name: 'convkit-live' });
  return worker;
}

/**
 * Runs a live example's source in the worker, with a time limit. Stopping (or the limit) terminates
 * the worker, the only way to end a loop that never yields, and the next run starts a fresh one.
 */
export function runInWorker(source: string, timeLimit = LIVE_TIME_LIMIT_MS): WorkerRun {
  const id = nextId++;
  const running = currentWorker();
  const start = performance.now();
  let finish: (response: WorkerResponse) => void = () => {};
  const done = new Promise<WorkerResponse>((resolve) => {
    finish = resolve;
  });
  const settle = (response: WorkerResponse, terminate: boolean) => {
    clearTimeout(timer);
    running.removeEventListener('message', onMessage);
    running.removeEventListener('error', onError);
    if (terminate) {
      running.terminate();
      if (worker === running) worker = undefined;
    }
    finish(response);
  };
  const fail = (error: string) => settle({ id, error, milliseconds: performance.now() - start }, true);
  const onMessage = (event: MessageEvent<WorkerResponse>) => {
    if (event.data.id === id) settle(event.data, false);
  };
  const onError = (event: ErrorEvent) => fail(`live example: ${event.message || 'the worker failed to start'}`);
  const timer = setTimeout(
    () =>
      fail(
        `live example: stopped after ${timeLimit / 1000} s, the time limit (a loop that never ends, or too much work?)`,
      ),
    timeLimit,
  );
  running.addEventListener('message', onMessage);
  running.addEventListener('error', onError);
  running.postMessage({ id, source } satisfies WorkerRequest);
  return { done, stop: () => fail('live example: stopped (Stop button)') };
}
