import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as core from '@convkit/core';
import { conv, convTranspose, type ConvAlgorithm, type ConvOptions, type ConvTransposeOptions } from '@convkit/core';
import { CPU_TOLERANCE, EXACT, compareTensors } from '@convkit/testkit';
import { CONFORMANCE_FOLDERS, indexedCaseCounts, loadConformanceCases } from '@convkit/testkit/node';
import { type CpuKernelPath, forceCpuKernelPath } from '../src/algorithms/wasm-kernels.js';

// Core's own ONNX adapters map the ONNX vectors' attributes: the vectors test them too.
const cases = loadConformanceCases(core);

describe('the shared conformance vectors', () => {
  it('are all loaded: every folder, as many cases as its index lists', () => {
    const counts = indexedCaseCounts();
    for (const folder of CONFORMANCE_FOLDERS) {
      expect(cases.filter((entry) => entry.id.startsWith(`${folder}/`)).length, folder).toBe(counts[folder]);
    }
    expect(cases.length).toBe(190);
  });

  // 'auto' on every kernel path (relaxed SIMD, the SIMD128 fallback, scalar), and the reference loop.
  const runs: { algorithm: ConvAlgorithm; path: CpuKernelPath | 'auto'; label: string }[] = [
    { algorithm: 'auto', path: 'relaxed-simd', label: "algorithm 'auto' on the relaxed-SIMD kernels" },
    { algorithm: 'auto', path: 'simd128', label: "algorithm 'auto' on the SIMD128 kernels" },
    { algorithm: 'auto', path: 'scalar', label: "algorithm 'auto' on the scalar kernels" },
    { algorithm: 'direct', path: 'auto', label: "algorithm 'direct'" },
  ];
  for (const { algorithm, path, label } of runs) {
    describe(`with ${label}`, () => {
      beforeAll(() => forceCpuKernelPath(path));
      afterAll(() => forceCpuKernelPath('auto'));
      it.each(cases.map((entry) => [entry.id, entry] as const))('%s matches the third-party output', (_, entry) => {
        const options = { ...entry.options, algorithm };
        const got =
          entry.kind === 'conv'
            ? conv(entry.input, entry.weight, options as ConvOptions)
            : convTranspose(entry.input, entry.weight, options as ConvTransposeOptions);
        const comparison = compareTensors(got, entry.expected, entry.exact ? EXACT : CPU_TOLERANCE);
        expect(comparison.ok, comparison.message).toBe(true);
      });
    });
  }
});
