import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as core from '@convkit/core';

/** The TypeScript code blocks of a README, each run with `@convkit/core` in scope. */
function codeBlocks(path: URL): string[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
}

function run(source: string): void {
  const body = source.replace(
    /import\s*{([^}]*)}\s*from\s*'@convkit\/core(?:\/shape)?';/g,
    (_, names: string) => `const {${names}} = core;`,
  );
  const javascript = ts.transpileModule(body, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None },
  }).outputText;
  new Function('core', javascript)(core);
}

describe('the README examples run', () => {
  for (const [name, path] of [
    ['packages/core/README.md', new URL('../README.md', import.meta.url)],
    ['README.md', new URL('../../../README.md', import.meta.url)],
  ] as const) {
    it(`every code block of ${name} runs without error`, () => {
      const blocks = codeBlocks(path);
      expect(blocks.length).toBeGreaterThan(0);
      for (const block of blocks) run(block);
    });
  }
});
