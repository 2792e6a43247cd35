import { convMatrix, convParams, receptiveField, tensor } from '@convkit/core';
import { mulberry32 } from '@convkit/testkit';
import { describe, expect, it } from 'vitest';
import { codeSnippets } from '../src/visualiser/code';
import {
  computeView,
  DEFAULT_SETTINGS,
  scatterView,
  validGroups,
  zeroInsertionFrame,
  type VisualiserSettings,
} from '../src/visualiser/geometry';

const settings = (patch: Partial<VisualiserSettings>): VisualiserSettings => ({ ...DEFAULT_SETTINGS, ...patch });

describe('the visualiser geometry', () => {
  it('names the nine taps of the first output of a padded 3x3 conv, four of them on the input', () => {
    const view = computeView(settings({ pads: [1, 1, 1, 1] }));
    expect(view.info.outSize).toEqual([5, 5]);
    const first = view.contributions[0].map(({ row, column, tap }) => [row, column, tap]);
    expect(first).toHaveLength(9);
    expect(first.filter(([row, column]) => row >= 0 && column >= 0)).toEqual([
      [0, 0, 4],
      [0, 1, 5],
      [1, 0, 7],
      [1, 1, 8],
    ]);
  });

  it('puts the odd padding of same_lower at the beginning, as convInfo does', () => {
    const view = computeView(settings({ inputHeight: 6, inputWidth: 6, stride: 2, padding: 'same_lower' }));
    expect([view.info.padBegin, view.info.padEnd]).toEqual([
      [1, 1],
      [0, 0],
    ]);
    expect(view.info.outSize).toEqual([3, 3]);
    expect(view.contributions[0].some(({ row }) => row === -1)).toBe(true);
  });

  it('gathers a transposed output from the input cells whose scattered tap lands on it', () => {
    const view = computeView(settings({ transposed: true, stride: 2, inputHeight: 3, inputWidth: 3 }));
    expect(view.info.outSize).toEqual([7, 7]);
    // output (0, 1) = input (0, 0) through tap (0, 1); output (2, 2) gets four inputs.
    expect(view.contributions[1].map(({ channel, row, column, tap }) => ({ channel, row, column, tap }))).toEqual([
      { channel: 0, row: 0, column: 0, tap: 1 },
    ]);
    expect(view.contributions[2 * 7 + 2]).toHaveLength(4);
  });

  it('counts as many in-bounds taps per output as core computes with all-ones tensors, for random settings', () => {
    const random = mulberry32(7);
    const pick = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
    let checked = 0;
    for (let trial = 0; trial < 60; trial++) {
      const inChannels = pick(1, 4);
      const outChannels = pick(1, 4);
      const groupChoices = validGroups(inChannels, outChannels);
      const transposed = random() < 0.5;
      const stride = pick(1, 3);
      const dilation = pick(1, 2);
      const candidate = settings({
        transposed,
        inputHeight: pick(1, 6),
        inputWidth: pick(1, 6),
        kernelHeight: pick(1, 3),
        kernelWidth: pick(1, 3),
        stride,
        dilation,
        padding: transposed ? 'explicit' : (['explicit', 'valid', 'same_upper', 'same_lower'] as const)[pick(0, 3)],
        pads: [pick(0, 2), pick(0, 2), pick(0, 2), pick(0, 2)],
        inChannels,
        outChannels,
        groups: groupChoices[pick(0, groupChoices.length - 1)],
        outputPadding: transposed ? pick(0, Math.max(stride, dilation) - 1) : 0,
      });
      let view: ReturnType<typeof computeView>;
      try {
        view = computeView(candidate);
      } catch {
        continue; // an impossible geometry: core refused it, as the page shows
      }
      const { outSize } = view.info;
      const inside = view.contributions.map(
        (cells) =>
          cells.filter(
            ({ row, column }) => row >= 0 && column >= 0 && row < view.info.inSize[0] && column < view.info.inSize[1],
          ).length,
      );
      expect(inside, JSON.stringify(candidate)).toEqual(Array.from(view.counts.data));
      expect(view.contributions).toHaveLength(outChannels * outSize[0] * outSize[1]);
      checked++;
    }
    expect(checked).toBeGreaterThan(30);
  });

  it("sums the shown inputs times the shown weights to core's output, for every cell, rank and mode", () => {
    const cases: Partial<VisualiserSettings>[] = [
      { pads: [1, 2, 0, 1], inChannels: 2, outChannels: 4, groups: 2 },
      { rank: 1, inputWidth: 7, stride: 2, pads: [0, 0, 2, 1], paddingMode: 'reflect' },
      { rank: 3, inputDepth: 3, inputHeight: 4, inputWidth: 4, kernelDepth: 2, depthPads: [1, 0], pads: [1, 1, 1, 1] },
      { transposed: true, stride: 2, inChannels: 2, outChannels: 2, groups: 2, pads: [1, 1, 0, 0] },
      { pads: [2, 2, 2, 2], paddingMode: 'circular', inputHeight: 3, inputWidth: 4 },
      { pads: [2, 2, 2, 2], paddingMode: 'replicate', dilation: 2 },
    ];
    for (const patch of cases) {
      const view = computeView(settings(patch));
      view.contributions.forEach((cells, output) => {
        const sum = cells.reduce(
          (total, cell) => total + (cell.reads < 0 ? 0 : view.input.data[cell.reads] * view.weight.data[cell.weight]),
          0,
        );
        expect(sum, `${JSON.stringify(patch)} output ${output}`).toBe(view.output.data[output]);
      });
    }
  });

  it("shows which input a reflect, replicate or circular padding cell copies, from core's tap maps", () => {
    const row = (mode: VisualiserSettings['paddingMode']) =>
      computeView(settings({ rank: 1, inputWidth: 4, pads: [0, 0, 2, 2], paddingMode: mode })).contributions[0].map(
        (cell) => [cell.column, cell.reads],
      );
    expect(row('reflect')).toEqual([
      [-2, 2],
      [-1, 1],
      [0, 0],
    ]);
    expect(row('replicate')).toEqual([
      [-2, 0],
      [-1, 0],
      [0, 0],
    ]);
    expect(row('circular')).toEqual([
      [-2, 2],
      [-1, 3],
      [0, 0],
    ]);
    expect(row('zeros')).toEqual([
      [-2, -1],
      [-1, -1],
      [0, 0],
    ]);
  });

  it('colours taps per (output channel, input channel): depthwise has one slice per channel, standard C_out x C_in', () => {
    const depthwise = computeView(settings({ inChannels: 3, outChannels: 3, groups: 3 }));
    expect(depthwise.slices).toEqual([0, 1, 2].map((channel) => ({ outChannel: channel, inChannel: channel })));
    expect(new Set(depthwise.contributions[depthwise.geometry.outPlane].map((cell) => cell.slice))).toEqual(
      new Set([1]),
    );
    const standard = computeView(settings({ inChannels: 2, outChannels: 3 }));
    expect(standard.slices).toHaveLength(6);
    expect(new Set(standard.contributions[standard.geometry.outPlane * 2].map((cell) => cell.slice))).toEqual(
      new Set([4, 5]),
    );
  });

  it("scatters each transposed input into the outputs it paints, and the zero-inserted frame agrees with core's tap maps", () => {
    const view = computeView(
      settings({ transposed: true, stride: 2, inputHeight: 3, inputWidth: 3, pads: [1, 1, 1, 1] }),
    );
    const painted = scatterView(view);
    expect(painted).toHaveLength(9);
    // The centre input paints a full 3x3 patch; a corner input loses the cropped row and column.
    expect(painted[4]).toHaveLength(9);
    expect(painted[0]).toHaveLength(4);
    const frame = zeroInsertionFrame(view.info);
    expect(frame).toEqual([
      { size: 7, firstInput: 1, stride: 2 },
      { size: 7, firstInput: 1, stride: 2 },
    ]);
    // Output o's stride-1 window covers frame cells o .. o + 2 with the kernel rotated: the input at
    // frame position firstInput + i * stride is read through tap k = 2 - (position - o).
    const [, axis] = frame;
    const { tapMaps } = view.geometry;
    for (let out = 0; out < view.info.outSize[1]; out++)
      for (let slot = 0; slot < 3; slot++) {
        const position = out + slot;
        const offset = position - axis.firstInput;
        const input = offset >= 0 && offset % axis.stride === 0 && offset / axis.stride < 3 ? offset / axis.stride : -1;
        expect(tapMaps[2][out * 3 + (2 - slot)], `out ${out} slot ${slot}`).toBe(input);
      }
  });

  it('offers only the group counts that divide both channel counts', () => {
    expect(validGroups(4, 6)).toEqual([1, 2]);
    expect(validGroups(3, 3)).toEqual([1, 3]);
  });
});

describe('the "as code" panel', () => {
  it('writes asymmetric padding as F.pad for PyTorch and begins-then-ends for ONNX', () => {
    const chosen = settings({ pads: [1, 2, 0, 1] });
    const view = computeView(chosen);
    const code = codeSnippets(chosen, view.info, view.padding, view.weightShape);
    expect(code.convkit).toContain('padding: [[1, 2], [0, 1]]');
    expect(code.pytorch).toContain('F.pad(x, (0, 1, 1, 2))');
    expect(code.onnx).toContain('pads=[1, 0, 2, 1]');
  });

  it("writes ONNX's auto_pad for same_upper and the explicit pads core resolved for PyTorch", () => {
    const chosen = settings({ inputHeight: 6, inputWidth: 6, stride: 2, padding: 'same_upper' });
    const view = computeView(chosen);
    const code = codeSnippets(chosen, view.info, view.padding, view.weightShape);
    expect(code.onnx).toContain("auto_pad='SAME_UPPER'");
    expect(code.pytorch).toContain('F.pad(x, (0, 1, 0, 1))');
  });

  it('writes a transposed conv with its output padding in all three', () => {
    const chosen = settings({ transposed: true, stride: 2, outputPadding: 1, pads: [1, 1, 1, 1] });
    const view = computeView(chosen);
    const code = codeSnippets(chosen, view.info, view.padding, view.weightShape);
    expect(code.convkit).toContain(
      'convTranspose2d(x, w, { stride: 2, padding: 1, outputPadding: 1 }); // [1, 1, 10, 10]',
    );
    expect(code.pytorch).toContain(
      'ConvTranspose2d(1, 1, kernel_size=3, stride=2, dilation=1, groups=1, bias=False, padding=1, output_padding=1)',
    );
    expect(code.onnx).toContain('output_padding=[1, 1]');
  });
});

describe('the numbers the pages quote', () => {
  it('a 3x3 conv 16 -> 32 has 4608 weights and its separable form 656 (not 4068)', () => {
    expect(convParams({ inChannels: 16, outChannels: 32, kernelSize: 3 })).toBe(4608);
    expect(convParams({ kind: 'separable', inChannels: 16, outChannels: 32, kernelSize: 3 })).toBe(656);
    expect(convParams({ kind: 'depthwise', inChannels: 16, kernelSize: 3 })).toBe(144);
    expect(convParams({ kind: 'pointwise', inChannels: 16, outChannels: 32 })).toBe(512);
  });

  it('8 groups cut a 3x3 conv 256 -> 256 to one eighth: 589824 -> 73728', () => {
    expect(convParams({ inChannels: 256, outChannels: 256, kernelSize: 3 })).toBe(589_824);
    expect(convParams({ inChannels: 256, outChannels: 256, kernelSize: 3, groups: 8 })).toBe(73_728);
  });

  it('stacked 3x3 layers see 3, 7, 15 with dilation 1, 2, 4, and 9 (not 13) with dilation 2 then 2', () => {
    const sizes = (dilations: number[]) =>
      receptiveField(dilations.map((dilation) => ({ kernelSize: 3, dilation }))).map((step) => step.size);
    expect(sizes([1, 2, 4])).toEqual([3, 7, 15]);
    expect(sizes([2, 2]).at(-1)).toBe(9);
    expect(sizes([2, 4]).at(-1)).toBe(13);
  });

  it('the 3x3 input / 2x2 kernel convolution is the 4x9 matrix printed on the Toeplitz page', () => {
    const matrix = convMatrix([1, 1, 3, 3], tensor([1, 2, 3, 4], [1, 1, 2, 2]));
    expect(matrix.shape).toEqual([4, 9]);
    expect(Array.from(matrix.data)).toEqual([
      1, 2, 0, 3, 4, 0, 0, 0, 0, 0, 1, 2, 0, 3, 4, 0, 0, 0, 0, 0, 0, 1, 2, 0, 3, 4, 0, 0, 0, 0, 0, 1, 2, 0, 3, 4,
    ]);
  });
});

describe('the receptive-field strip', () => {
  it('reads 5 of the 9 cells of two layers with dilation 2 (gridding), and all 15 with dilation 1, 2, 4', async () => {
    const { pathCounts } = await import('../src/visualiser/paths');
    const gridded = pathCounts([
      { kernelSize: 3, dilation: 2 },
      { kernelSize: 3, dilation: 2 },
    ]);
    expect(Array.from(gridded.data)).toEqual([1, 0, 2, 0, 3, 0, 2, 0, 1]);
    const wavenet = pathCounts([1, 2, 4].map((dilation) => ({ kernelSize: 3, dilation })));
    expect(wavenet.data.length).toBe(15);
    expect(Array.from(wavenet.data).every((count) => count > 0)).toBe(true);
  });
});
