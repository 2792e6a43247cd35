import { readFileSync } from 'node:fs';
import { convInfo, convMacs, convTransposeInfo, fromOnnxPads, type ConvInfo, type Tensor } from '@convkit/core';
import { mulberry32, randomTensor } from '@convkit/testkit';

/** Where the workloads live: fixtures/workloads.json at the repository root. */
export const WORKLOADS_PATH = new URL('../../fixtures/workloads.json', import.meta.url);

/** One 2-D convolution of the benchmark in convkit's (PyTorch's) layout. */
export interface ConvStage {
  readonly transposed: boolean;
  /** [C_out, C_in/g, kH, kW], or [C_in, C_out/g, kH, kW] when transposed. */
  readonly weightShape: readonly number[];
  readonly stride: readonly [number, number];
  /** ONNX order: [top, left, bottom, right]. */
  readonly pads: readonly [number, number, number, number];
  readonly dilation: readonly [number, number];
  readonly groups: number;
}

/**
 * A benchmark workload: an NCHW input and one convolution, or two for the depthwise-separable W4
 * (depthwise, then pointwise), with the sizes derived by convkit's shape module.
 */
export interface Workload {
  readonly id: string;
  readonly name: string;
  readonly kind: 'conv' | 'convTranspose' | 'separable';
  readonly inputShape: readonly number[];
  readonly stages: readonly ConvStage[];
  /** Shape after each stage; the last one is the output. */
  readonly stageOutputShapes: readonly (readonly number[])[];
  readonly outputShape: readonly number[];
  /** Real multiply-adds (no padding zeros), summed over the stages. */
  readonly macs: number;
  readonly gflop: number;
}

/** Seeded data for a workload: the input and one weight per stage. */
export interface WorkloadData {
  readonly input: Tensor;
  readonly weights: readonly Tensor[];
}

interface JsonConv {
  id: string;
  name: string;
  op: 'conv' | 'conv_transpose' | 'separable';
  N: number;
  C_in: number;
  H: number;
  W: number;
  C_out: number;
  kH: number;
  kW: number;
  stride: [number, number];
  pads: [number, number, number, number];
  dilation?: [number, number];
  groups: number;
  parts?: [string, string];
  MACs: number;
}

/** A stage's settings as core's options; its ONNX-order pads become [begin, end] pairs through core's helper. */
export function stageConvOptions(stage: ConvStage) {
  return {
    stride: [...stage.stride],
    dilation: [...stage.dilation],
    groups: stage.groups,
    padding: fromOnnxPads(stage.pads),
  };
}

/** A stage's resolved record, from core's shape module. */
export function stageInfo(inputShape: readonly number[], stage: ConvStage): ConvInfo {
  const options = stageConvOptions(stage);
  return stage.transposed
    ? convTransposeInfo(inputShape, stage.weightShape, options)
    : convInfo(inputShape, stage.weightShape, options);
}

/**
 * Multiply-adds as workloads.json counts them, by core's `convMacs`: only what the op computes
 * (no padding zeros), so groups and depthwise count their own channels only.
 */
function stageMacs(inputShape: readonly number[], stage: ConvStage): number {
  const [inChannels, outChannels] = stage.transposed
    ? [stage.weightShape[0], stage.weightShape[1] * stage.groups]
    : [inputShape[1], stage.weightShape[0]];
  return convMacs({
    kind: stage.transposed ? 'convTranspose' : 'conv',
    inChannels,
    outChannels,
    kernelSize: stage.weightShape.slice(2),
    groups: stage.groups,
    batch: inputShape[0],
    inputSize: inputShape.slice(2),
    stride: stage.stride,
    dilation: stage.dilation,
    padding: fromOnnxPads(stage.pads),
  });
}

function convStage(entry: JsonConv): ConvStage {
  const transposed = entry.op === 'conv_transpose';
  return {
    transposed,
    weightShape: transposed
      ? [entry.C_in, entry.C_out / entry.groups, entry.kH, entry.kW]
      : [entry.C_out, entry.C_in / entry.groups, entry.kH, entry.kW],
    stride: entry.stride,
    pads: entry.pads,
    dilation: entry.dilation ?? [1, 1],
    groups: entry.groups,
  };
}

function makeWorkload(
  id: string,
  name: string,
  kind: Workload['kind'],
  inputShape: readonly number[],
  stages: readonly ConvStage[],
): Workload {
  const stageOutputShapes: (readonly number[])[] = [];
  let shape = inputShape;
  let macs = 0;
  for (const stage of stages) {
    macs += stageMacs(shape, stage);
    shape = stageInfo(shape, stage).outputShape;
    stageOutputShapes.push(shape);
  }
  return { id, name, kind, inputShape, stages, stageOutputShapes, outputShape: shape, macs, gflop: (2 * macs) / 1e9 };
}

/**
 * The benchmark's workloads: W1..W8 from fixtures/workloads.json, plus W1b16 (W1 with batch 16).
 * Each one's multiply-add count is recomputed and checked against the file's.
 */
export function loadWorkloads(): Workload[] {
  const json = JSON.parse(readFileSync(WORKLOADS_PATH, 'utf8')) as { workloads: JsonConv[] };
  const byId = new Map(json.workloads.map((entry) => [entry.id, entry]));
  const workloads: Workload[] = [];
  for (const entry of json.workloads) {
    let workload: Workload;
    if (entry.op === 'separable') {
      const [depthwiseId, pointwiseId] = entry.parts as [string, string];
      const depthwise = byId.get(depthwiseId) as JsonConv;
      const pointwise = byId.get(pointwiseId) as JsonConv;
      workload = makeWorkload(
        entry.id,
        entry.name,
        'separable',
        [depthwise.N, depthwise.C_in, depthwise.H, depthwise.W],
        [convStage(depthwise), convStage(pointwise)],
      );
    } else {
      workload = makeWorkload(
        entry.id,
        entry.name,
        entry.op === 'conv' ? 'conv' : 'convTranspose',
        [entry.N, entry.C_in, entry.H, entry.W],
        [convStage(entry)],
      );
    }
    if (workload.macs !== entry.MACs)
      throw new Error(`${entry.id}: counted ${workload.macs} MACs, workloads.json says ${entry.MACs}`);
    workloads.push(workload);
    if (entry.id === 'W1') {
      workloads.push(
        makeWorkload(
          'W1b16',
          `${entry.name}, batch 16`,
          'conv',
          [16, entry.C_in, entry.H, entry.W],
          [convStage(entry)],
        ),
      );
    }
  }
  return workloads;
}

/**
 * The same workloads shrunk for the CI smoke test: spatial size at most 8, channels cut to a
 * handful (keeping every group and the depthwise structure), so every engine runs in milliseconds.
 */
export function tinyWorkloads(): Workload[] {
  return loadWorkloads().map((workload) => {
    const [batch, channels, height, width] = workload.inputShape;
    let inChannels = 8;
    const stages = workload.stages.map((stage, index) => {
      const [, , kH, kW] = stage.weightShape;
      const stageIn = index === 0 ? channels : workload.stageOutputShapes[index - 1][1];
      const depthwise = !stage.transposed && stage.groups === stageIn && stageIn > 1;
      const groups = depthwise ? inChannels : Math.min(stage.groups, 4);
      const outChannels = depthwise ? inChannels : 2 * groups + (groups === 1 ? 4 : 0);
      const weightShape = stage.transposed
        ? [inChannels, outChannels / groups, kH, kW]
        : [outChannels, inChannels / groups, kH, kW];
      inChannels = outChannels;
      return { ...stage, groups, weightShape };
    });
    return makeWorkload(
      workload.id,
      `${workload.name} (tiny)`,
      workload.kind,
      [Math.min(batch, 2), 8, Math.min(height, 8), Math.min(width, 8)],
      stages,
    );
  });
}

/** Seeded inputs and weights in [-1, 1), the same for every engine. */
export function workloadData(workload: Workload, seed = 2024): WorkloadData {
  const random = mulberry32(seed);
  return {
    input: randomTensor(random, workload.inputShape),
    weights: workload.stages.map((stage) => randomTensor(random, stage.weightShape)),
  };
}
