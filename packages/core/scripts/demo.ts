/**
 * `pnpm demo`: one run of each of the seven convolution types on fixed data, with the shapes,
 * weight counts, receptive field and a checksum of the output.
 */
import {
  conv,
  convParams,
  convTranspose,
  depthwiseConv,
  pointwiseConv,
  receptiveField,
  separableConv,
  sizeOf,
  type ConvLayerSpec,
  type Tensor,
} from '@convkit/core';

/** Fixed, platform-independent data: a small integer pattern scaled into [-1, 1]. */
function pattern(shape: number[], salt: number): Tensor {
  const size = sizeOf(shape);
  const data = new Float32Array(size);
  for (let index = 0; index < size; index++) data[index] = (((index * 37 + salt * 11) % 23) - 11) / 11;
  return { shape, data };
}

function checksum(result: Tensor): string {
  let sum = 0;
  let weighted = 0;
  result.data.forEach((value, index) => {
    sum += value;
    weighted += value * ((index % 7) + 1);
  });
  return `sum ${sum.toFixed(4)}, weighted ${weighted.toFixed(4)}`;
}

const shape = (values: readonly number[]) => `[${values.join(', ')}]`;
const x = pattern([1, 16, 32, 32], 1);

/** A row's run with one weight: `op(x, weight, options)` for the fixed weight of `weightShape` and `salt`. */
function withWeight<Options>(
  op: (input: Tensor, weight: Tensor, options?: Options) => Tensor,
  weightShape: number[],
  salt: number,
  options?: Options,
): Row['run'] {
  return () => {
    const weight = pattern(weightShape, salt);
    return { weights: [weight], output: op(x, weight, options) };
  };
}

interface Row {
  type: string;
  layer: ConvLayerSpec;
  field: Parameters<typeof receptiveField>[0];
  run: () => { weights: Tensor[]; output: Tensor };
}

const rows: Row[] = [
  {
    type: 'standard 3x3, 16->32',
    layer: { inChannels: 16, outChannels: 32, kernelSize: 3 },
    field: [{ kernelSize: 3, padding: 1 }],
    run: withWeight(conv, [32, 16, 3, 3], 2, { padding: 1 }),
  },
  {
    type: 'depthwise 3x3, 16 channels',
    layer: { kind: 'depthwise', inChannels: 16, kernelSize: 3 },
    field: [{ kernelSize: 3, padding: 1 }],
    run: withWeight(depthwiseConv, [16, 1, 3, 3], 3, { padding: 1 }),
  },
  {
    type: 'pointwise 1x1, 16->32',
    layer: { kind: 'pointwise', inChannels: 16, outChannels: 32 },
    field: [{ kernelSize: 1 }],
    run: withWeight(pointwiseConv, [32, 16, 1, 1], 4),
  },
  {
    type: 'depthwise-separable 3x3, 16->32',
    layer: { kind: 'separable', inChannels: 16, outChannels: 32, kernelSize: 3 },
    field: [{ kernelSize: 3, padding: 1 }, { kernelSize: 1 }],
    run: () => {
      const depthwise = pattern([16, 1, 3, 3], 3);
      const pointwise = pattern([32, 16, 1, 1], 4);
      return { weights: [depthwise, pointwise], output: separableConv(x, depthwise, pointwise, { padding: 1 }) };
    },
  },
  {
    type: 'group 3x3, 16->32, 4 groups',
    layer: { inChannels: 16, outChannels: 32, kernelSize: 3, groups: 4 },
    field: [{ kernelSize: 3, padding: 1 }],
    run: withWeight(conv, [32, 4, 3, 3], 5, { padding: 1, groups: 4 }),
  },
  {
    type: 'dilated 3x3, dilation 2, 16->32',
    layer: { inChannels: 16, outChannels: 32, kernelSize: 3, dilation: 2 },
    field: [{ kernelSize: 3, dilation: 2, padding: 2 }],
    run: withWeight(conv, [32, 16, 3, 3], 6, { padding: 2, dilation: 2 }),
  },
  {
    type: 'transposed 4x4, stride 2, 16->8',
    layer: { kind: 'convTranspose', inChannels: 16, outChannels: 8, kernelSize: 4 },
    field: [{ kernelSize: 4, stride: 2, padding: 1 }],
    run: withWeight(convTranspose, [16, 8, 4, 4], 7, { stride: 2, padding: 1 }),
  },
];

console.log(`convkit demo: input ${shape(x.shape)}\n`);
for (const row of rows) {
  const { weights, output } = row.run();
  const steps = receptiveField(row.field);
  const field = steps[steps.length - 1];
  console.log(row.type);
  console.log(
    `  weight ${weights.map((weight) => shape(weight.shape)).join(' + ')}  ->  output ${shape(output.shape)}`,
  );
  console.log(
    `  parameters ${convParams(row.layer)} (bias not counted), receptive field ${field.size} (jump ${field.jump})`,
  );
  console.log(`  checksum ${checksum(output)}\n`);
}
