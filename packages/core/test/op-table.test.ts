import { describe, expect, it } from 'vitest';
import * as core from '@convkit/core';
import {
  namedArguments,
  OP_NAMES,
  OP_TABLE,
  planBackward,
  planCall,
  resolveArguments,
  tensor,
  type OpFamily,
  type Tensor,
} from '@convkit/core';

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

  it('validates a shape-only tensor by its shape alone and never reads its data', () => {
    const weight = tensor([1, 1, 1, 1], [2, 1, 2]);
    // A getter that throws: reading the data of a shape-only tensor would fail the call.
    const kept = {
      shape: [1, 2, 3],
      get data(): Float32Array {
        throw new Error('the data of a shape-only tensor was read');
      },
    };
    const bias = { shape: [2] };
    const plan = planCall('depthwiseConv', { input: kept, weight, bias }, { bias }, { shapeOnly: ['input', 'bias'] });
    expect(plan.stages[0].info.outputShape).toEqual([1, 2, 2]);
    expect(plan.tensors.input).toBeUndefined();
    expect(plan.tensors.weight?.data).toBe(weight.data);
    // Its shape is checked as any tensor's, and the resolver's shape errors are core's.
    expect(() =>
      planCall('conv', { input: { shape: [1, -2, 3] }, weight }, undefined, { shapeOnly: ['input'] }),
    ).toThrow('conv: input.shape[1] must be a non-negative integer, got -2');
    expect(() =>
      planCall('depthwiseConv', { input: { shape: [1, 3, 3] }, weight }, undefined, { shapeOnly: ['input'] }),
    ).toThrow(
      'depthwiseConv: weight.shape[0] (2) must be a multiple of the input channels (3), as weight is [C_in * multiplier, 1, ...kernel]; input [1,3,3], weight [2,1,2]',
    );
    // A tensor not named shape-only still needs its data.
    expect(() => planCall('conv', { input: { shape: [1, 2, 3] }, weight }, undefined)).toThrow(
      'conv: input.data must be a Float32Array, got undefined; input [1,2,3]',
    );
  });

  it('plans a backward with a shape-only gradOutput, checked against the output shape', () => {
    const tensors = namedArguments('conv', [tensor([1, 2, 3], [1, 1, 3]), tensor([1, 1], [1, 1, 2])], {});
    const plan = planBackward('conv', tensors, { shape: [1, 1, 2] }, {}, { shapeOnly: ['gradOutput'] });
    expect(plan.stages[0].stage.info.outputShape).toEqual([1, 1, 2]);
    expect(() => planBackward('conv', tensors, { shape: [1, 1, 3] }, {}, { shapeOnly: ['gradOutput'] })).toThrow(
      "convBackward: gradOutput must have the output's shape [1,1,2], got [1,1,3]; input [1,1,3], weight [1,1,2]",
    );
  });

  it('resolves handles among the operands and the tensor-valued options, and leaves the rest alone', () => {
    const weight = tensor([1, 1], [1, 1, 2]);
    const handles = new Map<unknown, Tensor>([['w', weight]]);
    const resolve = (value: unknown, arg: string): unknown => handles.get(value) ?? `${arg}:${String(value)}`;
    const options = { bias: 'w', stride: 2 };
    const call = resolveArguments(namedArguments('conv', ['w', 'x'], options), options, ['bias'], resolve);
    expect(call.tensors).toEqual({ input: weight, weight: 'weight:x', bias: weight });
    expect(call.options).toEqual({ bias: weight, stride: 2 });
    // No bias given: no bias key added; options that are not an object come back as they are.
    expect(resolveArguments({ input: 'w' }, { stride: 2 }, ['bias'], resolve).options).toEqual({ stride: 2 });
    expect(resolveArguments({ input: 'w' }, [1], ['bias'], resolve).options).toEqual([1]);
  });
});
