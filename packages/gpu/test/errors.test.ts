import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as core from '@convkit/core';
import { ConvError, sizeOf, tensor, type Tensor } from '@convkit/core';
import { createGpu, type Gpu } from '@convkit/gpu';

const zeros = (shape: number[]): Tensor => tensor(new Float32Array(sizeOf(shape)), shape);

type Call = (api: typeof core | Gpu) => unknown;

/** Invalid calls of every op; core throws, gpu must reject with the very same ConvError. */
const INVALID_CALLS: [string, Call][] = [
  ['conv with options that are not an object', (api) => api.conv(zeros([1, 1, 5]), zeros([1, 1, 3]), [] as never)],
  ['conv with a weight group mismatch', (api) => api.conv(zeros([1, 8, 5, 5]), zeros([4, 3, 3, 3]), { groups: 2 })],
  ['conv with a kernel larger than the padded input', (api) => api.conv(zeros([1, 1, 2]), zeros([1, 1, 5]))],
  ['conv with a bias of the wrong length', (api) => api.conv(zeros([1, 2, 5]), zeros([3, 2, 3]), { bias: zeros([2]) })],
  [
    'conv with data that does not match its shape',
    (api) => api.conv({ shape: [1, 1, 5], data: new Float32Array(4) }, zeros([1, 1, 3])),
  ],
  ['conv with stride 0', (api) => api.conv(zeros([1, 1, 5]), zeros([1, 1, 3]), { stride: 0 })],
  [
    "conv with 'same' padding and stride 2",
    (api) => api.conv(zeros([1, 1, 5]), zeros([1, 1, 3]), { stride: 2, padding: 'same' }),
  ],
  [
    'conv with an unknown padding mode',
    (api) => api.conv(zeros([1, 1, 5]), zeros([1, 1, 3]), { paddingMode: 'mirror' as never }),
  ],
  [
    'conv with an unknown algorithm',
    (api) => api.conv(zeros([1, 1, 5]), zeros([1, 1, 3]), { algorithm: 'fft' as never }),
  ],
  [
    'convTranspose with output padding not below the stride',
    (api) => api.convTranspose(zeros([1, 1, 4]), zeros([1, 1, 3]), { stride: 2, outputPadding: 2 }),
  ],
  [
    'convTranspose with an unreachable output size',
    (api) => api.convTranspose(zeros([1, 1, 4]), zeros([1, 1, 3]), { stride: 2, outputSize: [20] }),
  ],
  [
    'depthwiseConv with a groups option',
    (api) => api.depthwiseConv(zeros([1, 2, 5]), zeros([2, 1, 3]), { groups: 2 } as never),
  ],
  ['depthwiseConv with weight.shape[1] above 1', (api) => api.depthwiseConv(zeros([1, 2, 5]), zeros([2, 2, 3]))],
  ['pointwiseConv with a 3-wide kernel', (api) => api.pointwiseConv(zeros([1, 2, 5]), zeros([2, 2, 3]))],
  [
    'separableConv with a pointwise weight that misses the depthwise channels',
    (api) => api.separableConv(zeros([1, 2, 5]), zeros([2, 1, 3]), zeros([4, 3, 1])),
  ],
  [
    'separableConv with a depthwise bias of the wrong length',
    (api) => api.separableConv(zeros([1, 2, 5]), zeros([2, 1, 3]), zeros([4, 2, 1]), { depthwiseBias: zeros([3]) }),
  ],
];

function coreError(call: Call): ConvError {
  try {
    call(core);
  } catch (error) {
    if (error instanceof ConvError) return error;
    throw error;
  }
  throw new Error('core accepted a call this test calls invalid');
}

describe('errors', () => {
  let gpu: Gpu;
  beforeAll(async () => {
    gpu = await createGpu({ mode: 'cpu' });
  });
  afterAll(() => gpu?.dispose());

  it.each(INVALID_CALLS)("%s rejects with core's ConvError message, never a synchronous throw", async (_, call) => {
    const expected = coreError(call);
    let pending: unknown;
    expect(() => {
      pending = call(gpu);
    }).not.toThrow();
    expect(pending).toBeInstanceOf(Promise);
    const rejection = await (pending as Promise<unknown>).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(rejection).toBeInstanceOf(ConvError);
    expect((rejection as ConvError).message).toBe(expected.message);
    expect((rejection as ConvError).op).toBe(expected.op);
    expect((rejection as ConvError).arg).toBe(expected.arg);
  });

  it('a rejected call leaves the instance usable', async () => {
    await expect(gpu.conv(zeros([1, 1, 2]), zeros([1, 1, 5]))).rejects.toThrow(/conv: /);
    const output = await gpu.conv(tensor([1, 2, 3], [1, 1, 3]), tensor([1, 1], [1, 1, 2]));
    expect(Array.from(output.data)).toEqual([3, 5]);
  });

  it('a call after dispose rejects, naming the disposal', async () => {
    const disposable = await createGpu({ mode: 'cpu' });
    await disposable.dispose();
    await expect(disposable.conv(zeros([1, 1, 3]), zeros([1, 1, 2]))).rejects.toThrow(
      "@convkit/gpu: this 'cpu' instance was disposed",
    );
  });
});
