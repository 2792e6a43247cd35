// Bundled for the browser by the packaging test, minified, as an app would ship it.
import { conv2d, tensor } from '@convkit/core';
import { createGpu } from '@convkit/gpu';

const input = tensor([1, 2, 3, 4], [1, 1, 2, 2]);
const weight = tensor([1, 1, 1, 1], [1, 1, 2, 2]);
const gpu = await createGpu({ mode: 'auto' });
const [cpu, device] = [conv2d(input, weight), await gpu.conv(input, weight)];
document.body.textContent = `${cpu.data[0]} ${device.data[0]} on ${gpu.mode}`;
