// Bundled for the browser by the packaging test, minified, as an app would ship it.
import { conv2d, tensor } from '@convkit/core';

const result = conv2d(tensor([1, 2, 3, 4], [1, 1, 2, 2]), tensor([1, 1, 1, 1], [1, 1, 2, 2]));
document.body.textContent = String(result.data[0]);
