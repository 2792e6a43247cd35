// Today's general kernel against the packed, per-shape generated kernels on one backend, same run,
// calls interleaved so machine load hits both alike; medians. Weights uploaded once (gpu.upload's
// path), input from the host, output read back: end to end as a user calls it. 1x1 workloads (W3,
// and W4's pointwise stage) also run on the packed direct kernel instead of the pointwise one
// ('direct1x1'), and separable ones (W4) through the op, which keeps the depthwise output on the device.
//   xvfb-run -a tsx --conditions=@convkit/source scripts/measure-packed.ts [mode] [W1 W3 ...] [--runs N]
import { convInfo, convTransposeInfo, type ConvInfo, type Tensor } from '@convkit/core';
import { mulberry32, randomTensor } from '@convkit/testkit';
import { startBackend } from '../src/backend.js';
import { Uploader, type GpuTensor, type Operand } from '../src/gpu-tensor.js';
import type { GpuMode } from '../src/modes.js';
import { runOp } from '../src/ops/run-op.js';
import { ConvolutionRunner, DEFAULT_MAX_CACHED_KERNELS } from '../src/runner.js';
import { interleavedMedians } from './interleaved.js';

const WORKLOADS: Record<
  string,
  { input: number[]; weight: number[]; transposed: boolean; options: object; pointwise?: number[] }
> = {
  W1: { input: [1, 64, 56, 56], weight: [64, 64, 3, 3], transposed: false, options: { padding: 1 } },
  W2: { input: [1, 144, 56, 56], weight: [144, 1, 3, 3], transposed: false, options: { padding: 1, groups: 144 } },
  W3: { input: [1, 144, 56, 56], weight: [24, 144, 1, 1], transposed: false, options: {} },
  // Separable: W2's depthwise stage, then W3's pointwise weight.
  W4: {
    input: [1, 144, 56, 56],
    weight: [144, 1, 3, 3],
    transposed: false,
    options: { padding: 1, groups: 144 },
    pointwise: [24, 144, 1, 1],
  },
  W7: { input: [1, 128, 16, 16], weight: [128, 64, 4, 4], transposed: true, options: { stride: 2, padding: 1 } },
  W8: { input: [1, 16, 32, 32], weight: [32, 16, 3, 3], transposed: false, options: { padding: 1 } },
};
const args = process.argv.slice(2);
const runsFlag = args.indexOf('--runs');
const runs = runsFlag >= 0 ? Number(args[runsFlag + 1]) : 3;
const named = args.filter((arg, index) => !arg.startsWith('--') && index !== runsFlag + 1);
const mode = (named.find((arg) => !(arg in WORKLOADS)) ?? 'headlessgl') as GpuMode;
const ids = named.filter((arg) => arg in WORKLOADS);

const backend = await startBackend(mode);
const general = new ConvolutionRunner(backend, backend.maxElementsPerCall, DEFAULT_MAX_CACHED_KERNELS, {
  packedLayout: false,
});
const packed = new ConvolutionRunner(backend, backend.maxElementsPerCall);
const direct1x1 = new ConvolutionRunner(backend, backend.maxElementsPerCall, DEFAULT_MAX_CACHED_KERNELS, {
  pointwiseKernel: false,
});
const runners = [
  ['general', general],
  ['direct1x1', direct1x1],
  ['packed', packed],
] as const;
const uploader = new Uploader(backend, backend.maxElementsPerCall, packed);
const random = mulberry32(3);
console.log(`backend ${mode} (${backend.renderer}), ${runs} timed runs each, interleaved`);
for (const id of ids.length ? ids : ['W1', 'W3', 'W7']) {
  const spec = WORKLOADS[id];
  const input: Tensor = randomTensor(random, spec.input);
  const weight = await uploader.upload(randomTensor(random, spec.weight));
  const info: ConvInfo = spec.transposed
    ? convTransposeInfo(spec.input, spec.weight, spec.options)
    : convInfo(spec.input, spec.weight, spec.options);
  const inputOperand: Operand = { tensor: input, device: null, handle: null };
  const weightOperand: Operand = { tensor: weight.host, device: weight.device, handle: weight };
  const pointwiseWeight = spec.pointwise ? randomTensor(random, spec.pointwise) : null;
  // The op checks that a handle is its runner's own: each runner gets its uploads of both weights.
  const separableWeights = new Map<ConvolutionRunner, [GpuTensor, GpuTensor]>();
  if (pointwiseWeight) {
    for (const [, runner] of runners) {
      const own = new Uploader(backend, backend.maxElementsPerCall, runner);
      separableWeights.set(runner, [await own.upload(weight.host), await own.upload(pointwiseWeight)]);
    }
  }
  // separableConv takes the depthwise stage's options but its groups (the weight gives them).
  const { groups: _groups, ...depthwise } = spec.options as { groups?: number };
  // One call as a user makes it: the op for a separable workload, else the runner.
  const once = async (runner: ConvolutionRunner): Promise<Float32Array> =>
    pointwiseWeight
      ? (
          await runOp(
            runner,
            'separableConv',
            [input, ...(separableWeights.get(runner) ?? [])] as never,
            depthwise as never,
          )
        ).data
      : (await runner.run(info, inputOperand, weightOperand, undefined)).data;
  const outputs: Float32Array[] = [];
  for (const [label, runner] of runners) {
    const started = performance.now();
    outputs.push(await once(runner));
    console.log(`  ${id} ${label} first call (compile) ${(performance.now() - started).toFixed(0)} ms`);
  }
  let maxDifference = 0;
  for (const output of outputs.slice(1)) {
    for (let index = 0; index < outputs[0].length; index++) {
      maxDifference = Math.max(maxDifference, Math.abs(outputs[0][index] - output[index]));
    }
  }
  const medians = await interleavedMedians(
    runs,
    Object.fromEntries(runners.map(([label, runner]) => [label, () => once(runner)])),
  );
  const [before, direct, after] = [medians.general, medians.direct1x1, medians.packed];
  console.log(
    `${id} general ${before.toFixed(1)} ms, packed direct1x1 ${direct.toFixed(1)} ms, packed ${after.toFixed(1)} ms: ${(before / after).toFixed(1)}x faster than general, ${(direct / after).toFixed(2)}x than direct1x1 (max |difference| ${maxDifference.toExponential(2)})`,
  );
  separableWeights.forEach((handles) => {
    for (const handle of handles) handle.dispose();
  });
  weight.dispose();
}
