import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { convInfo, convMacs, convOutputShape, convParams, convTranspose, receptiveField, tensor } from '@convkit/core';
import { describe, expect, it } from 'vitest';

/**
 * The numbers typed into the MDX prose, read back from the pages and checked against core's count
 * functions (the site's footer says every number comes from core). Each claim names its page, a
 * pattern whose capture groups are the numbers as printed, and core's values for them in order.
 */
interface NumberClaim {
  readonly page: string;
  readonly pattern: RegExp;
  readonly core: () => readonly number[];
}

const pagesRoot = fileURLToPath(new URL('../../../docs/', import.meta.url));
const last = (sizes: { size: number }[]) => sizes.map((step) => step.size);
const separable16to32 = { kind: 'separable', inChannels: 16, outChannels: 32, kernelSize: 3 } as const;

const CLAIMS: readonly NumberClaim[] = [
  {
    page: 'types/standard.mdx',
    pattern:
      /3×3 kernel, padding 1, stride 1: `\(5 \+ 2 − 2 − 1\) \/ 1 \+ 1 = (\d+)`\. With stride 2: `floor\(4 \/ 2\) \+ 1 = (\d+)`/,
    core: () => [
      convOutputShape([1, 1, 5, 5], [1, 1, 3, 3], { padding: 1 })[2],
      convOutputShape([1, 1, 5, 5], [1, 1, 3, 3], { padding: 1, stride: 2 })[2],
    ],
  },
  {
    page: 'types/standard.mdx',
    pattern: /\*\*32 · 16 · 3 · 3 = (\d+)\*\* weights/,
    core: () => [convParams({ inChannels: 16, outChannels: 32, kernelSize: 3 })],
  },
  {
    page: 'types/standard.mdx',
    pattern: /56×56\s+input with padding 1 that is 4608 · 56 · 56 = ([\d,]+)/,
    core: () => [convMacs({ inChannels: 16, outChannels: 32, kernelSize: 3, padding: 1, inputSize: [56, 56] })],
  },
  {
    page: 'types/dilated.mdx',
    pattern: /7×7 input, 3×3 kernel, dilation 2, no padding: effective size (\d+), output `7 − 5 \+ 1 = (\d+)`/,
    core: () => {
      const info = convInfo([1, 1, 7, 7], [1, 1, 3, 3], { dilation: 2 });
      return [info.effectiveKernelSize[0], info.outSize[0]];
    },
  },
  {
    page: 'types/group.mdx',
    pattern: /256→256 has 256 · 256 · 9 = ([\d,]+) weights; with \*\*8 groups\*\*, 256 · 32 · 9 = \*\*([\d,]+)\*\*/,
    core: () => [
      convParams({ inChannels: 256, outChannels: 256, kernelSize: 3 }),
      convParams({ inChannels: 256, outChannels: 256, kernelSize: 3, groups: 8 }),
    ],
  },
  {
    page: 'types/depthwise-separable.mdx',
    pattern:
      /\| standard \| 32 · 16 · 3 · 3 = \*\*(\d+)\*\* \|\n\| depthwise 3×3 \| 16 · 3 · 3 = (\d+) \|\n\| pointwise 16→32 \| 32 · 16 = (\d+) \|\n\| depthwise-separable \| 144 \+ 512 = \*\*(\d+)\*\* \|/,
    core: () => [
      convParams({ inChannels: 16, outChannels: 32, kernelSize: 3 }),
      convParams({ kind: 'depthwise', inChannels: 16, kernelSize: 3 }),
      convParams({ kind: 'pointwise', inChannels: 16, outChannels: 32 }),
      convParams(separable16to32),
    ],
  },
  {
    page: 'types/depthwise-separable.mdx',
    pattern: /it is (\d+), (seven) times (\d+)\./,
    core: () => {
      const standard = convParams({ inChannels: 16, outChannels: 32, kernelSize: 3 });
      const separable = convParams(separable16to32);
      return [standard, Math.floor(standard / separable), separable];
    },
  },
  {
    page: 'types/depthwise-separable.mdx',
    pattern: /1\/32 \+ 1\/9 ≈ (0\.\d+)`: (\d+) times fewer weights/,
    core: () => {
      const ratio = convParams(separable16to32) / convParams({ inChannels: 16, outChannels: 32, kernelSize: 3 });
      return [Math.round(ratio * 1000) / 1000, Math.floor(1 / ratio)];
    },
  },
  {
    page: 'types/depthwise.mdx',
    pattern: /\*\*16 · 9 = (\d+)\*\*\s+weights, where a standard 3×3 convolution 16→16 has (\d+)/,
    core: () => [
      convParams({ kind: 'depthwise', inChannels: 16, kernelSize: 3 }),
      convParams({ inChannels: 16, outChannels: 16, kernelSize: 3 }),
    ],
  },
  {
    page: 'types/pointwise.mdx',
    pattern: /From 16 to 32 channels: \*\*(\d+)\*\* weights, against (\d+) for a 3×3 kernel/,
    core: () => [
      convParams({ kind: 'pointwise', inChannels: 16, outChannels: 32 }),
      convParams({ inChannels: 16, outChannels: 32, kernelSize: 3 }),
    ],
  },
  {
    page: 'concepts/receptive-field.mdx',
    pattern: /dilation 1, 2, 4 \(stride 1\): `1 \+ 2 = (\d+)`, `3 \+ 4 = (\d+)`, `7 \+ 8 = (\d+)`/,
    core: () => last(receptiveField([1, 2, 4].map((dilation) => ({ kernelSize: 3, dilation })))),
  },
  {
    page: 'concepts/receptive-field.mdx',
    pattern: /dilation 2 then 2: `1 \+ 4 = (\d+)`, then `5 \+ 4 = (\d+)`\. \*\*(Nine)\*\*, not the (\d+)/,
    core: () => [
      ...last(receptiveField([2, 2].map((dilation) => ({ kernelSize: 3, dilation })))),
      last(receptiveField([2, 2].map((dilation) => ({ kernelSize: 3, dilation })))).at(-1) ?? 0,
      last(receptiveField([2, 4].map((dilation) => ({ kernelSize: 3, dilation })))).at(-1) ?? 0,
    ],
  },
  {
    page: 'concepts/checkerboard.mdx',
    pattern:
      /3×3 kernel and stride 2,\s+every other row and column is covered twice and their crossings four times: the counts (\d), (\d), (\d)/,
    core: () => {
      // Ones through a 3x3 kernel of ones at stride 2: the interior counts are 1 (corners of a patch), 2 and 4.
      const counts = convTranspose(
        tensor(new Array(9).fill(1), [1, 1, 3, 3]),
        tensor(new Array(9).fill(1), [1, 1, 3, 3]),
        {
          stride: 2,
        },
      );
      return [...new Set(Array.from(counts.data))].sort((a, b) => a - b);
    },
  },
];

const WORDS: Record<string, number> = { seven: 7, Nine: 9 };

function printed(text: string): number {
  return WORDS[text] ?? Number(text.replace(/,/g, ''));
}

describe('the numbers typed into the MDX pages', () => {
  it.each(CLAIMS.map((claim) => [`${claim.page}: ${claim.pattern.source.slice(0, 60)}`, claim] as const))(
    '%s… matches core',
    (_, claim) => {
      const page = readFileSync(`${pagesRoot}${claim.page}`, 'utf8');
      const match = claim.pattern.exec(page);
      expect(match, `${claim.page} no longer has the sentence ${claim.pattern}`).not.toBeNull();
      expect(match?.slice(1).map(printed)).toEqual(claim.core());
    },
  );
});
