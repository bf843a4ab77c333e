#!/usr/bin/python3
# Design note: the inputs on which core/tanh_math.hpp is held to torch.tanh (float64), and the
# measurement behind its design note. Sets: uniform in [-25, 25], log-spaced magnitudes
# 1e-300..1e3 of both signs, near 0, subnormals, the saturation band 18..21, and the specials
# (±0, ±inf, nan). `--full OUT.bin` writes ~3.1 million (x, torch.tanh(x)) float64 pairs for the
# measurement (tests/native/test_tanh.cpp reads it when LAB_TANH_FULL names it); without it, a
# deterministic 20,000-point subset goes to tests/reference/tanh.json as hex bit patterns (exact,
# and NaN/inf survive JSON). `--table` prints core/tanh_math.hpp's 2^(j/256) double-double table.
import json, os, sys
import torch

def inputs(n_scale):
    g = torch.Generator().manual_seed(20261201)
    def u(lo, hi, n):
        return torch.rand(n, generator=g, dtype=torch.float64) * (hi - lo) + lo
    parts = [
        u(-25.0, 25.0, 1000 * n_scale),
        torch.pow(10.0, u(-300.0, 3.0, 500 * n_scale)) * torch.sign(u(-1, 1, 500 * n_scale)),
        u(-1e-3, 1e-3, 150 * n_scale),
        u(-1.0, 1.0, 200 * n_scale),
        u(-5e-324 * 2**52, 5e-324 * 2**52, 50 * n_scale),  # subnormals (and a few normals at the edge)
        u(18.0, 21.0, 100 * n_scale) * torch.sign(u(-1, 1, 100 * n_scale)),
        torch.tensor([0.0, -0.0, float('inf'), -float('inf'), float('nan'), 5e-324, -5e-324,
                      18.714973875, 18.714973876, 18.7149738749, 19.0, 20.0, 1.0, -1.0, 0.5,
                      1e-8, 709.0, 710.0, 1e308, -1e308], dtype=torch.float64),
    ]
    return torch.cat(parts)

def bits(t):
    return [format(b & 0xFFFFFFFFFFFFFFFF, '016x') for b in t.view(torch.int64).tolist()]

here = os.path.dirname(os.path.abspath(__file__))
if sys.argv[1:] == ['--table']:
    from decimal import Decimal, getcontext
    getcontext().prec = 60
    ln2 = Decimal(2).ln()
    rows = []
    for j in range(256):
        v = (ln2 * j / 256).exp()
        hi = float(v)
        rows.append('{%s, %s},' % (hi.hex(), float(v - Decimal(hi)).hex()))
    for i in range(0, 256, 2):
        print('    ' + ' '.join(rows[i:i + 2]))
elif len(sys.argv) == 3 and sys.argv[1] == '--full':
    x = inputs(1550)
    y = torch.tanh(x)
    with open(sys.argv[2], 'wb') as f:
        f.write(torch.stack([x, y], dim=1).contiguous().numpy().tobytes())
    print(len(x), 'pairs to', sys.argv[2])
else:
    x = inputs(10)
    y = torch.tanh(x)
    out = {'source': 'torch.tanh, float64, torch ' + torch.__version__ + ' (tests/reference/generate_tanh.py)',
           'x': bits(x), 'y': bits(y)}
    with open(os.path.join(here, 'tanh.json'), 'w') as f:
        json.dump(out, f, separators=(',', ':'))
        f.write('\n')
    print(len(x), 'points to tanh.json')
