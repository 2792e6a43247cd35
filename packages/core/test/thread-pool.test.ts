import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as core from '@convkit/core';
import { ConvError, conv, convTranspose, createThreadPool, type Tensor, type ThreadPool } from '@convkit/core';
import { FUZZ_OPS, fuzzCase, mulberry32, randomTensor, runFuzzCase, type FuzzCase } from '@convkit/testkit';
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
            expectIdentical(
              pool.run(() => runFuzz(entry)),
              runFuzz(entry),
              entry.description,
            );
          }
        });
      }

      // What each workload exercises, its op, input and weight shapes, and options (`bias`: a random bias of that length).
      const workloads: [
        string,
        typeof conv | typeof convTranspose,
        number[],
        number[],
        { bias?: number; [option: string]: unknown },
      ][] = [
        [
          'batch 5, groups 3, rows > MC, a bias',
          conv,
          [5, 12, 19, 23],
          [300, 4, 3, 3],
          { padding: 1, groups: 3, bias: 300 },
        ],
        ['depth > KC, strided and dilated', conv, [1, 40, 17, 29], [20, 40, 3, 3], { dilation: 2, stride: [1, 2] }],
        ['pointwise, positions not a multiple of the panel width', conv, [2, 30, 13, 11], [90, 30, 1, 1], {}],
        ['pointwise, grouped, batched, a bias', conv, [3, 12, 10, 9], [18, 4, 1, 1], { groups: 3, bias: 18 }],
        [
          'strided (im2col B), batched, m > IN_PLACE_MAX_ROWS, a bias',
          conv,
          [2, 6, 21, 17],
          [70, 6, 3, 3],
          { stride: 2, padding: 1, bias: 70 },
        ],
        [
          'asymmetric zero padding, as windows of the padded input',
          conv,
          [1, 3, 40, 41],
          [5, 3, 5, 5],
          {
            padding: [
              [1, 3],
              [2, 0],
            ],
          },
        ],
        [
          'transposed, grouped, col2im over several blocks, a bias',
          convTranspose,
          [2, 16, 9, 9],
          [16, 12, 4, 4],
          { stride: 2, padding: 1, groups: 2, bias: 24 },
        ],
      ];
      workloads.forEach(([label, op, inputShape, weightShape, { bias, ...options }], index) => {
        it(`gives bitwise the one-thread output: ${label}`, () => {
          const input = random(3 * index + 1, inputShape);
          const weight = random(3 * index + 2, weightShape);
          const withBias = typeof bias === 'number' ? { ...options, bias: random(3 * index + 3, [bias]) } : options;
          // conv and convTranspose take the same operands; each workload's options suit its own op.
          const run = op as (input: Tensor, weight: Tensor, options: object) => Tensor;
          expectIdentical(
            pool.run(() => run(input, weight, withBias)),
            run(input, weight, withBias),
            label,
          );
        });
      });
    });
  }
}

describe('createThreadPool', () => {
  it('starts one thread per logical CPU by default, and keeps ops under minMultiplyAdds on the calling thread', async () => {
    const pool = await createThreadPool();
    try {
      expect(pool.threads).toBe(availableParallelism());
      const input = random(13, [1, 8, 64, 64]);
      const weight = random(14, [16, 8, 3, 3]);
      // 16 * 8 * 9 * 64 * 64 = 4.7M multiply-adds: above the default threshold, split over the threads.
      expectIdentical(
        pool.run(() => conv(input, weight, { padding: 1 })),
        conv(input, weight, { padding: 1 }),
        'split',
      );
      const small = random(15, [1, 2, 5, 5]);
      const smallWeight = random(16, [2, 2, 3, 3]);
      expectIdentical(
        pool.run(() => conv(small, smallWeight)),
        conv(small, smallWeight),
        'kept on the caller',
      );
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
