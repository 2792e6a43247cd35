import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as core from '@convkit/core';
import { ConvError, conv, convTranspose, createThreadPool, type Tensor, type ThreadPool } from '@convkit/core';
import { FUZZ_OPS, fuzzCase, mulberry32, randomTensor, runFuzzCase, type FuzzCase } from '@convkit/testkit';
import { chunksPerGemm } from '../src/algorithms/thread-pool.js';
import { type CpuKernelPath, forceCpuKernelPath } from '../src/algorithms/wasm-kernels.js';

/** The ops on a pool against the same ops on one thread: bitwise the same floats, on both SIMD paths. */

/** A fuzz case on core's op of the table. */
function runFuzz(entry: FuzzCase): Tensor {
  return runFuzzCase<Tensor>(core, entry);
}

function expectIdentical(got: Tensor, want: Tensor, label: string): void {
  expect(got.shape, label).toEqual(want.shape);
  const differing = got.data.findIndex((value, index) => !Object.is(value, want.data[index]));
  expect(differing, `${label}: first differing element`).toBe(-1);
}

const random = (seed: number, shape: readonly number[]) => randomTensor(mulberry32(seed), shape);

/** `run` with its ops on the pool against `run` on the calling thread. */
function expectSameOnPool(pool: ThreadPool, run: () => Tensor, label: string): void {
  expectIdentical(pool.run(run), run(), label);
}

/** Shapes that cross the GEMM's blocking limits (MC rows, KC depth, the panel width) and col2im's blocks. */
const WORKLOADS: { label: string; run: () => Tensor }[] = [
  {
    label: 'batch 5, groups 3, rows > MC',
    run: () =>
      conv(random(1, [5, 12, 19, 23]), random(2, [300, 4, 3, 3]), { padding: 1, groups: 3, bias: random(3, [300]) }),
  },
  {
    label: 'depth > KC, strided and dilated',
    run: () => conv(random(4, [1, 40, 17, 29]), random(5, [20, 40, 3, 3]), { dilation: 2, stride: [1, 2] }),
  },
  {
    label: 'pointwise, positions not a multiple of the panel width',
    run: () => conv(random(6, [2, 30, 13, 11]), random(7, [90, 30, 1, 1])),
  },
  // The threads store the output and add the bias themselves: grouped GEMMs and the im2col B path too.
  {
    label: 'pointwise, grouped, batched, a bias',
    run: () => conv(random(15, [3, 12, 10, 9]), random(16, [18, 4, 1, 1]), { groups: 3, bias: random(17, [18]) }),
  },
  {
    label: 'strided (im2col B), batched, m > IN_PLACE_MAX_ROWS, a bias',
    run: () =>
      conv(random(18, [2, 6, 21, 17]), random(19, [70, 6, 3, 3]), { stride: 2, padding: 1, bias: random(20, [70]) }),
  },
  {
    label: 'asymmetric zero padding, read as windows of the padded input',
    run: () =>
      conv(random(11, [1, 3, 40, 41]), random(12, [5, 3, 5, 5]), {
        padding: [
          [1, 3],
          [2, 0],
        ],
      }),
  },
  {
    label: 'transposed, grouped, col2im over several blocks',
    run: () =>
      convTranspose(random(8, [2, 16, 9, 9]), random(9, [16, 12, 4, 4]), {
        stride: 2,
        padding: 1,
        groups: 2,
        bias: random(10, [24]),
      }),
  },
];

for (const path of ['relaxed-simd', 'simd128'] as CpuKernelPath[]) {
  for (const threads of [2, 3]) {
    describe(`a ${threads}-thread pool on the ${path} kernels`, () => {
      let pool: ThreadPool;
      beforeAll(async () => {
        forceCpuKernelPath(path);
        // Every op goes to the threads, however small (the fuzz cases are tiny).
        pool = await createThreadPool({ threads, minMultiplyAdds: 0 });
      });
      afterAll(async () => {
        await pool.close();
        forceCpuKernelPath('auto');
      });

      it('runs the kernels it was created on', () => {
        expect(pool.kernelPath).toBe(path);
        expect(pool.threads).toBe(threads);
      });

      for (const op of FUZZ_OPS) {
        it(`gives bitwise the one-thread output on 40 random valid ${op} cases`, () => {
          for (let seed = 1; seed <= 40; seed++) {
            const entry = fuzzCase(op, seed * 104729 + op.length);
            expectSameOnPool(pool, () => runFuzz(entry), entry.description);
          }
        });
      }

      it('gives bitwise the one-thread output on batched, grouped, blocked and transposed workloads', () => {
        for (const { label, run } of WORKLOADS) expectSameOnPool(pool, run, label);
      });
    });
  }
}

describe('chunksPerGemm', () => {
  it('cuts a GEMM into about 16 units per thread of at least 16 panels, never fewer than the 4 per thread of one panel, and leaves a batch of 8 GEMMs per thread whole', () => {
    // W1 on 2 threads: 56 rows of 58 padded columns, 406 panels: 24 units of 16-17 panels (25 fit, 24 share evenly).
    expect(chunksPerGemm(1, 406, 2)).toBe(24);
    // W6: 33 rows of 37 padded columns, 153 panels: 9 fit, 8 share evenly.
    expect(chunksPerGemm(1, 153, 2)).toBe(8);
    // W1b16: 16 GEMMs, 8 whole ones per thread; 4 GEMMs: 2 per thread, so 4 chunks each.
    expect(chunksPerGemm(16, 406, 2)).toBe(1);
    expect(chunksPerGemm(4, 406, 2)).toBe(8);
    // 137 panels: 8 chunks, as many as 16-panel units allow and as the 4 per thread.
    expect(chunksPerGemm(1, 137, 2)).toBe(8);
    // 7 panels: too narrow for 16-panel units, still 7 one-panel ones.
    expect(chunksPerGemm(1, 7, 2)).toBe(7);
    // A batch over the task table's 4096 units: one unit per GEMM (the caller then stays on one thread).
    expect(chunksPerGemm(5000, 406, 2)).toBe(1);
    // 1000 GEMMs on 64 threads: 2 chunks would want 2000 units, not a multiple of 64: one each.
    expect(chunksPerGemm(1000, 406, 64)).toBe(1);
    // 3 threads: 48 units of W1 (a multiple of 3), 25 fit: 24.
    expect(chunksPerGemm(1, 406, 3)).toBe(24);
  });
});

describe('createThreadPool', () => {
  it('starts one thread per logical CPU by default, and keeps ops under minMultiplyAdds on the calling thread', async () => {
    const pool = await createThreadPool();
    try {
      expect(pool.threads).toBe(availableParallelism());
      const input = random(13, [1, 8, 64, 64]);
      const weight = random(14, [16, 8, 3, 3]);
      // 16 * 8 * 9 * 64 * 64 = 4.7M multiply-adds: above the default threshold, split over the threads.
      expectSameOnPool(pool, () => conv(input, weight, { padding: 1 }), 'split');
      const small = random(15, [1, 2, 5, 5]);
      const smallWeight = random(16, [2, 2, 3, 3]);
      expectSameOnPool(pool, () => conv(small, smallWeight), 'kept on the caller');
    } finally {
      await pool.close();
      await pool.close();
    }
  });

  it('refuses a thread count that is not a positive integer', async () => {
    await expect(createThreadPool({ threads: 0 })).rejects.toThrow(
      new ConvError('createThreadPool', 'threads', 'threads must be a positive integer, got 0'),
    );
  });

  it('fails with a ConvError, not a hang, where SharedArrayBuffer is unavailable', async () => {
    vi.stubGlobal('SharedArrayBuffer', undefined);
    try {
      await expect(createThreadPool({ threads: 2 })).rejects.toThrow(
        'createThreadPool: SharedArrayBuffer is unavailable (a browser page needs cross-origin isolation: COOP same-origin and COEP require-corp), so a thread pool cannot start; call the ops without a pool',
      );
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('refuses to run once closed', async () => {
    const pool = await createThreadPool({ threads: 2 });
    await pool.close();
    expect(() => pool.run(() => 1)).toThrow('ThreadPool.run: the thread pool is closed');
  });

  it('lets the process exit after close(), and without it', () => {
    const index = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    for (const close of [true, false]) {
      const script = `
        const core = await import(${JSON.stringify(index)});
        const pool = await core.createThreadPool({ threads: 2 });
        const input = core.tensor(new Float32Array(2 * 8 * 8).fill(1), [1, 2, 8, 8]);
        const weight = core.tensor(new Float32Array(3 * 2 * 9).fill(1), [3, 2, 3, 3]);
        // Twice: a worker that died in the first call (a loader's helper missing from its source) hangs the second.
        pool.run(() => core.conv2d(input, weight, { padding: 1 }));
        const out = pool.run(() => core.conv2d(input, weight, { padding: 1 }));
        ${close ? 'await pool.close();' : ''}
        console.log(out.data[9]);
      `;
      const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect({ close, status: child.status, stdout: child.stdout.trim(), stderr: child.stderr }).toEqual({
        close,
        status: 0,
        stdout: '18',
        stderr: '',
      });
    }
  });
});
