import { describe, expect, it } from 'vitest';
import * as core from '@convkit/core';
import { ConvError, type Tensor } from '@convkit/core';
import { createGpu } from '@convkit/gpu';
import { FUZZ_OPS, GPU_TOLERANCE, compareTensors, fuzzCase, runFuzzCase } from '@convkit/testkit';
import { NODE_MODES, describeGpu, seededTensors, expectClose } from './node-modes.js';

const tensorOf = seededTensors(11);

describe.each(NODE_MODES)('work split to fit a per-call limit on %s', (mode) => {
  const small = describeGpu(mode, { maxElementsPerCall: 250 });

  it('splits over batch items, zero-padding the last run, and matches core', async () => {
    // 5 units of 72 input and 108 output elements: runs of 2, 2 and a padded 1.
    const input = tensorOf([5, 2, 6, 6]);
    const weight = tensorOf([3, 2, 3, 3]);
    const options = { padding: 1, bias: tensorOf([3]) };
    expectClose(await small().conv(input, weight, options), core.conv(input, weight, options));
  });

  it('splits one batch item over runs of output channels when its output is too large', async () => {
    // 7 output planes of 25: runs of 2, 2, 2 and 1 channels per batch item.
    const input = tensorOf([2, 1, 5, 5]);
    const weight = tensorOf([7, 1, 3, 3]);
    expectClose(await small().conv(input, weight, { padding: 1 }), core.conv(input, weight, { padding: 1 }));
    const transposedWeight = tensorOf([1, 7, 3, 3]);
    const smallInput = tensorOf([2, 1, 3, 3]);
    expectClose(
      await small().convTranspose(smallInput, transposedWeight, { padding: 1 }),
      core.convTranspose(smallInput, transposedWeight, { padding: 1 }),
    );
  });

  it('splits grouped and transposed work at group boundaries', async () => {
    const input = tensorOf([3, 6, 4, 4]);
    const weight = tensorOf([6, 2, 3, 3]);
    const options = { groups: 3, stride: 2, outputPadding: 1, bias: tensorOf([6]) };
    expectClose(await small().convTranspose(input, weight, options), core.convTranspose(input, weight, options));
    const depthwiseWeight = tensorOf([12, 1, 2, 2]);
    expectClose(
      await small().depthwiseConv(input, depthwiseWeight, { padding: 'same', paddingMode: 'circular' }),
      core.depthwiseConv(input, depthwiseWeight, { padding: 'same', paddingMode: 'circular' }),
    );
  });

  it('rejects work it cannot split far enough with a ConvError naming the op and the limit', async () => {
    const input = tensorOf([1, 1, 20, 20]);
    const weight = tensorOf([1, 1, 3, 3]);
    await expect(small().conv(input, weight)).rejects.toThrow(ConvError);
    await expect(small().conv(input, weight)).rejects.toThrow(
      'conv: one group of input channels of one batch item has 400 elements, more than the 250 one call of this GPU backend can address, and it cannot be split further; input [1,1,20,20], weight [1,1,3,3]',
    );
  });

  it('agrees with core on fuzzed shapes under a 256-element limit wherever the work can be split', async () => {
    const tiny = await createGpu({ mode, maxElementsPerCall: 256 });
    let computed = 0;
    const failures: string[] = [];
    for (const op of FUZZ_OPS) {
      for (let run = 0; run < 20; run++) {
        const entry = fuzzCase(op, 4242 + run, 1024);
        try {
          const comparison = compareTensors(
            await runFuzzCase<Promise<Tensor>>(tiny, entry),
            runFuzzCase<Tensor>(core, entry),
            GPU_TOLERANCE,
          );
          computed += 1;
          if (!comparison.ok) failures.push(`${entry.description}: ${comparison.message}`);
        } catch (error) {
          if (!(error instanceof ConvError && error.message.includes('cannot be split further'))) {
            failures.push(`${entry.description}: threw ${String(error)}`);
          }
        }
      }
    }
    await tiny.dispose();
    expect(failures, failures.join('\n')).toEqual([]);
    expect(computed).toBeGreaterThan(50);
  });
});
