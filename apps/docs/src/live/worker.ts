// The live examples' CPU run, off the page's thread: a reader's `while (true) {}` blocks this
// worker, never the page, and the page stops it by terminating the worker after its time limit.
import * as core from '@convkit/core';
import { compileExample } from './compile';
import { coreBackend } from './core-backend';
import { checkResult } from './result';

/** What the page sends: the example's source. */
export interface WorkerRequest {
  id: number;
  source: string;
}

/** What the worker answers: the checked result, or the error's message, and the time taken. */
export interface WorkerResponse {
  id: number;
  result?: ReturnType<typeof checkResult>;
  error?: string;
  milliseconds: number;
}

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerResponse): void;
};

scope.onmessage = (event) => {
  const { id, source } = event.data;
  const start = performance.now();
  void (async () => {
    try {
      const example = compileExample(source, { '@convkit/core': core });
      const result = checkResult(await example(coreBackend));
      // Copied, not transferred: a tensor's data may be a view of core's WebAssembly memory.
      scope.postMessage({ id, result, milliseconds: performance.now() - start });
    } catch (error) {
      scope.postMessage({
        id,
        error: error instanceof Error ? error.message : String(error),
        milliseconds: performance.now() - start,
      });
    }
  })();
};
