import { ConvError } from '../errors.js';
import {
  IN_PLACE_MAX_ROWS,
  KC,
  MC,
  MR,
  NC,
  NR,
  PREPACK_A_FLOATS,
  type GemmBlock,
  type GemmOutput,
  type ScratchRegion,
  type StridedMatrix,
} from './gemm-blocked.js';
import {
  awaitAbove,
  claimUnits,
  GEMM_TABLE,
  packPanels,
  type PoolControlLayout,
  runGemmUnits,
  runPackUnit,
  type UnitClaimer,
} from './gemm-units.js';
import {
  type CpuKernelPath,
  cpuKernelPath,
  instantiateShared,
  kernelBuild,
  kernelModuleBytes,
  planarArguments,
  type PlanarGeometry,
  type WasmKernels,
} from './wasm-kernels.js';
import { STAGE_FLOATS, zeroFloats } from './wasm-packing.js';

/**
 * Options of {@link createThreadPool}.
 *
 * @example
 * ```ts
 * import type { ThreadPoolOptions } from '@convkit/core';
 * const twoThreads: ThreadPoolOptions = { threads: 2, minMultiplyAdds: 0 };
 * twoThreads.threads; // 2
 * ```
 */
export interface ThreadPoolOptions {
  /** Threads that compute, the calling one included (it takes a share too). Default: every logical CPU. */
  threads?: number;
  /**
   * Ops with fewer multiply-adds than this stay on the calling thread, where waking a worker
   * would cost more than it saves. Default 2^20 (about a 1 ms op on one thread).
   */
  minMultiplyAdds?: number;
}

/**
 * A pool of worker threads (worker_threads in Node, Web Workers in a cross-origin-isolated page)
 * sharing one WebAssembly memory. Ops called inside {@link ThreadPool.run} split their GEMMs
 * (batches, channel groups and column tiles) over the pool; each output is the same float it is
 * on one thread.
 *
 * @example
 * ```ts
 * import { conv2d, createThreadPool, tensor } from '@convkit/core';
 * const pool = await createThreadPool({ threads: 2 });
 * const input = tensor([1, 2, 3, 4], [1, 1, 2, 2]);
 * const weight = tensor([1, 1, 1, 1], [1, 1, 2, 2]);
 * pool.run(() => conv2d(input, weight)).data; // Float32Array [10]
 * await pool.close();
 * ```
 */
export interface ThreadPool {
  /** Threads that compute, the calling one included. */
  readonly threads: number;
  /** The kernels the pool's threads run (the engine's best path when the pool was created). */
  readonly kernelPath: Exclude<CpuKernelPath, 'scalar'>;
  /** Runs `compute` (synchronous ops of this package) with their GEMMs split over the pool, and returns its result. */
  run<T>(compute: () => T): T;
  /** Stops the workers; the pool cannot run afterwards. Resolves when every worker has exited. */
  close(): Promise<void>;
}

/** A batch of same-shaped GEMMs `C_i = A_{group(i)} @ B_i` that a pool can split: one per (sample, group). */
export interface GemmBatch {
  readonly count: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** Distinct A matrices (the groups) and which one GEMM i multiplies. */
  readonly aCount: number;
  aOf(index: number): number;
  /**
   * The A matrices read in place from one array: A number a is `a.data` from `a.offset + a *
   * a.stride` with A's row and inner strides. The pool copies `a.data` into its shared memory and
   * its threads pack the As there.
   */
  readonly a: StridedMatrix & { readonly stride: number };
  /**
   * Floats of the shared memory at `offset` that the GEMMs' inputs are staged in; GEMM i's starts
   * `stageOffset(i)` into them. `stage(…, i)` fills GEMM i's (with `kernels`); it is called for
   * i = 0, 1, … in order while other threads already compute the GEMMs staged before, so it writes
   * nothing before GEMM i's part (scratch past it is fine: later GEMMs' stages overwrite it).
   */
  readonly stageFloats: number;
  stage(kernels: WasmKernels, memory: Float32Array, offset: number, index: number): void;
  stageOffset(index: number): number;
  /** B is the im2col of the staged planes, or read in place (see GemmProblem.stagedB). */
  readonly b: { readonly planar: PlanarGeometry } | { readonly rowOffsets: Int32Array };
  /** Receives GEMM i's finished C (see GemmProblem.storeC). */
  storeC(index: number, source: ScratchRegion, block: GemmBlock): void;
  /**
   * Set where storeC only adds a bias and copies (see GemmProblem.output), for GEMM 0: GEMM i's
   * rows follow at `offset + i * m * plane`, its bias at `biasOffset + aOf(i) * m`. Each thread
   * then stores the blocks it computes, and storeC is not called.
   */
  readonly output?: GemmOutput;
}

/**
 * Control slots of the pool (an Int32Array on a SharedArrayBuffer), then the task table, then one
 * counter per GEMM of its finished units (`done`). Units are claimed one at a time (`next`), so a
 * thread the OS schedules late just finds less to do: no call waits for a worker to wake. `open`
 * and `active` keep a late worker from reading a table the caller is rewriting: the caller closes
 * `open` and waits for `active` to drain first. Each call moves `generation` twice: once to rouse
 * the workers before it packs and stages (waking takes a while; they spin until the call opens),
 * and once when it opens, for a worker that slept through the first. `staged` counts the GEMMs
 * whose inputs are staged: a unit of a later GEMM waits for it (`chunks` units per GEMM).
 */
const CONTROL_INTS = 11;
/** Units the task table holds: more (huge batches) run on one thread. */
const MAX_UNITS = 4096;
const CONTROL: PoolControlLayout = {
  generation: 0,
  next: 1,
  quit: 2,
  failed: 3,
  units: 4,
  open: 5,
  active: 6,
  staged: 7,
  chunks: 8,
  packUnits: 9,
  packed: 10,
  // After the task table: one counter per GEMM, a batch having at most MAX_UNITS.
  done: CONTROL_INTS + GEMM_TABLE.units + MAX_UNITS * GEMM_TABLE.unitInts,
};
/** See {@link ThreadPoolOptions.minMultiplyAdds}. */
const MIN_THREADED_MACS = 1 << 20;
/** Floats of C a batch may hold in the shared memory at once. */
const MAX_C_FLOATS = STAGE_FLOATS;
/**
 * How long a thread spins on a control slot before it sleeps in Atomics.wait (ms): waking a
 * sleeping thread takes the OS tens of microseconds to milliseconds (a VM's idle vCPU is halted),
 * a call's last unit or its staging less than this. A worker that finished a call spins as long
 * for the next one, so back-to-back calls (the layers of a network) find it awake.
 */
const SPIN_MS = 1;

let activePool: PoolState | null = null;

interface PoolState {
  readonly threads: number;
  readonly minMultiplyAdds: number;
  readonly path: Exclude<CpuKernelPath, 'scalar'>;
  readonly kernels: WasmKernels;
  readonly control: Int32Array;
  readonly table: Int32Array;
  readonly canBlock: boolean;
  /** The calling thread's (thread 0's) claimer. */
  readonly claimer: UnitClaimer;
}

/**
 * Spins until `control[slot]` is no longer `value` or `ms` have passed; returns the slot's value.
 * Self-contained: its text is part of the workers' source.
 */
function spinWhile(control: Int32Array, slot: number, value: number, ms: number): number {
  const end = performance.now() + ms;
  let current = Atomics.load(control, slot);
  for (let spins = 0; current === value; spins++) {
    if ((spins & 1023) === 1023 && performance.now() > end) break;
    current = Atomics.load(control, slot);
  }
  return current;
}

/**
 * The worker's program: instantiate the shared kernels, then run the units of each new
 * generation of the task table until told to quit. Its text is built from {@link runGemmUnits}.
 */
function workerSource(): string {
  const c = CONTROL;
  return `'use strict';
const packPanels = ${packPanels.toString()};
const runPackUnit = ${runPackUnit.toString()};
const runGemmUnits = ${runGemmUnits.toString()};
const awaitAbove = ${awaitAbove.toString()};
const claimUnits = ${claimUnits.toString()};
const spinWhile = ${spinWhile.toString()};
const layout = ${JSON.stringify(GEMM_TABLE)};
const slots = ${JSON.stringify(CONTROL)};
// Node (an eval worker is CommonJS, unless a loader such as tsx makes it a module) or a Web Worker.
const node = typeof process === 'object' && process.versions && process.versions.node;
const port = node
  ? (typeof require === 'function' ? require('node:worker_threads') : process.getBuiltinModule('node:worker_threads')).parentPort
  : self;
function start(message) {
  const { module, memory, control, thread } = message;
  const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const table = new Int32Array(control.buffer, ${CONTROL_INTS * 4});
  const claimer = { kernels, memory, control, table, layout, slots, thread, canBlock: true, spinMs: ${SPIN_MS}, catchErrors: true };
  port.postMessage('ready');
  let seen = 0;
  for (;;) {
    if (spinWhile(control, ${c.generation}, seen, ${SPIN_MS}) === seen) Atomics.wait(control, ${c.generation}, seen);
    if (Atomics.load(control, ${c.quit}) === 1) break;
    seen = Atomics.load(control, ${c.generation});
    // Roused while the caller copies and stages: spin until it opens the call (or moves on).
    const end = performance.now() + ${SPIN_MS};
    while (Atomics.load(control, ${c.open}) !== 1 && Atomics.load(control, ${c.generation}) === seen && performance.now() < end);
    Atomics.add(control, ${c.active}, 1);
    if (Atomics.load(control, ${c.open}) === 1 && Atomics.load(control, ${c.generation}) === seen) claimUnits(claimer);
    Atomics.sub(control, ${c.active}, 1);
    Atomics.notify(control, ${c.active});
  }
  if (typeof close === 'function') close();
}
if (port.on) port.once('message', start);
else port.onmessage = (event) => start(event.data);
`;
}

interface PoolWorker {
  post(message: unknown): void;
  ready(): Promise<void>;
  exited(): Promise<void>;
  terminate(): void;
}

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

/**
 * A Node built-in, loaded without a literal import so that bundlers for the browser do not try to
 * resolve it: process.getBuiltinModule (Node 20.16+), else a dynamic import of a computed name.
 */
async function nodeBuiltin<T>(name: string): Promise<T> {
  const node = process as { getBuiltinModule?: (id: string) => unknown };
  return (node.getBuiltinModule ? node.getBuiltinModule(name) : await import(/* @vite-ignore */ name)) as T;
}

async function spawnWorker(source: string): Promise<PoolWorker> {
  if (isNode) {
    const { Worker } = await nodeBuiltin<typeof import('node:worker_threads')>('node:worker_threads');
    const worker = new Worker(source, { eval: true });
    // A pool left open never keeps the process alive; close() holds it until the workers are gone.
    worker.unref();
    const exit = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    return {
      post: (message) => worker.postMessage(message),
      ready: () =>
        new Promise((resolve, reject) => {
          worker.once('message', () => resolve());
          worker.once('error', reject);
        }),
      exited: () => {
        worker.ref();
        return exit;
      },
      terminate: () => void worker.terminate(),
    };
  }
  // Web Workers: run by the browser CPU benchmark (bench/test/browser-smoke.test.ts), never by
  // core's Node tests, so coverage skips them.
  /* v8 ignore start */
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const worker = new Worker(url);
  URL.revokeObjectURL(url);
  return {
    post: (message) => worker.postMessage(message),
    ready: () =>
      new Promise((resolve, reject) => {
        worker.onmessage = () => resolve();
        worker.onerror = (event) => reject(new Error(event.message));
      }),
    exited: async () => {},
    terminate: () => worker.terminate(),
  };
  /* v8 ignore stop */
}

async function logicalCpus(): Promise<number> {
  if (isNode) {
    const os = await nodeBuiltin<typeof import('node:os')>('node:os');
    return os.availableParallelism?.() ?? os.cpus().length;
  }
  return typeof navigator === 'object' ? navigator.hardwareConcurrency || 1 : 1;
}

/**
 * Starts a pool of `threads - 1` workers (the calling thread computes too). Opt-in: ops outside
 * {@link ThreadPool.run} stay on one thread. Needs SharedArrayBuffer (in a browser: a
 * cross-origin-isolated page) and WebAssembly SIMD.
 *
 * @throws {ConvError} where SharedArrayBuffer or WebAssembly SIMD is unavailable, or `threads` is not a positive integer.
 * @example
 * ```ts
 * import { conv1d, createThreadPool, tensor } from '@convkit/core';
 * const pool = await createThreadPool({ threads: 2 });
 * pool.threads; // 2
 * pool.run(() => conv1d(tensor([1, 2, 3], [1, 1, 3]), tensor([1, 1], [1, 1, 2]))).data; // Float32Array [3, 5]
 * await pool.close();
 * ```
 */
export async function createThreadPool(options: ThreadPoolOptions = {}): Promise<ThreadPool> {
  const op = 'createThreadPool';
  const threads = options.threads ?? (await logicalCpus());
  if (!Number.isInteger(threads) || threads < 1) {
    throw new ConvError(op, 'threads', `threads must be a positive integer, got ${String(threads)}`);
  }
  const isolated = typeof crossOriginIsolated === 'boolean' ? crossOriginIsolated : true;
  if (typeof SharedArrayBuffer !== 'function' || !isolated) {
    throw new ConvError(
      op,
      'threads',
      'SharedArrayBuffer is unavailable (a browser page needs cross-origin isolation: COOP same-origin and COEP require-corp), so a thread pool cannot start; call the ops without a pool',
    );
  }
  const path = cpuKernelPath();
  const bytes = path === 'scalar' ? null : kernelModuleBytes(kernelBuild(path, true));
  if (path === 'scalar' || !bytes) {
    throw new ConvError(op, 'threads', 'this engine has no WebAssembly SIMD, which the thread pool runs on');
  }
  const module = new WebAssembly.Module(bytes);
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 16384, shared: true });
  const control = new Int32Array(new SharedArrayBuffer((CONTROL.done + MAX_UNITS) * 4));
  const source = workerSource();
  const workers = await Promise.all(Array.from({ length: threads - 1 }, () => spawnWorker(source)));
  await Promise.all(
    workers.map((worker, index) => {
      const ready = worker.ready();
      worker.post({ module, memory, control, thread: index + 1 });
      return ready;
    }),
  );
  const kernels = instantiateShared(module, memory);
  const table = new Int32Array(control.buffer, CONTROL_INTS * 4);
  const canBlock = canBlockHere(control);
  const state: PoolState = {
    threads,
    minMultiplyAdds: options.minMultiplyAdds ?? MIN_THREADED_MACS,
    path,
    kernels,
    control,
    table,
    canBlock,
    claimer: {
      kernels: kernels.exports,
      memory,
      control,
      table,
      layout: GEMM_TABLE,
      slots: CONTROL,
      thread: 0,
      canBlock,
      spinMs: SPIN_MS,
      catchErrors: false,
    },
  };
  let closed = false;
  return {
    threads,
    kernelPath: path,
    run<T>(compute: () => T): T {
      if (closed) throw new ConvError('ThreadPool.run', 'pool', 'the thread pool is closed');
      const previous = activePool;
      activePool = state;
      try {
        return compute();
      } finally {
        activePool = previous;
      }
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      Atomics.store(control, CONTROL.quit, 1);
      Atomics.add(control, CONTROL.generation, 1);
      Atomics.notify(control, CONTROL.generation);
      await Promise.all(workers.map((worker) => worker.exited()));
      for (const worker of workers) worker.terminate();
    },
  };
}

/**
 * Waits until `slot` satisfies `ready`: spinning for up to SPIN_MS per change of its value, then
 * in Atomics.wait where this thread may block (else spinning on).
 */
function waitUntil(pool: PoolState, slot: number, ready: (value: number) => boolean): void {
  for (let value = Atomics.load(pool.control, slot); !ready(value); value = Atomics.load(pool.control, slot)) {
    if (spinWhile(pool.control, slot, value, SPIN_MS) === value && pool.canBlock)
      Atomics.wait(pool.control, slot, value);
  }
}

/** Atomics.wait throws on a browser's main thread; there the caller spins on Atomics.load instead. */
function canBlockHere(control: Int32Array): boolean {
  try {
    Atomics.wait(control, CONTROL.quit, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Units each thread should get: many enough that the unit a thread finishes last is a small part
 * of the call (with 4, a 4.7 ms W1 ended up to 0.6 ms on one thread while the other waited).
 */
const UNITS_PER_THREAD = 16;
/**
 * The narrowest unit in B panels: NC columns, one-thread's column block, so splitting streams A no
 * more often than one thread does (8-panel units made W6, whose A is 2.4 MB, ~2% slower).
 */
const MIN_UNIT_PANELS = NC / NR;
/** Pack units per thread (A's panels split evenly): the workers pack while the caller stages. */
const PACK_UNITS_PER_THREAD = 2;

/**
 * Column chunks per GEMM of a batch of `count` GEMMs of `panels` B panels each: about
 * UNITS_PER_THREAD units per thread where each stays MIN_UNIT_PANELS wide, the batch fits the task
 * table and the threads get as many units each, and never fewer than four per thread of at least a panel each, so a narrow GEMM
 * still splits.
 */
export function chunksPerGemm(count: number, panels: number, threads: number): number {
  const coarse = Math.min(Math.ceil((4 * threads) / count), panels);
  // A batch of 8 whole GEMMs per thread already balances: halving W1b16's made it 1-3% slower.
  if (count * coarse >= 8 * threads) return coarse;
  let fine = Math.min(
    Math.ceil((UNITS_PER_THREAD * threads) / count),
    Math.floor(panels / MIN_UNIT_PANELS),
    Math.floor(MAX_UNITS / count),
  );
  // Units of a similar size that the threads share evenly: 9 units of W6 took 8% longer than 8.
  while (fine > coarse && (count * fine) % threads !== 0) fine--;
  return Math.max(1, coarse, fine);
}

function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}

/**
 * Runs `batch` on the active pool and returns true, or returns false (nothing done) where there is
 * no pool, the pool runs other kernels than the current path, or the batch does not fit its
 * shared memory and task table; the caller then runs it on one thread.
 */
export function runOnActivePool(batch: GemmBatch): boolean {
  const pool = activePool;
  if (!pool || pool.path !== cpuKernelPath() || batch.m === 0 || batch.n === 0 || batch.count === 0) return false;
  const { count, m, n, k, threads } = { ...batch, threads: pool.threads };
  const mPadded = roundUp(m, MR);
  const ldc = roundUp(n, NR);
  const aFloats = mPadded * k;
  const { output } = batch;
  // Column chunks per GEMM: enough units that every thread gets about UNITS_PER_THREAD, so the
  // last unit a thread finishes leaves little of the call to the other (balance), each at least
  // MIN_UNIT_PANELS panels wide and cut at panel boundaries.
  const chunks = chunksPerGemm(count, ldc / NR, threads);
  const units = count * chunks;
  // Whole C matrices (for storeC), or the output's rows (stored by the threads).
  const cFloats = output ? count * m * output.plane : count * mPadded * ldc;
  if (
    count * m * n * k < pool.minMultiplyAdds ||
    aFloats * batch.aCount > PREPACK_A_FLOATS ||
    batch.stageFloats > STAGE_FLOATS ||
    cFloats > MAX_C_FLOATS ||
    units > MAX_UNITS
  ) {
    return false;
  }
  // Shared memory (floats): packed As, staged input (+ NR for in-place B's last panel), Cs or the
  // output, B scratch per thread, then (storing the output) C block scratch per thread and the biases.
  const aBase = 0;
  const stageBase = roundUp(aBase + aFloats * batch.aCount, 16);
  const cBase = roundUp(stageBase + batch.stageFloats + NR, 16);
  const bScratchBase = cBase + cFloats;
  const cScratchBase = bScratchBase + threads * KC * NC;
  const biasBase = cScratchBase + (output ? threads * MC * NC : 0);
  // Then the B row tables (see MicrokernelCall.bRows): packed panels' and an in-place B's; then A as given.
  const packedRows = biasBase + (output ? batch.aCount * m : 0);
  const stagedRows = packedRows + KC;
  const aSource = roundUp(stagedRows + k, 4);
  const { table, control } = pool;
  // Close the gate and let any worker still in the previous call leave before the table changes,
  // then rouse the workers: they wake while this thread copies A in and stages the input.
  Atomics.store(control, CONTROL.open, 0);
  waitUntil(pool, CONTROL.active, (active) => active === 0);
  Atomics.add(control, CONTROL.generation, 1);
  Atomics.notify(control, CONTROL.generation);
  const memory = pool.kernels.reserve(aSource + batch.a.data.length);
  memory.set(batch.a.data, aSource);
  if (output?.bias) {
    memory.set(output.bias.subarray(output.biasOffset, output.biasOffset + batch.aCount * m), biasBase);
  } else if (output) zeroFloats(memory, biasBase, biasBase + batch.aCount * m);
  const ints = new Int32Array(memory.buffer, 0, aSource);
  for (let inner = 0; inner < KC; inner++) ints[packedRows + inner] = inner * NR;
  table.set([MR, NR, KC, MC, NC], GEMM_TABLE.blocking);
  table[GEMM_TABLE.m] = m;
  table[GEMM_TABLE.k] = k;
  table[GEMM_TABLE.bScratch] = bScratchBase;
  table[GEMM_TABLE.packedRows] = packedRows;
  table[GEMM_TABLE.inPlaceMaxRows] = IN_PLACE_MAX_ROWS;
  table[GEMM_TABLE.cScratch] = output ? cScratchBase : -1;
  table[GEMM_TABLE.plane] = output ? output.plane : 0;
  table[GEMM_TABLE.lineIn] = output ? output.lineIn : 0;
  table[GEMM_TABLE.lineOut] = output ? output.lineOut : 0;
  if ('planar' in batch.b) {
    table[GEMM_TABLE.bMode] = 0;
    table.set(planarArguments(batch.b.planar), GEMM_TABLE.planar);
  } else {
    table[GEMM_TABLE.bMode] = 1;
    table[GEMM_TABLE.stagedRows] = stagedRows;
    ints.set(batch.b.rowOffsets, stagedRows);
  }
  // The As are packed by the threads too, a few pack units per thread, while this one stages.
  const aPanels = mPadded / MR;
  const packChunks = Math.min(aPanels, Math.ceil((PACK_UNITS_PER_THREAD * threads) / batch.aCount));
  const packUnits = batch.aCount * packChunks;
  table[GEMM_TABLE.packChunks] = packChunks;
  table[GEMM_TABLE.aPanels] = aPanels;
  table[GEMM_TABLE.aSource] = aSource + batch.a.offset;
  table[GEMM_TABLE.aSourceStride] = batch.a.stride;
  table[GEMM_TABLE.aRowStride] = batch.a.rowStride;
  table[GEMM_TABLE.aInnerStride] = batch.a.innerStride;
  table[GEMM_TABLE.aPacked] = aBase;
  table[GEMM_TABLE.aPackedFloats] = aFloats;
  const panels = ldc / NR;
  for (let index = 0; index < count; index++) {
    for (let chunk = 0; chunk < chunks; chunk++) {
      const at = GEMM_TABLE.units + (index * chunks + chunk) * GEMM_TABLE.unitInts;
      const { unit } = GEMM_TABLE;
      table[at + unit.a] = aBase + batch.aOf(index) * aFloats;
      table[at + unit.staged] = stageBase + batch.stageOffset(index);
      table[at + unit.c] = cBase + index * (output ? m * output.plane : mPadded * ldc);
      table[at + unit.ldc] = ldc;
      table[at + unit.bias] = biasBase + batch.aOf(index) * m;
      table[at + unit.colStart] = Math.min(n, Math.floor((chunk * panels) / chunks) * NR);
      table[at + unit.colEnd] = Math.min(n, Math.floor(((chunk + 1) * panels) / chunks) * NR);
    }
  }
  control[CONTROL.units] = packUnits + units;
  control[CONTROL.packUnits] = packUnits;
  control[CONTROL.chunks] = chunks;
  control.fill(0, CONTROL.done, CONTROL.done + count);
  Atomics.store(control, CONTROL.packed, 0);
  Atomics.store(control, CONTROL.staged, 0);
  Atomics.store(control, CONTROL.next, 0);
  Atomics.store(control, CONTROL.failed, 0);
  // Open the gate before the new generation: a worker that sees the generation change must find
  // it open, or it would skip the whole call (a worker that slept through the rousing wakes here).
  Atomics.store(control, CONTROL.open, 1);
  Atomics.add(control, CONTROL.generation, 1);
  Atomics.notify(control, CONTROL.generation);
  // Stage GEMM by GEMM: the workers pack A and start on the first GEMMs while this thread stages the rest.
  for (let index = 0; index < count; index++) {
    batch.stage(pool.kernels, memory, stageBase, index);
    Atomics.store(control, CONTROL.staged, index + 1);
    Atomics.notify(control, CONTROL.staged);
  }
  // The calling thread is thread 0 and claims units like the workers.
  claimUnits(pool.claimer);
  // Each GEMM's result is handed back as soon as its units are done, while the workers finish
  // theirs; C in blockedGemm's block order, so a storeC that accumulates (col2im) adds in the same
  // order as on one thread and every output is the same float.
  const gemmFloats = output ? m * output.plane : mPadded * ldc;
  for (let index = 0; index < count; index++) {
    waitUntil(pool, CONTROL.done + index, (done) => done === chunks);
    const c = cBase + index * gemmFloats;
    if (output) {
      output.data.set(memory.subarray(c, c + gemmFloats), output.offset + index * gemmFloats);
      continue;
    }
    for (let col0 = 0; col0 < n; col0 += NC) {
      for (let row0 = 0; row0 < m; row0 += MC) {
        const block = { row0, rows: Math.min(MC, m - row0), k0: 0, kc: k, col0, cols: Math.min(NC, n - col0) };
        batch.storeC(index, { memory, offset: c + row0 * ldc + col0, stride: ldc }, block);
      }
    }
  }
  if (control[CONTROL.failed] !== 0) throw new Error('convkit thread pool: a worker failed while computing a GEMM');
  return true;
}
