// Rough timings of one conv2d on each Node backend against core, warm (second call of a shape).
//   xvfb-run -a tsx --conditions=@convkit/source scripts/measure.ts
import * as core from '@convkit/core';
import { createGpu, type GpuMode } from '@convkit/gpu';
import { mulberry32, randomTensor } from '@convkit/testkit';

const random = mulberry32(1);
const input = randomTensor(random, [1, 16, 64, 64]);
const weight = randomTensor(random, [32, 16, 3, 3]);
const options = { padding: 1 };

async function time(label: string, work: () => unknown): Promise<void> {
  await work();
  const started = performance.now();
  const runs = 3;
  for (let run = 0; run < runs; run++) await work();
  console.log(
    `${label}: ${((performance.now() - started) / runs).toFixed(1)} ms per conv2d [1,16,64,64] x [32,16,3,3]`,
  );
}

await time('core (auto)', () => core.conv(input, weight, options));
for (const mode of (process.argv.slice(2).length
  ? process.argv.slice(2)
  : ['cpu', 'webasm', 'headlessgl']) as GpuMode[]) {
  const gpu = await createGpu({ mode });
  await time(`gpu ${gpu.mode} (${gpu.renderer})`, () => gpu.conv(input, weight, options));
  await gpu.dispose();
}
