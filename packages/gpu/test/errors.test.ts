import { describe, expect, it } from 'vitest';
import { ConvError, sizeOf, tensor, type Tensor } from '@convkit/core';
import { createGpu, GpuDisposedError } from '@convkit/gpu';
import { ERROR_CASES, runOp } from '@convkit/testkit';
import { NODE_MODES, describeGpu } from './node-modes.js';

const zeros = (shape: number[]): Tensor => tensor(new Float32Array(sizeOf(shape)), shape);

// The shared error cases (data in @convkit/testkit, full messages; core runs the same list). A case
// marked for core only names an op gpu does not offer (the matrix view, im2col, tensor, ...).
const gpuCases = ERROR_CASES.filter((entry) => entry.backends === 'all');

describe.each(NODE_MODES)('the shared error cases on %s', (mode) => {
  const gpu = describeGpu(mode);

  it.for(gpuCases.map((entry) => [entry.name, entry] as const))(
    "%s: rejects with core's ConvError, never a synchronous throw",
    async ([, entry]) => {
      let pending: unknown;
      expect(() => {
        pending = runOp(gpu(), entry.op, entry.operands, entry.options);
      }).not.toThrow();
      expect(pending).toBeInstanceOf(Promise);
      const rejection = await (pending as Promise<unknown>).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(rejection).toBeInstanceOf(ConvError);
      expect((rejection as ConvError).message).toBe(entry.message);
      expect((rejection as ConvError).op).toBe(entry.errorOp ?? entry.op);
      if (entry.arg !== undefined) expect((rejection as ConvError).arg).toBe(entry.arg);
    },
  );
});

describe('errors', () => {
  const gpu = describeGpu('cpu');

  it('a rejected call leaves the instance usable', async () => {
    await expect(gpu().conv(zeros([1, 1, 2]), zeros([1, 1, 5]))).rejects.toThrow(
      'conv: the output would be empty: spatial dim 0 has size -2 (input 2 + padding 0 + 0 is smaller than the dilated kernel 5); input [1,1,2], weight [1,1,5]',
    );
    const output = await gpu().conv(tensor([1, 2, 3], [1, 1, 3]), tensor([1, 1], [1, 1, 2]));
    expect(Array.from(output.data)).toEqual([3, 5]);
  });

  it('a call after dispose rejects with a GpuDisposedError naming the mode', async () => {
    const disposable = await createGpu({ mode: 'cpu' });
    await disposable.dispose();
    const message = "@convkit/gpu: this 'cpu' instance was disposed; create a new one with createGpu";
    const call = disposable.conv(zeros([1, 1, 3]), zeros([1, 1, 2]));
    await expect(call).rejects.toThrow(message);
    await expect(call).rejects.toBeInstanceOf(GpuDisposedError);
    await expect(disposable.upload(zeros([1]))).rejects.toThrow(message);
    await expect(disposable.dispose()).resolves.toBeUndefined();
  });
});
