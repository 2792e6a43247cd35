import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every export of the package's entry points, followed to its declaration, with its doc comment.
 * The API reference of the docs site is generated from these comments, so each must exist and
 * carry a runnable `@example`.
 */
function exportedDocs(entries: string[]): { name: string; hasComment: boolean; hasExample: boolean }[] {
  const program = ts.createProgram(entries, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const seen = new Map<string, { name: string; hasComment: boolean; hasExample: boolean }>();
  for (const entry of entries) {
    const source = program.getSourceFile(entry);
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`the TypeScript program has no module for ${entry}`);
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const documentation = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
      const tags = symbol.getJsDocTags(checker);
      seen.set(exported.name, {
        name: exported.name,
        hasComment: documentation.length > 0,
        hasExample: tags.some((tag) => tag.name === 'example'),
      });
    }
  }
  return [...seen.values()];
}

const entries = [
  fileURLToPath(new URL('../src/index.ts', import.meta.url)),
  fileURLToPath(new URL('../src/shape/index.ts', import.meta.url)),
];

describe('the public API documentation', () => {
  const docs = exportedDocs(entries);

  it('documents every export of @convkit/core and @convkit/core/shape', () => {
    expect(docs.length).toBeGreaterThan(30);
    expect(docs.filter((doc) => !doc.hasComment).map((doc) => doc.name)).toEqual([]);
  });

  it('gives every export an @example', () => {
    expect(docs.filter((doc) => !doc.hasExample).map((doc) => doc.name)).toEqual([]);
  });
});
