import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/**
 * The `@example` blocks of a source tree, run as programs. A statement followed by a comment
 * holding a literal (`conv(...).data; // Float32Array [1, 2]`, `sizeOf([2, 3]); // 6`, on the same
 * line or the next) is a value claim and is checked; a comment `// throws ConvError: <message>`
 * claims the statement throws that error with that full message. An example with no claim fails:
 * an example that checks nothing would rot unseen.
 */
export interface DocExample {
  /** Path of the source file, relative to the root it was read from. */
  readonly file: string;
  /** Absolute path of the source file, to resolve the example's relative imports. */
  readonly path: string;
  /** 1-based line of the `@example` tag. */
  readonly line: number;
  readonly code: string;
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory)
    .sort()
    .flatMap((name) => {
      const path = join(directory, name);
      return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
    });
}

const EXAMPLE_BLOCK = /@example\s*\n((?:\s*\*.*\n)*?)\s*\*\/?\s*```ts\n((?:\s*\*.*\n)*?)\s*\*\s*```/g;

/** Every `@example` code block of the `.ts` files under `root` (recursively), in file order. */
export function extractExamples(root: string): DocExample[] {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return sourceFiles(root).flatMap((path) => {
    const text = readFileSync(path, 'utf8');
    return [...text.matchAll(EXAMPLE_BLOCK)].map((match) => ({
      file: path.slice(prefix.length),
      path,
      line: text.slice(0, match.index).split('\n').length,
      code: match[2]
        .split('\n')
        .map((line) => line.replace(/^\s*\* ?/, ''))
        .join('\n'),
    }));
  });
}

/** The value a claim comment states, or `ok: false` when the comment is prose, not a literal. */
export function claimedValue(text: string): { ok: true; value: unknown } | { ok: false } {
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

const THROWS = /^throws\s+(\w+)(?::\s*(.*))?$/;

/** The example's code with every claim turned into a check call; `claims` counts them. */
export function instrumentExample(code: string): { program: string; claims: number } {
  const lines = code.split('\n');
  const out: string[] = [];
  let claims = 0;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const inline = /^(?!const |let |import |\/\/)(.+);\s*\/\/\s*(.+)$/.exec(line);
    const next = /^\/\/\s*(.+)$/.exec(lines[index + 1] ?? '');
    const statement = inline ? inline[1] : /^(?!const |let |import |\/\/)(.+);\s*$/.exec(line)?.[1];
    const comment = inline ? inline[2] : statement && next ? next[1] : undefined;
    if (statement && comment) {
      const throws = THROWS.exec(comment);
      if (throws) {
        out.push(
          `await __throws(async () => { ${statement}; }, ${JSON.stringify(throws[1])}, ${JSON.stringify(throws[2])});`,
        );
        claims++;
        continue;
      }
      if (claimedValue(comment).ok) {
        out.push(`__check(${statement}, ${JSON.stringify(comment)});`);
        claims++;
        continue;
      }
    }
    out.push(line);
  }
  return { program: out.join('\n'), claims };
}

export interface ExampleHooks {
  /** The module an import of `specifier` in `example` gives (a package name, or a path relative to the file). */
  load(specifier: string, example: DocExample): Promise<Record<string, unknown>>;
  /** Asserts `got` equals `want` (the test framework's deep equality), naming the claim in `label`. */
  equal(got: unknown, want: unknown, label: string): void;
}

function normalise(value: unknown): unknown {
  return ArrayBuffer.isView(value) ? Array.from(value as Float32Array) : value;
}

/**
 * Runs one example (its imports through `hooks.load`, top-level `await` allowed) and checks every
 * claim through `hooks.equal`; returns the number of claims checked. Throws when the example
 * states no claim (after running it, so it still must run).
 */
export async function runExample(example: DocExample, hooks: ExampleHooks): Promise<number> {
  const { program, claims } = instrumentExample(example.code);
  const where = `${example.file}:${example.line}`;
  const specifiers: string[] = [];
  const body = program.replace(
    /import\s+(type\s+)?{([^}]*)}\s*from\s*'([^']+)';/g,
    (_, typeOnly: string | undefined, names: string, specifier: string) => {
      if (typeOnly) return '';
      specifiers.push(specifier);
      const values = names
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '' && !name.startsWith('type '));
      return `const {${values.join(', ')}} = __modules[${specifiers.length - 1}];`;
    },
  );
  const javascript = ts.transpileModule(`(async () => {\n${body}\n})`, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None },
  }).outputText;
  const modules = await Promise.all(specifiers.map((specifier) => hooks.load(specifier, example)));
  const check = (got: unknown, comment: string) => {
    const claimed = claimedValue(comment);
    if (claimed.ok) hooks.equal(normalise(got), claimed.value, `${where}: // ${comment}`);
  };
  const throws = async (call: () => Promise<void>, errorName: string, message: string | undefined) => {
    let thrown: unknown;
    try {
      await call();
    } catch (error) {
      thrown = error;
    }
    const label = `${where}: // throws ${errorName}${message === undefined ? '' : `: ${message}`}`;
    hooks.equal(thrown instanceof Error ? thrown.name : 'nothing thrown', errorName, label);
    if (message !== undefined) hooks.equal((thrown as Error).message, message, label);
  };
  const start = new Function('__modules', '__check', '__throws', `return ${javascript}`)(
    modules,
    check,
    throws,
  ) as () => Promise<void>;
  await start();
  // Run first, so a silent example still proves it runs; then fail it for checking nothing.
  if (claims === 0) {
    throw new Error(`${where}: the example states no value it checks (add a '// value' or '// throws' claim)`);
  }
  return claims;
}
