import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const BENCH_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** What a `--tiny` run of a bench entry point left behind. */
export interface TinyRun {
  readonly child: SpawnSyncReturns<string>;
  /** Where the run was told to write its results (a fresh temporary folder). */
  readonly out: string;
  /** Asserts the run exited 0 and wrote its results to `out`, leaving the committed results file alone. */
  readonly expectWroteOnlyItsOut: () => void;
  /** The results the run wrote, parsed. */
  readonly results: <Results>() => Results;
}

/**
 * Runs `script` (a bench entry point under `src/`) with `--tiny --out <temp>/<outName>` from the
 * workspace sources, as `pnpm bench --tiny` does, and remembers the time of `results/<committed>`
 * first so a test can check the run never wrote over it.
 */
export function runTiny({
  script,
  flags = [],
  outName,
  committed,
}: {
  script: string;
  /** Flags before `--tiny` (`--cpu`). */
  flags?: string[];
  outName: string;
  committed: string;
}): TinyRun {
  const out = join(mkdtempSync(join(tmpdir(), 'convkit-bench-')), outName);
  const committedPath = join(BENCH_ROOT, 'results', committed);
  const modifiedTime = () => (existsSync(committedPath) ? statSync(committedPath).mtimeMs : undefined);
  const before = modifiedTime();
  const child = spawnSync(
    process.execPath,
    ['--conditions=@convkit/source', '--import', 'tsx', script, ...flags, '--tiny', '--out', out],
    { cwd: BENCH_ROOT, encoding: 'utf8', timeout: 170_000 },
  );
  return {
    child,
    out,
    expectWroteOnlyItsOut: () => {
      expect(child.status, child.stderr.slice(-2000)).toBe(0);
      expect(existsSync(out)).toBe(true);
      expect(modifiedTime(), `results/${committed} was written`).toBe(before);
    },
    results: <Results>() => JSON.parse(readFileSync(out, 'utf8')) as Results,
  };
}
