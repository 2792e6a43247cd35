import { describe, expect, it } from 'vitest';
import * as core from '@convkit/core';
import { OP_NAMES, OP_TABLE, tensor, type OpFamily, type Tensor } from '@convkit/core';

// Core itself is the family the table describes: this line fails to typecheck when an op of the
// table has no export of that name and signature.
const family: OpFamily<Tensor> = core;

describe('the op table', () => {
  it('names an exported op for every descriptor', () => {
    for (const op of OP_NAMES) expect(typeof family[op]).toBe('function');
  });

  it('gives each rank-checked entry point the rank in its name', () => {
    for (const op of OP_NAMES) {
      const rank = /([123])d$/.exec(op)?.[1];
      expect(OP_TABLE[op].spatialRank, op).toBe(rank === undefined ? undefined : Number(rank));
    }
  });

  it("lists each op's tensor arguments in call order, and its tensor-valued options", () => {
    expect(OP_TABLE.conv3d.operands).toEqual(['input', 'weight']);
    expect(OP_TABLE.conv3d.tensorOptions).toEqual(['bias']);
    expect(OP_TABLE.separableConv.operands).toEqual(['input', 'depthwiseWeight', 'pointwiseWeight']);
    expect(OP_TABLE.separableConv.tensorOptions).toEqual(['depthwiseBias', 'bias']);
  });

  it("resolves a call to the stages an op's entry point computes", () => {
    const input = tensor([1, 2, 3, 10, 20, 30], [1, 2, 3]);
    const depthwiseWeight = tensor([1, 1, 1, 1], [2, 1, 2]);
    const pointwiseWeight = tensor([1, 1], [1, 2, 1]);
    const { resolve, stages } = OP_TABLE.separableConv;
    const [depthwise, pointwise] = stages(
      resolve('separableConv', {}, input.shape, depthwiseWeight.shape, pointwiseWeight.shape),
    );
    expect([depthwise.input, depthwise.weight, depthwise.bias]).toEqual(['input', 'depthwiseWeight', 'depthwiseBias']);
    expect([pointwise.input, pointwise.weight, pointwise.bias]).toEqual(['previous', 'pointwiseWeight', 'bias']);
    const middle = core.depthwiseConv(input, depthwiseWeight);
    expect(middle.shape).toEqual(depthwise.info.outputShape);
    expect(core.separableConv(input, depthwiseWeight, pointwiseWeight).shape).toEqual(pointwise.info.outputShape);
  });

  it('rejects a wrong rank through the resolver, with the entry point named', () => {
    expect(() => OP_TABLE.conv2d.resolve('conv2d', {}, [1, 1, 3], [1, 1, 2])).toThrow(
      'conv2d: weight must have 4 dims ([C_out, C_in/groups, ...kernel]), got 3; input [1,1,3], weight [1,1,2]',
    );
  });
});
