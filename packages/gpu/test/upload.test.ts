import { describe, expect, it } from 'vitest';
import * as core from '@convkit/core';
import { ConvError } from '@convkit/core';
import { createGpu } from '@convkit/gpu';
import { NODE_MODES, describeGpu, seededTensors, expectClose } from './node-modes.js';
import { compareUploads } from './upload-cases.js';

const tensorOf = seededTensors(23);

describe.each(NODE_MODES)('gpu.upload on %s', (mode) => {
  const gpu = describeGpu(mode);

  it('keeps the data on the device exactly where the backend has one', async () => {
    const handle = await gpu().upload(tensorOf([2, 3]));
    expect(handle.shape).toEqual([2, 3]);
    expect(handle.resident).toBe(mode === 'headlessgl');
    handle.dispose();
    expect(handle.disposed).toBe(true);
  });

  it('refuses a missing tensor with a ConvError naming it', async () => {
    await expect(gpu().upload(undefined as never)).rejects.toThrow(
      'upload: tensor is missing (got undefined); upload takes tensor',
    );
  });

  it('uploads an empty tensor as a host copy (a device array of size 0 does not exist)', async () => {
    const handle = await gpu().upload(core.tensor([], [2, 0, 3]));
    expect(handle.shape).toEqual([2, 0, 3]);
    expect(handle.resident).toBe(false);
    handle.dispose();
  });

  it('gives every op the same results with uploaded inputs, weights and biases as with tensors and as core', async () => {
    expect(await compareUploads(gpu(), 5150, 5)).toEqual([]);
  });

  it('serves many calls from one uploaded weight and bias', async () => {
    const weight = tensorOf([4, 3, 3, 3]);
    const bias = tensorOf([4]);
    const [weightHandle, biasHandle] = [await gpu().upload(weight), await gpu().upload(bias)];
    for (let call = 0; call < 3; call++) {
      const input = tensorOf([1, 3, 6, 6]);
      expectClose(
        await gpu().conv(input, weightHandle, { padding: 1, bias: biasHandle }),
        core.conv(input, weight, { padding: 1, bias }),
      );
    }
    weightHandle.dispose();
    biasHandle.dispose();
  });

  it('reads a plain tensor afresh on every call, so changing its data in place changes the next result', async () => {
    const input = tensorOf([1, 2, 5, 5]);
    const weight = tensorOf([3, 2, 3, 3]);
    expectClose(await gpu().conv(input, weight), core.conv(input, weight));
    weight.data[0] += 10;
    input.data[6] -= 5;
    const changed = await gpu().conv(input, weight);
    expectClose(changed, core.conv(input, weight));
  });

  it('snapshots the data at upload, so changing the source array afterwards changes nothing', async () => {
    const input = tensorOf([1, 2, 5, 5]);
    const weight = tensorOf([3, 2, 3, 3]);
    const want = core.conv(input, weight);
    const [inputHandle, weightHandle] = [await gpu().upload(input), await gpu().upload(weight)];
    weight.data.fill(7);
    input.data.fill(-1);
    expectClose(await gpu().conv(inputHandle, weightHandle), want);
    inputHandle.dispose();
    weightHandle.dispose();
  });

  it('runs a shape first seen with uploaded tensors with plain tensors too, and back', async () => {
    const input = tensorOf([1, 3, 4, 7]);
    const weight = tensorOf([2, 3, 2, 2]);
    const want = core.conv(input, weight, { stride: 2 });
    const [inputHandle, weightHandle] = [await gpu().upload(input), await gpu().upload(weight)];
    expectClose(await gpu().conv(inputHandle, weightHandle, { stride: 2 }), want);
    expectClose(await gpu().conv(input, weight, { stride: 2 }), want);
    expectClose(await gpu().conv(input, weightHandle, { stride: 2 }), want);
    expectClose(await gpu().conv(inputHandle, weightHandle, { stride: 2 }), want);
    inputHandle.dispose();
    weightHandle.dispose();
  });

  it('rejects a disposed handle with a ConvError naming the op and argument', async () => {
    const weight = await gpu().upload(tensorOf([1, 1, 3]));
    weight.dispose();
    const call = gpu().conv(tensorOf([1, 1, 5]), weight);
    await expect(call).rejects.toThrow(ConvError);
    await expect(call).rejects.toThrow(
      'conv: weight is a GpuTensor [1,1,3] that was disposed; upload it again with gpu.upload',
    );
    // A bias whose whole instance was disposed, used on a live one.
    const disposed = await createGpu({ mode });
    const bias = await disposed.upload(tensorOf([1]));
    await disposed.dispose().then(
      () => undefined,
      () => undefined,
    );
    await expect(gpu().conv(tensorOf([1, 1, 5]), tensorOf([1, 1, 3]), { bias })).rejects.toThrow(
      'conv: bias is a GpuTensor [1] that was disposed; upload it again with gpu.upload',
    );
  });

  it('rejects a handle uploaded to another Gpu instance', async () => {
    const other = await createGpu({ mode: 'cpu' });
    const foreign = await other.upload(tensorOf([2, 1, 3]));
    await expect(gpu().depthwiseConv(tensorOf([1, 2, 5]), foreign)).rejects.toThrow(
      "depthwiseConv: weight is a GpuTensor [2,1,3] uploaded to another Gpu instance; upload it with this instance's gpu.upload",
    );
    await other.dispose();
  });

  it("validates handles through core's shape module, with core's messages", async () => {
    const input = tensorOf([1, 8, 5, 5]);
    const weight = tensorOf([4, 3, 3, 3]);
    let message = '';
    try {
      core.conv(input, weight, { groups: 2 });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^conv: /);
    const weightHandle = await gpu().upload(weight);
    await expect(gpu().conv(await gpu().upload(input), weightHandle, { groups: 2 })).rejects.toThrow(message);
    await expect(gpu().upload({ shape: [2, 2], data: new Float32Array(3) })).rejects.toThrow(
      'upload: tensor.data has 3 elements but tensor [2,2] needs 4',
    );
  });

  it('reads an uploaded input from its host copy when the work is split over calls', async () => {
    const small = await createGpu({ mode, maxElementsPerCall: 250 });
    const input = tensorOf([5, 2, 6, 6]);
    const weight = tensorOf([3, 2, 3, 3]);
    const bias = tensorOf([3]);
    const want = core.conv(input, weight, { padding: 1, bias });
    const got = await small.conv(await small.upload(input), await small.upload(weight), {
      padding: 1,
      bias: await small.upload(bias),
    });
    expectClose(got, want);
    const separableInput = tensorOf([2, 4, 6, 6]);
    const depthwise = tensorOf([4, 1, 3, 3]);
    const pointwise = tensorOf([5, 4, 1, 1]);
    expectClose(
      await small.separableConv(
        await small.upload(separableInput),
        await small.upload(depthwise),
        await small.upload(pointwise),
        { padding: 1 },
      ),
      core.separableConv(separableInput, depthwise, pointwise, { padding: 1 }),
    );
    await small.dispose();
  });
});
