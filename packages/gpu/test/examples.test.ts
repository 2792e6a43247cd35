import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as core from '@convkit/core';
import * as gpu from '@convkit/gpu';
import * as gpuNode from '@convkit/gpu/node';
import { extractExamples, runExample, type DocExample } from '@convkit/testkit/node';

// The @example of every doc comment in gpu's sources, extracted and run (they ask for the 'cpu'
// mode), with the harness core's examples use: each must state a value it checks.
const all = extractExamples(fileURLToPath(new URL('../src/', import.meta.url)));

const hooks = {
  load: async (specifier: string, example: DocExample): Promise<Record<string, unknown>> => {
    if (specifier === '@convkit/core') return core as Record<string, unknown>;
    if (specifier === '@convkit/gpu') return gpu as Record<string, unknown>;
    if (!specifier.startsWith('.')) return (await import(specifier)) as Record<string, unknown>;
    // An internal helper's example imports it relative to its own file.
    const path = resolve(dirname(example.path), specifier.replace(/\.js$/, '.ts'));
    return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  },
  equal: (got: unknown, want: unknown, label: string) => expect(got, label).toEqual(want),
};

/** Examples of the Node entry that load Dawn (glibc 2.38+): they run where it loads and are skipped, visibly, elsewhere. */
const needsDawn = (example: DocExample) =>
  example.file === 'node.ts' && /installDawn\(\)|mode: 'webgpu'/.test(example.code);

async function dawnLoads(): Promise<boolean> {
  try {
    await gpuNode.installDawn();
    gpuNode.uninstallDawn();
    return true;
  } catch {
    return false;
  }
}

describe("the @example blocks of gpu's sources", () => {
  it("are found for every entry point of core's op table, on the Gpu interface", () => {
    const onGpu = all.filter((example) => example.file === 'create-gpu.ts');
    for (const op of core.OP_NAMES) {
      expect(
        onGpu.some((example) => example.code.includes(`gpu.${op}(`)),
        op,
      ).toBe(true);
    }
  });

  it.for(all.map((example) => [`${example.file}:${example.line}`, example] as const))(
    '%s runs and shows the values it claims',
    async ([, example], context) => {
      if (needsDawn(example) && !(await dawnLoads())) context.skip('Dawn does not load on this system');
      expect(await runExample(example, hooks)).toBeGreaterThan(0);
    },
  );
});
