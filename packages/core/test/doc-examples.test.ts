import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as core from '@convkit/core';
import { extractExamples, runExample } from '@convkit/testkit/node';

// Every `@example` of the sources runs, and each must state a value (or a thrown message) that is checked.
const all = extractExamples(fileURLToPath(new URL('../src/', import.meta.url)));

const hooks = {
  load: async (specifier: string) => {
    if (specifier === '@convkit/core' || specifier === '@convkit/core/shape') return core as Record<string, unknown>;
    throw new Error(`a core example imports '${specifier}'; examples show the public API only`);
  },
  equal: (got: unknown, want: unknown, label: string) => expect(got, label).toEqual(want),
};

describe('the @example blocks of the sources', () => {
  it('are found in every op file', () => {
    expect(all.length).toBeGreaterThan(40);
  });

  it.each(all.map((example) => [`${example.file}:${example.line}`, example] as const))(
    '%s runs and shows the values it claims',
    async (_where, example) => {
      expect(await runExample(example, hooks)).toBeGreaterThan(0);
    },
  );

  /** A one-file example of `code`, as the extractor would hand it over. */
  const exampleOf = (file: string, code: string) => ({ file, path: file, line: 1, code });

  it('fail an example that states nothing it checks', async () => {
    const silent = exampleOf('silent.ts', "import { sizeOf } from '@convkit/core';\nsizeOf([2, 3]);\n");
    await expect(runExample(silent, hooks)).rejects.toThrow(
      "silent.ts:1: the example states no value it checks (add a '// value' or '// throws' claim)",
    );
  });

  it('fail an example whose documented error message is not the one thrown', async () => {
    const wrong = exampleOf(
      'wrong.ts',
      "import { tensor } from '@convkit/core';\ntensor([1], [2]); // throws ConvError: tensor: something else\n",
    );
    await expect(runExample(wrong, hooks)).rejects.toThrow('wrong.ts:1: // throws ConvError: tensor: something else');
  });
});
