// Plain weights (uploaded on every call) against weights uploaded once with gpu.upload, on each
// Node backend, interleaved call by call so machine load hits both alike; medians of 9 calls each.
//   xvfb-run -a tsx --conditions=@convkit/source scripts/measure-upload.ts [mode ...]
import { createGpu, type GpuMode } from '@convkit/gpu';
import { mulberry32, randomTensor } from '@convkit/testkit';
import { interleavedMedians } from './interleaved.js';

const random = mulberry32(5);
const CASES = [
  { name: 'weight-heavy 3x3 256->256 on 7x7', input: [1, 256, 7, 7], weight: [256, 256, 3, 3] },
  { name: 'W3 pointwise 144->24 on 56x56', input: [1, 144, 56, 56], weight: [24, 144, 1, 1] },
].map((entry) => ({
  ...entry,
  inputTensor: randomTensor(random, entry.input),
  weightTensor: randomTensor(random, entry.weight),
}));
const RUNS = 9;

for (const mode of (process.argv.slice(2).length
  ? process.argv.slice(2)
  : ['cpu', 'webasm', 'headlessgl']) as GpuMode[]) {
  const gpu = await createGpu({ mode });
  for (const entry of CASES) {
    const uploaded = await gpu.upload(entry.weightTensor);
    const options = { padding: entry.weight[2] === 3 ? 1 : 0 };
    const plain = () => gpu.conv(entry.inputTensor, entry.weightTensor, options);
    const resident = () => gpu.conv(entry.inputTensor, uploaded, options);
    await plain();
    await resident();
    const { plain: before, resident: after } = await interleavedMedians(RUNS, { plain, resident });
    console.log(
      `${mode.padEnd(10)} ${entry.name.padEnd(36)} plain ${before.toFixed(2).padStart(8)} ms   uploaded once (${uploaded.resident ? 'resident' : 'host copy'}) ${after.toFixed(2).padStart(8)} ms   ${(before / after).toFixed(2)}x`,
    );
    uploaded.dispose();
  }
  await gpu.dispose();
}
