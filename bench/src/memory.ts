import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface MemoryReport {
  readonly baselineRssMiB: number;
  readonly peakRssMiB: number;
}

const CHILD = fileURLToPath(new URL('./memory-child.ts', import.meta.url));
const BENCH_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Peak RSS of one engine, measured in a fresh child process that loads only that engine and runs
 * each workload once, so engines never share (or inflate) each other's heaps.
 */
export function measureEngineMemory(
  engineName: string,
  workloadIds: readonly string[],
  tiny: boolean,
): Promise<MemoryReport> {
  const args = [
    '--conditions=@convkit/source',
    '--import',
    'tsx',
    CHILD,
    '--engine',
    engineName,
    '--workloads',
    workloadIds.join(','),
  ];
  if (tiny) args.push('--tiny');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: BENCH_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as MemoryReport);
      else
        reject(
          new Error(
            `memory child for ${engineName} exited ${code}: ${(stderr || stdout).trim().split('\n').slice(-3).join(' | ')}`,
          ),
        );
    });
  });
}
