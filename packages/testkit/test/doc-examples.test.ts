import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractExamples, instrumentExample, runExample } from '../src/node.js';

const fake = {
  double: (value: number) => 2 * value,
  refuse: () => {
    const error = new Error('refuse: no');
    error.name = 'ConvError';
    throw error;
  },
};
const hooks = {
  load: async () => fake,
  equal: (got: unknown, want: unknown, label: string) => expect(got, label).toEqual(want),
};
const example = (code: string) => ({ file: 'a.ts', path: 'a.ts', line: 3, code });

describe('the doc-example harness', () => {
  it('extracts the code of every @example block with its file and line', () => {
    const root = mkdtempSync(join(tmpdir(), 'examples-'));
    writeFileSync(
      join(root, 'a.ts'),
      "/**\n * Doubles.\n *\n * @example\n * ```ts\n * import { double } from 'x';\n * double(2); // 4\n * ```\n */\n",
    );
    expect(extractExamples(root)).toEqual([
      { file: 'a.ts', path: join(root, 'a.ts'), line: 4, code: "import { double } from 'x';\ndouble(2); // 4\n" },
    ]);
  });

  it('counts value claims on the same line or the next, and throws claims', () => {
    expect(
      instrumentExample('double(2); // 4\ndouble(3);\n// 6\nrefuse(); // throws ConvError: refuse: no').claims,
    ).toBe(3);
    expect(instrumentExample('double(2); // about four').claims).toBe(0);
  });

  it('checks every claim, awaits top-level await, and checks a documented message in full', async () => {
    const code =
      "import { double, refuse } from 'x';\nconst four = await Promise.resolve(double(2));\nfour; // 4\nrefuse(); // throws ConvError: refuse: no";
    expect(await runExample(example(code), hooks)).toBe(2);
    await expect(runExample(example("import { double } from 'x';\ndouble(2); // 5"), hooks)).rejects.toThrow(
      'a.ts:3: // 5',
    );
    await expect(
      runExample(example("import { refuse } from 'x';\nrefuse(); // throws ConvError: refuse: yes"), hooks),
    ).rejects.toThrow('a.ts:3: // throws ConvError: refuse: yes');
  });

  it('fails an example that runs but states nothing it checks', async () => {
    await expect(runExample(example("import { double } from 'x';\ndouble(2);"), hooks)).rejects.toThrow(
      "a.ts:3: the example states no value it checks (add a '// value' or '// throws' claim)",
    );
  });
});
