import { type ConvInfo, type Padding, toOnnxConvAttributes } from '@convkit/core';
import type { VisualiserSettings } from './geometry';

/** The same convolution as calls in convkit, PyTorch and ONNX, for the "as code" panel. */
export interface CodeSnippets {
  convkit: string;
  pytorch: string;
  onnx: string;
}

function pair(values: readonly number[]): string {
  return values[0] === values[1] ? String(values[0]) : `(${values.join(', ')})`;
}

function literal(padding: Padding): string {
  return typeof padding === 'string' ? `'${padding}'` : JSON.stringify(padding).replace(/,/g, ', ');
}

/**
 * Writes the settings as code for each framework. Sizes and the resolved padding come from the
 * `ConvInfo` record, so the PyTorch form of ONNX's SAME_UPPER is the explicit pad core computed.
 */
export function codeSnippets(
  settings: VisualiserSettings,
  info: ConvInfo,
  padding: Padding,
  weightShape: readonly number[],
): CodeSnippets {
  const { transposed, stride, dilation, groups, inChannels, outChannels, kernelHeight, kernelWidth } = settings;
  const op = transposed ? 'convTranspose2d' : 'conv2d';
  const options = [
    stride !== 1 && `stride: ${stride}`,
    `padding: ${literal(padding)}`,
    dilation !== 1 && `dilation: ${dilation}`,
    groups !== 1 && `groups: ${groups}`,
    transposed && settings.outputPadding !== 0 && `outputPadding: ${settings.outputPadding}`,
  ].filter(Boolean);
  const convkit = [
    `import { ${op}, tensor } from '@convkit/core';`,
    `const x = tensor(data, [${info.inputShape.join(', ')}]);`,
    `const w = tensor(weights, [${weightShape.join(', ')}]);`,
    `const y = ${op}(x, w, { ${options.join(', ')} }); // [${info.outputShape.join(', ')}]`,
  ].join('\n');

  const [top, left] = info.padBegin;
  const [bottom, right] = info.padEnd;
  const symmetric = top === bottom && left === right;
  const kernel = pair([kernelHeight, kernelWidth]);
  const common = `kernel_size=${kernel}, stride=${stride}, dilation=${dilation}, groups=${groups}, bias=False`;
  let pytorch: string;
  if (!transposed) {
    const torchPadding = padding === 'same' ? `'same'` : symmetric ? pair([top, left]) : '0';
    pytorch = [
      'import torch, torch.nn.functional as F',
      `conv = torch.nn.Conv2d(${inChannels}, ${outChannels}, ${common}, padding=${torchPadding})`,
      symmetric || padding === 'same'
        ? `y = conv(x)  # x [${info.inputShape.join(', ')}] -> y [${info.outputShape.join(', ')}]`
        : `y = conv(F.pad(x, (${left}, ${right}, ${top}, ${bottom})))  # asymmetric: pad first (left, right, top, bottom)`,
    ].join('\n');
  } else {
    const outputPadding = settings.outputPadding;
    pytorch = symmetric
      ? [
          'import torch',
          `deconv = torch.nn.ConvTranspose2d(${inChannels}, ${outChannels}, ${common}, padding=${pair([top, left])}, output_padding=${outputPadding})`,
          `y = deconv(x)  # x [${info.inputShape.join(', ')}] -> y [${info.outputShape.join(', ')}]`,
        ].join('\n')
      : [
          'import torch',
          `deconv = torch.nn.ConvTranspose2d(${inChannels}, ${outChannels}, ${common}, padding=0, output_padding=${outputPadding})`,
          `y = deconv(x)[..., ${top}:${top + info.outSize[0]}, ${left}:${left + info.outSize[1]}]  # asymmetric: crop after`,
        ].join('\n');
  }

  const onnxOp = transposed ? 'ConvTranspose' : 'Conv';
  // Core's inverse of fromOnnx*: explicit pads as core resolved them, or auto_pad for ONNX's same modes.
  const attributes = Object.entries(toOnnxConvAttributes(info, { padding })).map(([name, value]) =>
    Array.isArray(value)
      ? `${name}=[${value.join(', ')}]`
      : typeof value === 'string'
        ? `${name}='${value}'`
        : `${name}=${value}`,
  );
  const onnx = [
    'from onnx import helper',
    `node = helper.make_node('${onnxOp}', ['x', 'w'], ['y'],`,
    `    ${attributes.join(', ')})`,
    `# pads are [top, left, bottom, right]; y is [${info.outputShape.join(', ')}]`,
  ].join('\n');
  return { convkit, pytorch, onnx };
}
