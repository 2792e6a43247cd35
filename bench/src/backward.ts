/**
 * `pnpm bench:backward`: the backward pass (input and weight gradients) of W1 (standard 3x3),
 * W6 (dilated 3x3) and W7 (transposed 4x4, stride 2) on convkit-core against tfjs's `tf.grads`
 * on its cpu and wasm backends; writes bench/results/backward.json. Where tfjs cannot
 * differentiate a workload the row says why (its own error message). Every engine's gradients are
 * checked against convkit-core's before timing. Flags: --tiny (the smoke shapes, written to a
 * temp-friendly `--out`), --out <file>.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { convBackward, convTransposeBackward, type Tensor } from '@convkit/core';
import { compareTensors, mulberry32, randomTensor } from '@convkit/testkit';
import { stageOptions } from './engines/convkit-core.js';
import { nchwToNhwc, nhwcToNchw, packageVersion, transpose4d } from './engines/engine.js';
import { CHECK_TOLERANCE, machineInfo, skipReason } from './runner.js';
import { loadWorkloads, tinyWorkloads, type Workload, type WorkloadData, workloadData } from './workloads.js';

type Tf = typeof import('@tensorflow/tfjs');
type TfTensor = import('@tensorflow/tfjs').Tensor;
type Rank4 = import('@tensorflow/tfjs').Tensor4D;

const WORKLOAD_IDS = ['W1', 'W6', 'W7'];

/** Both gradients in convkit's layouts: input NCHW, weight as the op's weight. */
interface BackwardResult {
  gradInput: Float32Array;
  gradWeight: Float32Array;
}

interface Prepared {
  /** Called (untimed) before each run: tfjs computes on whichever backend is active. */
  activate?(): Promise<void>;
  run(): BackwardResult;
  release(): void;
}

interface BackwardEngine {
  name: string;
  describe(): string;
  load(): Promise<void>;
  prepare(workload: Workload, data: WorkloadData, gradOutput: Tensor): Prepared | Promise<Prepared>;
}

export interface BackwardRow {
  workload: string;
  engine: string;
  status: 'ok' | 'skipped';
  reason?: string;
  medianMs?: number;
  runs?: number;
  ratioToCore?: number;
  maxAbsError?: number;
}

const convkitCore: BackwardEngine = {
  name: 'convkit-core',
  describe: () => "@convkit/core convBackward / convTransposeBackward, algorithm 'auto'",
  load: async () => undefined,
  prepare(workload, data, gradOutput) {
    const options = {
      ...stageOptions(workload.stages[0], 'auto'),
      need: ['gradInput', 'gradWeight'] as ('gradInput' | 'gradWeight')[],
    };
    const backward = workload.kind === 'convTranspose' ? convTransposeBackward : convBackward;
    return {
      run: () => {
        const { gradInput, gradWeight } = backward(data.input, data.weights[0], gradOutput, options);
        return { gradInput: gradInput.data, gradWeight: gradWeight.data };
      },
      release: () => undefined,
    };
  },
};

/** convkit weight <-> tfjs filter: conv [C_out, C_in, kH, kW] <-> [kH, kW, C_in, C_out]; transposed [C_in, C_out, kH, kW] <-> [kH, kW, C_out, C_in]. */
function tfjsEngine(backend: 'cpu' | 'wasm'): BackwardEngine {
  let tf: Tf;
  return {
    name: `tfjs-${backend}`,
    describe: () => `@tensorflow/tfjs ${packageVersion('@tensorflow/tfjs')} tf.grads on the ${backend} backend`,
    async load() {
      tf = await import('@tensorflow/tfjs');
      tf.env().set('IS_NODE', true);
      if (backend === 'wasm') {
        const { createRequire } = await import('node:module');
        const require = createRequire(import.meta.url);
        const wasmBackend = await import('@tensorflow/tfjs-backend-wasm');
        wasmBackend.setWasmPaths(
          `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'))}/`,
        );
        tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      }
      if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend '${backend}' failed to initialise`);
      await tf.ready();
    },
    async prepare(workload, data, gradOutput) {
      await tf.setBackend(backend);
      // A missing kernel surfaces inside tfjs's tape, where the wasm backend's process hooks turn it
      // into an uncaught exception; ask the registry first and report tfjs's own wording.
      const transposedOp = workload.kind === 'convTranspose';
      for (const kernel of transposedOp
        ? ['Conv2D', 'Conv2DBackpropFilter']
        : ['Conv2DBackpropInput', 'Conv2DBackpropFilter']) {
        if (!tf.getKernel(kernel, backend))
          throw new Error(`Kernel '${kernel}' not registered for backend '${backend}'`);
      }
      const [batch, channels, height, width] = workload.inputShape;
      const [, outChannels, outHeight, outWidth] = workload.outputShape;
      const [stage] = workload.stages;
      if (stage.groups !== 1) throw new Error('tfjs conv2d has no groups');
      const weight = data.weights[0];
      const transposed = workload.kind === 'convTranspose';
      const x = tf.tensor4d(nchwToNhwc(data.input.data, workload.inputShape), [batch, height, width, channels]);
      const filter = tf.transpose(
        tf.tensor4d(weight.data, weight.shape as [number, number, number, number]),
        [2, 3, 1, 0],
      ) as Rank4;
      const g = tf.tensor4d(nchwToNhwc(gradOutput.data, workload.outputShape), [
        batch,
        outHeight,
        outWidth,
        outChannels,
      ]);
      const [top, left, bottom, right] = stage.pads;
      const pad = [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ] as never;
      const stride = stage.stride as [number, number];
      const dilation = stage.dilation as [number, number];
      const forward = (input: TfTensor, kernel: TfTensor) =>
        transposed
          ? tf.conv2dTranspose(input as Rank4, kernel as Rank4, [batch, outHeight, outWidth, outChannels], stride, pad)
          : tf.conv2d(input as Rank4, kernel as Rank4, stride, pad, 'NHWC', dilation);
      const gradients = tf.grads((input: TfTensor, kernel: TfTensor) => tf.sum(tf.mul(forward(input, kernel), g)));
      const [kH, kW] = weight.shape.slice(2);
      return {
        activate: async () => {
          if (tf.getBackend() !== backend) await tf.setBackend(backend);
        },
        run: () => {
          const [dx, dw] = tf.tidy(() => gradients([x, filter]));
          const gradInput = nhwcToNchw(dx.dataSync() as Float32Array, workload.inputShape);
          // [kH, kW, a, b] -> [b, a, kH, kW]: the inverse of the transpose above.
          const dwData = dw.dataSync() as Float32Array;
          dx.dispose();
          dw.dispose();
          const [first, second] = weight.shape;
          const gradWeight = transpose4d(dwData, [kH, kW, second, first], [3, 2, 0, 1]);
          return { gradInput, gradWeight };
        },
        release: () => {
          for (const tensor of [x, filter, g]) tensor.dispose();
        },
      };
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export async function runBackwardBench(options: { tiny: boolean; log?: (line: string) => void }) {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const machine = machineInfo('backward pass: gradInput + gradWeight of one layer, host to host');
  const engines = [convkitCore, tfjsEngine('cpu'), tfjsEngine('wasm')];
  const loaded: BackwardEngine[] = [];
  const rows: BackwardRow[] = [];
  const engineNotes: { engine: string; description?: string; skipped?: string }[] = [];
  for (const engine of engines) {
    try {
      await engine.load();
      loaded.push(engine);
      engineNotes.push({ engine: engine.name, description: engine.describe() });
    } catch (error) {
      engineNotes.push({ engine: engine.name, skipped: skipReason(error) });
    }
  }
  const workloads = (options.tiny ? tinyWorkloads() : loadWorkloads()).filter((w) => WORKLOAD_IDS.includes(w.id));
  const budgetMs = options.tiny ? 0 : 1500;
  const [minRuns, maxRuns] = options.tiny ? [1, 1] : [3, 15];
  for (const workload of workloads) {
    const data = workloadData(workload);
    const gradOutput = randomTensor(mulberry32(4242), workload.outputShape);
    const reference = (await convkitCore.prepare(workload, data, gradOutput)).run();
    const ready: { engine: BackwardEngine; prepared: Prepared; times: number[]; error: number }[] = [];
    for (const engine of loaded) {
      try {
        const prepared = await engine.prepare(workload, data, gradOutput);
        await prepared.activate?.();
        const got = prepared.run();
        let error = 0;
        for (const name of ['gradInput', 'gradWeight'] as const) {
          const shape = name === 'gradInput' ? workload.inputShape : workload.stages[0].weightShape;
          const comparison = compareTensors(
            { shape, data: got[name] },
            { shape, data: reference[name] },
            CHECK_TOLERANCE,
          );
          if (!comparison.ok) throw new Error(`${name} differs from convkit-core's: ${comparison.message}`);
          error = Math.max(error, comparison.maxAbsError);
        }
        ready.push({ engine, prepared, times: [], error });
      } catch (error) {
        rows.push({ workload: workload.id, engine: engine.name, status: 'skipped', reason: skipReason(error) });
        log(`${workload.id} ${engine.name}: skipped: ${skipReason(error)}`);
      }
    }
    // Interleaved rounds, as in the forward benchmark: drifts in machine load spread over every engine.
    for (let round = 0; round < maxRuns; round++) {
      let more = false;
      for (const entry of ready) {
        const spent = entry.times.reduce((total, time) => total + time, 0);
        if (entry.times.length >= minRuns && spent >= budgetMs) continue;
        await entry.prepared.activate?.();
        const start = performance.now();
        entry.prepared.run();
        entry.times.push(performance.now() - start);
        more = true;
      }
      if (!more) break;
    }
    const coreMs = median(ready.find((entry) => entry.engine === convkitCore)?.times ?? [Number.NaN]);
    for (const entry of ready) {
      const medianMs = median(entry.times);
      rows.push({
        workload: workload.id,
        engine: entry.engine.name,
        status: 'ok',
        medianMs: Number(medianMs.toFixed(3)),
        runs: entry.times.length,
        ratioToCore: Number((medianMs / coreMs).toFixed(3)),
        maxAbsError: entry.error,
      });
      log(`${workload.id} ${entry.engine.name}: ${medianMs.toFixed(1)} ms (${entry.times.length} runs)`);
      entry.prepared.release();
    }
  }
  return {
    kind: 'backward',
    workloads: workloads.map((w) => ({ id: w.id, name: w.name })),
    engines: engineNotes,
    machine,
    rows,
    durationS: Math.round((Date.now() - started) / 1000),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: { tiny: { type: 'boolean', default: false }, out: { type: 'string' } },
  });
  const out =
    values.out ??
    fileURLToPath(
      new URL(values.tiny ? '../results/backward-smoke.json' : '../results/backward.json', import.meta.url),
    );
  const results = await runBackwardBench({ tiny: values.tiny, log: (line) => console.log(line) });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 1)}\n`);
  console.log(`wrote ${out} in ${results.durationS} s`);
  process.exit(0);
}
