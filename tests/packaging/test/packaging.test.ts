import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repository = fileURLToPath(new URL('../../../', import.meta.url));
const consumerSources = fileURLToPath(new URL('../consumer/', import.meta.url));
const packages = ['core', 'gpu'] as const;

let workDirectory = '';
let project = '';
const tarballs: Record<string, string> = {};

function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}:\n${failed.stdout ?? ''}\n${failed.stderr ?? failed.message}`,
    );
  }
}

beforeAll(() => {
  workDirectory = mkdtempSync(join(tmpdir(), 'convkit-packaging-'));
  for (const name of packages) {
    const packageDirectory = join(repository, 'packages', name);
    run('pnpm', ['pack', '--pack-destination', workDirectory], packageDirectory);
    const tarball = readdirSync(workDirectory).find((file) => file.startsWith(`convkit-${name}-`));
    if (!tarball) throw new Error(`pnpm pack wrote no convkit-${name}-*.tgz into ${workDirectory}`);
    tarballs[name] = join(workDirectory, tarball);
  }
  project = join(workDirectory, 'consumer');
  cpSync(consumerSources, project, { recursive: true });
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'convkit-consumer', private: true, type: 'module' }, null, 2),
  );
  run(
    'npm',
    // --ignore-scripts: gpu.js's optional native `gl` addon would compile for minutes; the consumer
    // checks run cpu mode, which does not need it (as a user without a GL build would).
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      ...packages.map((name) => tarballs[name]),
      'typescript@5.9.3',
      'esbuild@0.25',
    ],
    project,
  );
});

afterAll(() => {
  if (workDirectory) rmSync(workDirectory, { recursive: true, force: true });
});

describe('the packed packages, installed from their tarballs into a fresh project', () => {
  it('ship only dist, README, CHANGELOG, LICENSE and package.json', () => {
    for (const name of packages) {
      const listing = run('tar', ['-tzf', tarballs[name]], workDirectory).trim().split('\n');
      const topLevel = new Set(listing.map((path) => path.replace(/^package\//, '').split('/')[0]));
      expect([...topLevel].sort(), name).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'dist', 'package.json']);
      console.log(
        `tarball @convkit/${name}: ${(statSync(tarballs[name]).size / 1024).toFixed(1)} KiB, ${listing.length} files`,
      );
    }
  });

  it('work from a Node ES module', () => {
    expect(run('node', ['esm-check.mjs'], project)).toContain('esm consumer ok');
  });

  it('work from CommonJS require()', () => {
    expect(run('node', ['cjs-check.cjs'], project)).toContain('cjs consumer ok');
  });

  it('type-check a strict TypeScript consumer against the shipped .d.ts, under node16 and bundler resolution', () => {
    for (const [module, moduleResolution] of [
      ['node16', 'node16'],
      ['esnext', 'bundler'],
    ]) {
      run(
        join(project, 'node_modules/.bin/tsc'),
        [
          '--noEmit',
          '--strict',
          '--skipLibCheck',
          'false',
          '--target',
          'es2022',
          '--lib',
          'es2022,dom',
          '--module',
          module,
          '--moduleResolution',
          moduleResolution,
          'typed.ts',
        ],
        project,
      );
    }
  });

  it('run gpu kernels from Node (cpu and webasm modes)', () => {
    expect(run('node', ['gpu-check.mjs'], project)).toContain('gpu consumer ok');
  });

  it('bundle for the browser with esbuild, minified', () => {
    run(
      join(project, 'node_modules/.bin/esbuild'),
      [
        'browser-entry.mjs',
        '--bundle',
        '--minify',
        '--format=esm',
        '--platform=browser',
        '--external:gl',
        '--external:webgpu',
        '--outfile=out/browser.js',
      ],
      project,
    );
    expect(statSync(join(project, 'out/browser.js')).size).toBeGreaterThan(1000);
  });

  it('keep the gpu kernels working through a minifying bundle', () => {
    run(
      join(project, 'node_modules/.bin/esbuild'),
      [
        'gpu-check.mjs',
        '--bundle',
        '--minify',
        '--format=esm',
        '--platform=node',
        '--external:gl',
        '--external:webgpu',
        '--outfile=out/gpu-check.min.mjs',
      ],
      project,
    );
    expect(run('node', ['out/gpu-check.min.mjs'], project)).toContain('gpu consumer ok');
  });

  it('pass publint and Are the Types Wrong', () => {
    for (const name of packages) {
      const packageDirectory = join(repository, 'packages', name);
      expect(run(join(repository, 'node_modules/.bin/publint'), ['--strict'], packageDirectory)).toContain('All good');
      run(join(repository, 'node_modules/.bin/attw'), ['--pack', '.', '--profile', 'node16'], packageDirectory);
    }
  });
});
