import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as core from '@convkit/core';

/**
 * Runs every `@example` of the sources. A statement followed by a comment holding a literal
 * (`conv(...).data; // Float32Array [1, 2]`, `sizeOf([2, 3]); // 6`, on the same line or the
 * next) is checked against it; a comment starting with `throws` expects the statement to throw.
 */
const sourceRoot = fileURLToPath(new URL('../src/', import.meta.url));

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

interface Example {
  file: string;
  code: string;
}

function examples(): Example[] {
  return sourceFiles(sourceRoot).flatMap((file) =>
    [
      ...readFileSync(file, 'utf8').matchAll(
        /@example\s*\n((?:\s*\*.*\n)*?)\s*\*\/?\s*```ts\n((?:\s*\*.*\n)*?)\s*\*\s*```/g,
      ),
    ].map((match) => ({
      file: file.slice(sourceRoot.length),
      code: match[2]
        .split('\n')
        .map((line) => line.replace(/^\s*\* ?/, ''))
        .join('\n'),
    })),
  );
}

function literal(text: string): { ok: true; value: unknown } | { ok: false } {
  const typed = /^Float32Array \[(.*)\]/.exec(text);
  const source = typed
    ? `[${typed[1]}]`
    : text.replace(/\s*\(.*\)$/, '').replace(/:.*$/, (rest) => (text.trim().startsWith('{') ? rest : ''));
  try {
    return { ok: true, value: new Function(`return (${source});`)() };
  } catch {
    return { ok: false };
  }
}

function normalise(value: unknown): unknown {
  return ArrayBuffer.isView(value) ? Array.from(value as Float32Array) : value;
}

function instrument(code: string): { program: string; checks: number } {
  const lines = code.split('\n');
  const out: string[] = [];
  let checks = 0;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const inline = /^(?!const |let |import |\/\/)(.+);\s*\/\/\s*(.+)$/.exec(line);
    const next = /^\/\/\s*(.+)$/.exec(lines[index + 1] ?? '');
    const statement = inline ? inline[1] : /^(?!const |let |import |\/\/)(.+);\s*$/.exec(line)?.[1];
    const comment = inline ? inline[2] : statement && next ? next[1] : undefined;
    if (statement && comment) {
      if (comment.startsWith('throws')) {
        out.push(`__throws(() => { ${statement}; });`);
        checks++;
        continue;
      }
      const expected = literal(comment);
      if (expected.ok) {
        out.push(`__check(${statement}, ${JSON.stringify(comment)});`);
        checks++;
        continue;
      }
    }
    out.push(line);
  }
  return { program: out.join('\n'), checks };
}

/** The constructor of async functions, for examples that `await` (a thread pool starts asynchronously). */
const AsyncFunction = (async () => {}).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<void>;

async function run(example: Example): Promise<number> {
  const { program, checks } = instrument(example.code);
  const body = program.replace(
    /import\s+(type\s+)?{([^}]*)}\s*from\s*'@convkit\/core(?:\/shape)?';/g,
    (_, typeOnly: string | undefined, names: string) =>
      typeOnly ? '' : `const {${names.replace(/\btype\s+\w+,?/g, '')}} = core;`,
  );
  const javascript = ts.transpileModule(body, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None },
  }).outputText;
  const check = (got: unknown, comment: string) => {
    const expected = literal(comment);
    if (expected.ok) expect(normalise(got), `${example.file}: // ${comment}`).toEqual(expected.value);
  };
  const throws = (call: () => void) => expect(call, example.file).toThrow(core.ConvError);
  await new AsyncFunction('core', '__check', '__throws', javascript)(core, check, throws);
  return checks;
}

describe('the @example blocks of the sources', () => {
  const all = examples();

  it('are found in every op file', () => {
    expect(all.length).toBeGreaterThan(40);
  });

  it.each(all.map((example) => [example.file, example] as const))(
    '%s runs and shows the values it claims',
    async (_, example) => {
      await run(example);
    },
  );

  it('check a value in most examples', async () => {
    const counts: number[] = [];
    for (const example of all) counts.push(await run(example));
    const checked = counts.filter((count) => count > 0).length;
    console.log(`${checked} of ${all.length} examples check ${counts.reduce((a, b) => a + b, 0)} values`);
    expect(checked).toBeGreaterThan(all.length / 2);
  });
});
