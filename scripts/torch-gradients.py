#!/usr/bin/env python3
"""Generates fixtures/gradients/: gradients of convolutions computed by PyTorch's autograd.

Run with Debian's PyTorch 1.13.1 (`apt-get install -y python3-torch`, then
`/usr/bin/python3 scripts/torch-gradients.py`). CI never runs this script: it reads the
committed JSON. Every case holds float32-representable inputs, weights and upstream gradients,
the forward options in convkit's names, and the gradients of L = sum(y * gradOutput) with respect
to input, weight and bias, evaluated by PyTorch in float64.

Padding forms PyTorch has no option for are expressed through PyTorch's own ops, so that the
gradients still come from its autograd: asymmetric pairs and ONNX's same_upper/same_lower as
F.pad before the convolution (or a crop after a transposed one), padding modes as F.pad with that
mode (which is how torch.nn.Conv*d implements padding_mode), PyTorch's output_size through
torch.nn.ConvTranspose*d.forward(x, output_size).
"""
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'gradients')

CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
CONV_T_MODULE = {1: torch.nn.ConvTranspose1d, 2: torch.nn.ConvTranspose2d, 3: torch.nn.ConvTranspose3d}


def values(generator, shape, integer):
    if integer:
        return torch.randint(-3, 4, shape, generator=generator).to(torch.float64)
    # float32 values, held exactly in float64
    return (torch.rand(shape, generator=generator, dtype=torch.float32) * 2 - 1).to(torch.float64)


def torch_pad_list(pairs):
    """F.pad wants the last dim first: (w_begin, w_end, h_begin, h_end, ...)."""
    flat = []
    for begin, end in reversed(pairs):
        flat += [begin, end]
    return flat


def same_pairs(kind, in_size, kernel, stride, dilation):
    """ONNX's SAME_UPPER/SAME_LOWER for a convolution: output = ceil(in / stride)."""
    pairs = []
    for extent, k, s, d in zip(in_size, kernel, stride, dilation):
        out = math.ceil(extent / s)
        total = max(0, (out - 1) * s + d * (k - 1) + 1 - extent)
        half = total // 2
        begin = total - half if kind == 'same_lower' else half
        pairs.append([begin, total - begin])
    return pairs


def conv_forward(spec, x, w, b):
    rank = spec['rank']
    o = spec['options']
    stride, dilation, groups = o['stride'], o['dilation'], o['groups']
    padding = o.get('padding', 0)
    mode = o.get('paddingMode', 'zeros')
    if padding == 'same' or padding == 'valid':
        if mode != 'zeros':
            raise ValueError('string padding with a mode is not generated')
        return CONV[rank](x, w, b, stride=stride, padding=padding, dilation=dilation, groups=groups)
    if padding in ('same_upper', 'same_lower'):
        pairs = same_pairs(padding, list(x.shape[2:]), list(w.shape[2:]), stride, dilation)
    elif isinstance(padding, int):
        pairs = [[padding, padding]] * rank
    else:
        pairs = [p if isinstance(p, list) else [p, p] for p in padding]
    if mode == 'zeros' and all(a == b_ for a, b_ in pairs):
        return CONV[rank](x, w, b, stride=stride, padding=[a for a, _ in pairs], dilation=dilation, groups=groups)
    padded = F.pad(x, torch_pad_list(pairs), mode='constant' if mode == 'zeros' else mode)
    return CONV[rank](padded, w, b, stride=stride, padding=0, dilation=dilation, groups=groups)


def conv_transpose_forward(spec, x, w, b):
    rank = spec['rank']
    o = spec['options']
    stride, dilation, groups = o['stride'], o['dilation'], o['groups']
    padding = o.get('padding', 0)
    output_padding = o.get('outputPadding', [0] * rank)
    output_size = o.get('outputSize')
    in_size, kernel = list(x.shape[2:]), list(w.shape[2:])
    if padding in ('same_upper', 'same_lower'):
        # ONNX ConvTranspose: the target decides the total padding, which may be negative.
        target = output_size or [extent * s for extent, s in zip(in_size, stride)]
        F_full = [(extent - 1) * s + d * (k - 1) + 1 + op
                         for extent, s, d, k, op in zip(in_size, stride, dilation, kernel, output_padding)]
        pairs = []
        for f, t in zip(F_full, target):
            total = f - t
            half = total // 2
            begin = half if padding == 'same_upper' else total - half
            pairs.append([begin, total - begin])
        y = CONV_T[rank](x, w, b, stride=stride, padding=0, output_padding=output_padding,
                         dilation=dilation, groups=groups)
        return F.pad(y, [-p for p in torch_pad_list(pairs)])
    if output_size is not None:
        # PyTorch's output_size: the module derives the output padding.
        module = CONV_T_MODULE[rank](x.shape[1], w.shape[1] * groups, kernel, stride=stride, padding=padding,
                                     dilation=dilation, groups=groups, bias=True)
        with torch.no_grad():
            module.weight.copy_(w)
            module.bias.copy_(b)
        return module, module(x, output_size=output_size)
    if isinstance(padding, list) and any(isinstance(p, list) for p in padding):
        pairs = [p if isinstance(p, list) else [p, p] for p in padding]
        y = CONV_T[rank](x, w, b, stride=stride, padding=0, output_padding=output_padding,
                         dilation=dilation, groups=groups)
        return F.pad(y, [-p for p in torch_pad_list(pairs)])
    return CONV_T[rank](x, w, b, stride=stride, padding=padding, output_padding=output_padding,
                        dilation=dilation, groups=groups)


def tensor_json(t, unbatched=False):
    t = t.detach()
    if unbatched:
        t = t[0]
    return {'shape': list(t.shape), 'data': [float(v) for v in t.flatten().tolist()]}


def run(spec, seed):
    generator = torch.Generator().manual_seed(seed)
    rank = spec['rank']
    integer = spec.get('integer', False)
    transposed = spec['op'] == 'convTranspose'
    o = spec['options']
    groups = o['groups']
    x = values(generator, [spec['batch'], spec['inChannels']] + spec['inSize'], integer).requires_grad_()
    if transposed:
        w_shape = [spec['inChannels'], spec['outChannels'] // groups] + spec['kernel']
    else:
        w_shape = [spec['outChannels'], spec['inChannels'] // groups] + spec['kernel']
    w = values(generator, w_shape, integer).requires_grad_()
    b = values(generator, [spec['outChannels']], integer).requires_grad_()
    if transposed:
        result = conv_transpose_forward(spec, x, w, b)
        if isinstance(result, tuple):
            module, y = result
            g = values(generator, list(y.shape), integer)
            (y * g).sum().backward()
            grad_weight, grad_bias = module.weight.grad, module.bias.grad
        else:
            y = result
            g = values(generator, list(y.shape), integer)
            (y * g).sum().backward()
            grad_weight, grad_bias = w.grad, b.grad
    else:
        y = conv_forward(spec, x, w, b)
        g = values(generator, list(y.shape), integer)
        (y * g).sum().backward()
        grad_weight, grad_bias = w.grad, b.grad
    unbatched = spec.get('unbatched', False)
    return {
        'name': spec['name'],
        'op': spec['op'],
        'options': o,
        'features': spec['features'],
        'exact': integer,
        'seed': seed,
        'input': tensor_json(x, unbatched),
        'weight': tensor_json(w),
        'gradOutput': tensor_json(g, unbatched),
        'gradInput': tensor_json(x.grad, unbatched),
        'gradWeight': tensor_json(grad_weight),
        'gradBias': tensor_json(grad_bias),
    }


def sizes(rank, extent):
    return [extent] * rank if rank < 3 else [min(extent, 5)] * rank


def specs():
    out = []
    for rank in (1, 2, 3):
        n = 7 if rank < 3 else 5
        default_batch = 2 if rank < 3 else 1
        k3 = [3] * rank
        one = [1] * rank

        def conv(name, features, inC=2, outC=3, inSize=None, kernel=k3, batch=None, **options):
            opts = {'stride': options.pop('stride', one), 'dilation': options.pop('dilation', one),
                    'groups': options.pop('groups', 1)}
            opts.update(options)
            out.append({'name': f'conv{rank}d_{name}', 'op': 'conv', 'rank': rank, 'features': features,
                        'inChannels': inC, 'outChannels': outC, 'inSize': inSize or sizes(rank, n),
                        'kernel': kernel, 'batch': batch or default_batch, 'options': opts})
            return out[-1]

        def convt(name, features, inC=2, outC=3, inSize=None, kernel=k3, batch=None, **options):
            opts = {'stride': options.pop('stride', one), 'dilation': options.pop('dilation', one),
                    'groups': options.pop('groups', 1)}
            opts.update(options)
            out.append({'name': f'conv_transpose{rank}d_{name}', 'op': 'convTranspose', 'rank': rank,
                        'features': features, 'inChannels': inC, 'outChannels': outC,
                        'inSize': inSize or sizes(rank, 4 if rank < 3 else 3), 'kernel': kernel, 'batch': batch or default_batch,
                        'options': opts})
            return out[-1]

        two = [2] * rank
        conv('plain', [])
        conv('stride', ['stride'], stride=two)
        conv('padding_number', ['padding'], padding=1)
        conv('padding_per_dim', ['padding'], padding=[1 + (a % 2) for a in range(rank)])
        conv('padding_pairs', ['padding', 'asymmetric'], padding=[[a % 2, 2 - a % 2] for a in range(rank)])
        conv('valid', ['padding'], padding='valid')
        conv('same_dilated', ['padding', 'same', 'dilation'], padding='same', dilation=two, kernel=[2] * rank)
        conv('same_upper_stride', ['padding', 'same_upper', 'stride'], padding='same_upper', stride=two, kernel=[2] * rank)
        conv('same_lower_stride', ['padding', 'same_lower', 'stride'], padding='same_lower', stride=two, kernel=[2] * rank)
        conv('dilation', ['dilation'], dilation=two)
        conv('groups', ['groups'], inC=4, outC=6, groups=2)
        conv('depthwise_multiplier', ['groups', 'depthwise'], inC=3, outC=6, groups=3, stride=two, dilation=two, padding=2)
        conv('pointwise', ['pointwise'], inC=3, outC=4, kernel=one)
        for mode in ('reflect', 'replicate', 'circular'):
            conv(f'{mode}', ['paddingMode', mode], padding=[[1, 2]] * rank, paddingMode=mode)
        conv('reflect_stride_dilation', ['paddingMode', 'reflect', 'stride', 'dilation'], padding=2,
             paddingMode='reflect', stride=two, dilation=two)
        conv('unbatched', ['unbatched', 'padding'], batch=1, padding=1)['unbatched'] = True
        conv('integer', ['integer', 'stride', 'padding'], stride=two, padding=1)['integer'] = True
        conv('integer_circular_groups', ['integer', 'paddingMode', 'circular', 'groups'], inC=4, outC=4, groups=2,
             padding=1, paddingMode='circular')['integer'] = True

        convt('plain', [])
        convt('stride', ['stride'], stride=two)
        convt('padding', ['padding', 'stride'], stride=two, padding=1)
        convt('padding_pairs', ['padding', 'asymmetric', 'stride'], stride=two, padding=[[0, 2]] * rank)
        convt('output_padding', ['outputPadding', 'stride'], stride=two, padding=1, outputPadding=[1] * rank)
        convt('output_padding_dilation', ['outputPadding', 'dilation'], stride=[1] * rank, dilation=[3] * rank,
              outputPadding=[2] * rank)
        c = convt('output_size', ['outputSize', 'stride'], stride=two, padding=1)
        c['options']['outputSize'] = [(e - 1) * 2 - 2 + 3 + 1 for e in c['inSize']]
        convt('same_upper', ['padding', 'same_upper', 'stride'], stride=two, padding='same_upper')
        c = convt('same_lower_output_size', ['padding', 'same_lower', 'outputSize', 'stride'], stride=two,
                  padding='same_lower')
        c['options']['outputSize'] = [e * 2 + 1 for e in c['inSize']]
        convt('dilation', ['dilation', 'stride'], stride=two, dilation=two)
        convt('groups', ['groups', 'stride'], inC=4, outC=6, groups=2, stride=two)
        convt('unbatched', ['unbatched', 'stride'], batch=1, stride=two)['unbatched'] = True
        convt('integer', ['integer', 'stride', 'padding'], stride=two, padding=1)['integer'] = True
    return out


def main():
    os.makedirs(ROOT, exist_ok=True)
    cases = {1: [], 2: [], 3: []}
    for index, spec in enumerate(specs()):
        cases[spec['rank']].append(run(spec, 7000 + index))
    total = 0
    for rank, group in cases.items():
        with open(os.path.join(ROOT, f'torch_gradients_{rank}d.json'), 'w') as handle:
            json.dump({'generator': 'scripts/torch-gradients.py', 'torch': torch.__version__, 'cases': group},
                      handle, separators=(',', ':'))
            handle.write('\n')
        total += len(group)
    print(f'{total} cases written to {os.path.normpath(ROOT)}', file=sys.stderr)


if __name__ == '__main__':
    main()
