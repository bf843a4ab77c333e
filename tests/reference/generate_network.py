#!/usr/bin/python3
"""Writes the network engine's PyTorch reference data: network_init.json and optim.json.

Design note: like generate.py, this is PyTorch's word, not ours: it imports nothing from the
project and every number is computed by torch 1.13 (float64, CPU). Initial weights are exact
functions of the seed, so the tests compare them bit for bit; that is only meaningful if the
cases reach every branch of the generator, so the shapes are chosen for it: 1×1 and 3-element
weights (serial normal_ with its cached second sample, carried from one layer to the next), exactly
16 and 64 elements (whole Box–Muller blocks), 51 elements (the redrawn tail block). Optimiser runs
use a gradient the tests can recompute exactly in C++ without autograd, g_k = c * (p - t) + s_k * e
(each op is exact-rounded the same way in ATen and in plain C++: sub and add are fma(±1, b, a)),
over several parameter tensors (per-parameter state; 17 elements cross ATen's SIMD/scalar split)
and one element whose gradient is always exactly 0. Errors are recorded with torch's own message.

Run with Debian's /usr/bin/python3 (python3-torch 1.13): `/usr/bin/python3 tests/reference/generate_network.py`
(tools/gen-reference.sh runs generate.py only). A re-run writes byte-identical files.

Format (numbers as in README.md: repr, non-finite as "nan"/"inf"/"-inf"), {"torch_version", "cases": [...]}:
network_init.json, by "kind":
  generator   {seed, calls: [[op, n, a, b] | ["reseed"]], values: [one list per uniform/normal call]}
              torch.manual_seed(seed), then torch.empty(n).uniform_(a, b) / .normal_(a, b) in order
  linears     {seed, sizes, bias, init: null | {weight, params?, bias?}, layers: [{weight: out×in, bias}]}
  gain        {nonlinearity, param, value}; gain_error {nonlinearity, param, message}
  fans        {shape, fan_in, fan_out}; fan_error {shape, message}
  init_error  {scheme, params, shape, message}   nn.init.<scheme>_(torch.empty(shape), **params)
optim.json:
  problem     {tensors: [{shape, p0, c, t, e}], s: [s_k], steps, record}
  run         {optimizer, params (betas as a list), after: {"1": [p flattened per tensor], "2", "5", "10", "25"}}
  error       {optimizer, params, message}
"""
import math
import os

import torch
import torch.nn as nn

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)

HERE = os.path.dirname(os.path.abspath(__file__))


# The JSON encoding and writer of the function references, shared by every generator.
from generate import enc, write  # noqa: E402


def message(f):
    try:
        f()
    except (RuntimeError, ValueError, TypeError) as e:
        return str(e).split("\nException raised from")[0].strip()
    raise AssertionError("expected an error")


# ------------------------------------------------------------------ generator and init
SEEDS = [0, 1, 42, 12345, 2**32 + 5, -1]


def generator_cases():
    """Raw uniform_/normal_ calls on float64 tensors, in sequence after one manual_seed."""
    cases = []
    calls = [
        ("uniform, one tensor", [("uniform", 40, -0.7, 0.3)]),
        ("uniform then normal (16-block and tail)", [("uniform", 3, 0.0, 1.0), ("normal", 51, 0.25, 1.5)]),
        ("normal: serial, cached sample carried into the next call", [("normal", 3, 0.0, 1.0), ("normal", 1, 2.0, 0.5), ("normal", 5, -1.0, 3.0)]),
        ("normal: exactly one block, then two", [("normal", 16, 0.0, 1.0), ("normal", 32, 0.0, 2.0)]),
        ("normal: 17 and 31 (tail redrawn over the previous block)", [("normal", 17, 0.0, 1.0), ("normal", 31, 1.0, 1.0)]),
        ("cache survives a block call", [("normal", 1, 0.0, 1.0), ("normal", 20, 0.0, 1.0), ("normal", 1, 0.0, 1.0)]),
        ("cache survives a uniform call", [("normal", 1, 0.0, 1.0), ("uniform", 2, -1.0, 1.0), ("normal", 1, 0.0, 1.0)]),
        ("std 0 and equal bounds", [("normal", 2, 0.5, 0.0), ("uniform", 2, 0.5, 0.5), ("normal", 16, -0.5, 0.0)]),
    ]
    for seed in SEEDS:
        for what, seq in calls:
            torch.manual_seed(seed)
            out = []
            for op, n, a, b in seq:
                t = torch.empty(n)
                (t.uniform_ if op == "uniform" else t.normal_)(a, b)
                out.append(t)
            cases.append({"kind": "generator", "what": what, "seed": seed,
                          "calls": [list(c) for c in seq], "values": out})
        # manual_seed forgets the cached normal sample
        torch.manual_seed(seed)
        a = torch.empty(1).normal_()
        torch.manual_seed(seed)
        b = torch.empty(1).normal_()
        cases.append({"kind": "generator", "what": "manual_seed resets the cached normal sample", "seed": seed,
                      "calls": [["normal", 1, 0.0, 1.0], ["reseed"], ["normal", 1, 0.0, 1.0]], "values": [a, b]})
    return cases


def build(sizes, bias, seed, init):
    torch.manual_seed(seed)
    linears = [nn.Linear(i, o, bias=bias) for i, o in zip(sizes, sizes[1:])]
    if init is not None:
        w, params, b = init["weight"], init.get("params", {}), init.get("bias", "default")
        for k, m in enumerate(linears):
            if w == "siren":
                w0 = params.get("w0", 30.0)
                fan_in = m.weight.size(1)
                bound = 1 / fan_in if k == 0 else math.sqrt(6 / fan_in) / w0
                with torch.no_grad():
                    m.weight.uniform_(-bound, bound)
            else:
                getattr(nn.init, w + "_")(m.weight, **params)
            if b == "zeros" and m.bias is not None:
                nn.init.zeros_(m.bias)
    return [{"weight": m.weight, "bias": m.bias if m.bias is not None else []} for m in linears]


INITS = [
    {"weight": "xavier_uniform"},
    {"weight": "xavier_uniform", "params": {"gain": 5.0 / 3}, "bias": "zeros"},
    {"weight": "xavier_normal"},
    {"weight": "xavier_normal", "params": {"gain": math.sqrt(2.0)}, "bias": "zeros"},
    {"weight": "kaiming_uniform"},
    {"weight": "kaiming_uniform", "params": {"a": 0.2, "mode": "fan_out", "nonlinearity": "leaky_relu"}},
    {"weight": "kaiming_uniform", "params": {"nonlinearity": "relu"}, "bias": "zeros"},
    {"weight": "kaiming_uniform", "params": {"mode": "FAN_IN", "nonlinearity": "tanh"}},
    {"weight": "kaiming_uniform", "params": {"nonlinearity": "selu", "a": 3.0}},
    {"weight": "kaiming_normal"},
    {"weight": "kaiming_normal", "params": {"mode": "fan_out", "nonlinearity": "relu"}, "bias": "zeros"},
    {"weight": "kaiming_normal", "params": {"a": 0.1}},
    {"weight": "kaiming_normal", "params": {"nonlinearity": "sigmoid", "mode": "fan_out"}},
    {"weight": "normal"},
    {"weight": "normal", "params": {"mean": 0.5, "std": 0.02}, "bias": "zeros"},
    {"weight": "uniform"},
    {"weight": "uniform", "params": {"a": -0.3, "b": 0.7}, "bias": "zeros"},
    {"weight": "constant", "params": {"val": 0.25}},
    {"weight": "constant", "params": {"val": -1.5}, "bias": "zeros"},
    {"weight": "zeros"},
    {"weight": "ones", "bias": "zeros"},
    {"weight": "siren"},
    {"weight": "siren", "params": {"w0": 10.0}, "bias": "zeros"},
]
DEFAULT_SIZES = [[1, 1], [2, 8], [8, 8], [16, 16], [3, 17], [17, 3], [2, 8, 8, 1], [2, 4, 2, 1], [3, 3, 1, 5], [1, 16, 16, 1]]
INIT_SIZES = [[1, 1], [3, 3, 1, 5], [2, 8, 8, 1], [3, 17, 4]]


def linear_cases():
    cases = []
    for seed in SEEDS:
        for sizes in DEFAULT_SIZES:
            for bias in (True, False):
                cases.append({"kind": "linears", "seed": seed, "sizes": sizes, "bias": bias, "init": None,
                              "layers": build(sizes, bias, seed, None)})
    for k, init in enumerate(INITS):
        for seed in (SEEDS[k % 3], 12345):
            for sizes in INIT_SIZES:
                bias = (k + len(sizes)) % 4 != 0
                cases.append({"kind": "linears", "seed": seed, "sizes": sizes, "bias": bias, "init": init,
                              "layers": build(sizes, bias, seed, init)})
    return cases


GAINS = [("linear", None), ("conv2d", None), ("conv_transpose3d", None), ("sigmoid", None), ("tanh", None),
         ("relu", None), ("selu", None), ("leaky_relu", None), ("leaky_relu", 0), ("leaky_relu", 0.2),
         ("leaky_relu", math.sqrt(5)), ("leaky_relu", 3), ("leaky_relu", -0.5), ("tanh", 7.0)]


def init_misc_cases():
    cases = [{"kind": "gain", "nonlinearity": n, "param": p, "value": nn.init.calculate_gain(n, p)} for n, p in GAINS]
    w = lambda: torch.empty(3, 4)
    errors = [
        ("gain", "gelu", None, lambda: nn.init.calculate_gain("gelu")),
        ("gain", "leaky_relu", True, lambda: nn.init.calculate_gain("leaky_relu", True)),
        ("gain", "leaky_relu", "x", lambda: nn.init.calculate_gain("leaky_relu", "x")),
    ]
    for kind, n, p, f in errors:
        cases.append({"kind": "gain_error", "nonlinearity": n, "param": p, "message": message(f)})
    init_errors = [
        ("kaiming_uniform", {"mode": "fan_avg"}),
        ("kaiming_normal", {"mode": "Fan_Avg"}),
        ("kaiming_uniform", {"nonlinearity": "gelu"}),
        ("kaiming_normal", {"a": True}),
        ("xavier_uniform", {"foo": 1.0}),
        ("kaiming_uniform", {"gain": 1.0}),
        ("constant", {}),
        ("zeros", {"val": 0.0}),
        ("normal", {"std": -1.0}),
        ("normal", {"mean": 0.0, "std": -0.5}),
        ("uniform", {"a": 1.0, "b": 0.0}),
        ("uniform", {"a": -1e308, "b": 1e308}),
        ("uniform", {"a": float("-inf"), "b": 0.0}),
        ("uniform", {"a": 0.0, "b": float("nan")}),
    ]
    for scheme, params in init_errors:
        cases.append({"kind": "init_error", "scheme": scheme, "params": params, "shape": [3, 4],
                      "message": message(lambda: getattr(nn.init, scheme + "_")(w(), **params))})
    cases.append({"kind": "fan_error", "shape": [4],
                  "message": message(lambda: nn.init._calculate_fan_in_and_fan_out(torch.empty(4)))})
    for shape in ([3, 4], [5, 2, 3], [1, 1]):
        fi, fo = nn.init._calculate_fan_in_and_fan_out(torch.empty(*shape))
        cases.append({"kind": "fans", "shape": shape, "fan_in": fi, "fan_out": fo})
    return cases


# ------------------------------------------------------------------ optimisers
SHAPES = [[3, 4], [3], [17], [1]]
STEPS = 25
RECORD = [1, 2, 5, 10, 25]


def problem():
    """p0, c, t, e per parameter, and the step scalars s_k: fixed numbers (a few decimals)."""
    g = torch.Generator().manual_seed(2024)
    tensors = []
    for shape in SHAPES:
        n = math.prod(shape)
        p0 = torch.round(torch.randn(n, generator=g) * 1000) / 1000
        c = torch.round(torch.rand(n, generator=g) * 2000) / 1000 + 0.05
        t = torch.round(torch.randn(n, generator=g) * 1000) / 1000
        e = torch.round(torch.randn(n, generator=g) * 1000) / 1000
        tensors.append({"shape": shape, "p0": p0, "c": c, "t": t, "e": e})
    tensors[2]["c"][5] = 0.0  # this element's gradient is always exactly 0
    tensors[2]["e"][5] = 0.0
    s = [round(math.sin(1.7 * k) * 0.5, 4) for k in range(STEPS)]
    return tensors, s


OPTIMS = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.05, "momentum": 0.9}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.1}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"lr": 0.1, "weight_decay": 0.01}),
    ("SGD", {"lr": 0.05, "momentum": 0.5, "weight_decay": 0.1, "nesterov": True}),
    ("SGD", {"lr": 0.1, "maximize": True}),
    ("SGD", {"lr": 0.02, "momentum": 0.9, "dampening": 0.5, "weight_decay": 0.05, "maximize": True}),
    ("SGD", {"lr": 0.0, "momentum": 0.3}),
    ("Adam", {}),
    ("Adam", {"lr": 0.01}),
    ("Adam", {"lr": 0.01, "betas": [0.8, 0.9]}),
    ("Adam", {"lr": 0.01, "eps": 1e-4}),
    ("Adam", {"lr": 0.01, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.01, "amsgrad": True}),
    ("Adam", {"lr": 0.05, "amsgrad": True, "weight_decay": 0.05, "betas": [0.5, 0.7]}),
    ("Adam", {"lr": 0.01, "maximize": True}),
    ("Adam", {"lr": 0.01, "betas": [0.0, 0.0], "eps": 0.0}),
    ("AdamW", {}),
    ("AdamW", {"lr": 0.01}),
    ("AdamW", {"lr": 0.01, "weight_decay": 0.1}),
    ("AdamW", {"lr": 0.01, "amsgrad": True}),
    ("AdamW", {"lr": 0.01, "weight_decay": 0.0, "betas": [0.7, 0.95]}),
    ("AdamW", {"lr": 0.01, "maximize": True, "amsgrad": True, "eps": 1e-6}),
    ("RMSprop", {}),
    ("RMSprop", {"lr": 0.005}),
    ("RMSprop", {"lr": 0.005, "alpha": 0.9}),
    ("RMSprop", {"lr": 0.005, "centered": True}),
    ("RMSprop", {"lr": 0.005, "momentum": 0.9}),
    ("RMSprop", {"lr": 0.005, "momentum": 0.5, "centered": True, "weight_decay": 0.1}),
    ("RMSprop", {"lr": 0.01, "eps": 1e-3}),
    ("RMSprop", {"maximize": True, "weight_decay": 0.01}),
]


def torch_kwargs(params):
    return {k: (tuple(v) if k == "betas" else v) for k, v in params.items()}


def optim_cases():
    tensors, s = problem()
    cases = [{"kind": "problem", "tensors": tensors, "s": s, "steps": STEPS, "record": RECORD}]
    for name, params in OPTIMS:
        ps = [x["p0"].clone().reshape(x["shape"]).requires_grad_(True) for x in tensors]
        opt = getattr(torch.optim, name)(ps, **torch_kwargs(params))
        record = {}
        for k in range(STEPS):
            opt.zero_grad()
            with torch.no_grad():
                for p, x in zip(ps, tensors):
                    p.grad = x["c"].reshape(x["shape"]) * (p - x["t"].reshape(x["shape"])) + s[k] * x["e"].reshape(x["shape"])
            opt.step()
            if k + 1 in RECORD:
                record[str(k + 1)] = [p.detach().flatten().clone() for p in ps]
        cases.append({"kind": "run", "optimizer": name, "params": params, "after": record})
    nan = float("nan")
    errors = [
        ("SGD", {}), ("SGD", {"lr": -1.0}), ("SGD", {"lr": 0.1, "momentum": -0.5}),
        ("SGD", {"lr": 0.1, "weight_decay": -1.0}), ("SGD", {"lr": 0.1, "nesterov": True}),
        ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.1, "nesterov": True}), ("SGD", {"lr": 0.1, "betas": [0.9, 0.99]}),
        ("Adam", {"lr": -0.001}), ("Adam", {"lr": nan}), ("Adam", {"eps": -1e-8}), ("Adam", {"betas": [1.0, 0.999]}),
        ("Adam", {"betas": [0.9, -0.1]}), ("Adam", {"betas": [-0.1, 1.5]}), ("Adam", {"weight_decay": -0.1}), ("Adam", {"momentum": 0.9}),
        ("AdamW", {"lr": -1.0}), ("AdamW", {"betas": [0.9, 1.0]}), ("AdamW", {"weight_decay": -1e-2}), ("AdamW", {"eps": nan}),
        ("RMSprop", {"lr": -0.01}), ("RMSprop", {"eps": -1.0}), ("RMSprop", {"momentum": -0.9}),
        ("RMSprop", {"weight_decay": -1.0}), ("RMSprop", {"alpha": -0.99}), ("RMSprop", {"nesterov": True}),
    ]
    for name, params in errors:
        ps = [torch.zeros(2, requires_grad=True)]
        cases.append({"kind": "error", "optimizer": name, "params": params,
                      "message": message(lambda: getattr(torch.optim, name)(ps, **torch_kwargs(params)))})
    return cases


if __name__ == "__main__":
    write("network_init.json", generator_cases() + linear_cases() + init_misc_cases())
    write("optim.json", optim_cases())
