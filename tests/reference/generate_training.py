#!/usr/bin/python3
"""Writes the network model's PyTorch reference data: network_forward.json and training.json.

Design note: PyTorch's word, not ours. Each case is an nn.Sequential of nn.Linear layers with an
activation after every hidden one and an optional output module, seeded as issue 9 says (the
initial weights come from generate_network.build(), which is torch.manual_seed + nn.Linear + the
optional nn.init re-initialisation, and are copied into the Sequential's Linears). Inputs and
targets are drawn from a separate torch.Generator so they never disturb the model's stream, and are
written out, so the C++ tests need no generator of their own for them. Recorded:
  * network_forward.json: every layer's pre (the Linear's output) and post (the next module's),
    with their mean and population std (the statistics' definitions, nn_stats.hpp);
  * training.json, kind "gradients": the first step's loss and dL/dW, dL/db per Linear and their
    norms, and dL/dpre (each Linear's output's .grad) with its mean and std, for every loss that
    fits a network output (with non-default parameters too);
  * training.json, kind "train": 25 optimizer steps, full batch or minibatches taken in order
    (x[0:b], x[b:2b], … and round again), the loss of each step before its update and the final
    parameters.
RReLU runs as in .eval() (the registry's RReLU is the deterministic eval-mode one).

Run with Debian's /usr/bin/python3 (python3-torch 1.13): `/usr/bin/python3 tests/reference/generate_training.py`.
"""
import math
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate import Sine, enc, write  # noqa: E402
from generate_network import build  # noqa: E402

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)


def module(spec):
    if spec is None:
        return None
    if isinstance(spec, str):
        spec = {"name": spec}
    name, params = spec["name"], dict(spec.get("params", {}))
    if name == "Sine":
        return Sine(**params)
    if name in ("Softmax", "Softmin", "LogSoftmax", "GLU"):
        params["dim"] = 1
    return getattr(nn, name)(**params)


def make_model(sizes, activation, output, bias, seed, init):
    # The lab's rule: siren's ω₀ is the Sine activation's unless the init names one.
    if init is not None and init["weight"] == "siren" and "w0" not in init.get("params", {}) \
            and isinstance(activation, dict) and activation["name"] == "Sine":
        init = dict(init, params=dict(init.get("params", {}), w0=activation["params"]["w0"]))
    weights = build(sizes, bias, seed, init)
    mods = []
    for k, (i, o) in enumerate(zip(sizes, sizes[1:])):
        lin = nn.Linear(i, o, bias=bias)
        with torch.no_grad():
            lin.weight.copy_(weights[k]["weight"])
            if bias:
                lin.bias.copy_(weights[k]["bias"])
        mods.append(lin)
        if k + 1 < len(sizes) - 1:
            mods.append(module(activation))
        elif output is not None:
            mods.append(module(output))
    model = nn.Sequential(*mods)
    model.eval()  # RReLU's deterministic mode; nothing else here depends on it
    return model


def layers_of(model, x):
    """Per Linear: its output (pre) and the next module's output (post)."""
    out, mods, k = [], list(model), 0
    while k < len(mods):
        pre = mods[k](x)
        post = pre
        if k + 1 < len(mods) and not isinstance(mods[k + 1], nn.Linear):
            post = mods[k + 1](pre)
            k += 1
        out.append({"pre": pre, "post": post,
                    "pre_mean": pre.mean().item(), "pre_std": pre.std(unbiased=False).item(),
                    "post_mean": post.mean().item(), "post_std": post.std(unbiased=False).item()})
        x = post
        k += 1
    return out


def params_of(model):
    lins = [m for m in model if isinstance(m, nn.Linear)]
    return [{"weight": m.weight, "bias": m.bias if m.bias is not None else []} for m in lins]


def grads_of(model):
    lins = [m for m in model if isinstance(m, nn.Linear)]
    return [{"weight": m.weight.grad, "bias": m.bias.grad if m.bias is not None else [],
             "weight_norm": m.weight.grad.norm().item(),
             "bias_norm": m.bias.grad.norm().item() if m.bias is not None else 0.0} for m in lins]


def data(n, n_in, n_out, target_kind, seed):
    g = torch.Generator().manual_seed(1000 + seed)
    x = torch.randn(n, n_in, generator=g)
    if target_kind == "real":
        t = torch.randn(n, n_out, generator=g)
    elif target_kind == "unit":      # in [0, 1]
        t = torch.rand(n, n_out, generator=g)
    elif target_kind == "binary":    # 0 / 1
        t = (torch.rand(n, n_out, generator=g) < 0.5).double()
    elif target_kind == "sign":      # ±1
        t = torch.where(torch.rand(n, n_out, generator=g) < 0.5, -1.0, 1.0)
    elif target_kind == "index":
        t = torch.randint(0, n_out, (n,), generator=g)
    elif target_kind == "probs":
        t = torch.softmax(torch.randn(n, n_out, generator=g), dim=1)
    elif target_kind == "counts":
        t = torch.randint(0, 5, (n, n_out), generator=g).double()
    elif target_kind == "labels":    # MultiLabelMarginLoss: class indices, ended by -1
        t = torch.full((n, n_out), -1, dtype=torch.long)
        for r in range(n):
            k = int(torch.randint(1, n_out + 1, (1,), generator=g))
            t[r, :k] = torch.randperm(n_out, generator=g)[:k]
    else:
        raise ValueError(target_kind)
    return x, t


def loss_module(spec):
    name, params = spec["name"], dict(spec.get("params", {}))
    for k in ("weight", "pos_weight"):
        if k in params:
            params[k] = torch.tensor(params[k])
    return getattr(nn, name)(**params)


# ------------------------------------------------------------------ forward passes
FORWARD = [
    ([2, 8, 8, 1], "Tanh", None, True, 0, None, 5),
    ([2, 4, 2, 1], "ReLU", None, True, 1, None, 7),
    ([3, 5, 4], {"name": "ELU", "params": {"alpha": 0.5}}, "Sigmoid", True, 42, None, 4),
    ([3, 6, 6, 3], {"name": "LeakyReLU", "params": {"negative_slope": 0.2}}, "Softmax", True, 2, None, 6),
    ([3, 6, 6, 3], "GELU", "LogSoftmax", False, 3, None, 6),
    ([4, 7, 4], {"name": "GELU", "params": {"approximate": "tanh"}}, "Softmin", True, 4, None, 3),
    ([2, 5, 6], "SiLU", "GLU", True, 5, None, 4),
    ([1, 16, 16, 1], "Sigmoid", None, True, 6, {"weight": "xavier_normal", "bias": "zeros"}, 8),
    ([2, 8, 8, 8, 1], "SELU", None, True, 7, {"weight": "kaiming_normal", "params": {"nonlinearity": "linear"}, "bias": "zeros"}, 9),
    ([1, 12, 12, 1], {"name": "Sine", "params": {"w0": 30.0}}, None, True, 8, {"weight": "siren"}, 6),
    ([2, 6, 6, 2], "Mish", "Tanh", True, 9, None, 5),
    ([2, 6, 2], {"name": "Softplus", "params": {"beta": 2.0, "threshold": 5.0}}, None, True, 10, None, 5),
    ([2, 6, 2], {"name": "CELU", "params": {"alpha": 1.5}}, None, True, 11, None, 5),
    ([2, 6, 2], {"name": "Hardtanh", "params": {"min_val": -0.5, "max_val": 0.5}}, None, True, 12, None, 5),
    ([2, 6, 2], "Hardswish", None, True, 13, None, 5),
    ([2, 6, 2], "Hardsigmoid", None, True, 14, None, 5),
    ([2, 6, 2], "ReLU6", None, True, 15, {"weight": "uniform", "params": {"a": -3.0, "b": 3.0}}, 5),
    ([2, 6, 2], {"name": "RReLU", "params": {"lower": 0.1, "upper": 0.3}}, None, True, 16, None, 5),
    ([2, 6, 2], "Softsign", None, True, 17, None, 5),
    ([2, 6, 2], "LogSigmoid", None, True, 18, None, 5),
    ([2, 6, 2], {"name": "Hardshrink", "params": {"lambd": 0.3}}, None, True, 19, None, 5),
    ([2, 6, 2], {"name": "Softshrink", "params": {"lambd": 0.3}}, None, True, 20, None, 5),
    ([2, 6, 2], "Tanhshrink", None, True, 21, None, 5),
    ([2, 6, 2], {"name": "Threshold", "params": {"threshold": 0.1, "value": -2.0}}, None, True, 22, None, 5),
    ([2, 6, 2], "Identity", None, False, 23, None, 5),
    ([5, 3], "Tanh", "ReLU", True, 24, None, 4),
    ([3, 20, 20, 20, 20, 2], "Tanh", None, True, 25, {"weight": "xavier_uniform", "params": {"gain": 5.0 / 3}}, 16),
]


def forward_cases():
    cases = []
    for sizes, act, out, bias, seed, init, n in FORWARD:
        model = make_model(sizes, act, out, bias, seed, init)
        x, _ = data(n, sizes[0], sizes[-1], "real", seed)
        with torch.no_grad():
            layers = layers_of(model, x)
        cases.append({"kind": "forward", "sizes": sizes, "activation": act, "output": out, "bias": bias, "seed": seed,
                      "init": init, "input": x, "layers": layers, "output_values": layers[-1]["post"]})
    return cases


# ------------------------------------------------------------------ losses: first-step gradients
# (loss spec, output module, target kind, output width)
LOSSES = [
    ({"name": "MSELoss"}, None, "real", 2),
    ({"name": "MSELoss", "params": {"reduction": "sum"}}, None, "real", 2),
    ({"name": "L1Loss"}, None, "real", 2),
    ({"name": "SmoothL1Loss", "params": {"beta": 0.5}}, None, "real", 2),
    ({"name": "HuberLoss", "params": {"delta": 0.3, "reduction": "sum"}}, None, "real", 2),
    ({"name": "CrossEntropyLoss"}, None, "index", 3),
    ({"name": "CrossEntropyLoss", "params": {"label_smoothing": 0.1, "weight": [0.5, 1.0, 2.0]}}, None, "index", 3),
    ({"name": "CrossEntropyLoss", "params": {"label_smoothing": 0.2}}, None, "probs", 3),
    ({"name": "NLLLoss"}, "LogSoftmax", "index", 4),
    ({"name": "NLLLoss", "params": {"weight": [1.0, 0.5, 2.0, 1.5], "reduction": "sum"}}, "LogSoftmax", "index", 4),
    ({"name": "BCELoss"}, "Sigmoid", "unit", 2),
    ({"name": "BCELoss", "params": {"weight": [2.0, 0.5]}}, "Sigmoid", "binary", 2),
    ({"name": "BCEWithLogitsLoss"}, None, "binary", 3),
    ({"name": "BCEWithLogitsLoss", "params": {"pos_weight": [1.0, 3.0, 0.5]}}, None, "unit", 3),
    ({"name": "SoftMarginLoss"}, None, "sign", 2),
    ({"name": "MultiMarginLoss"}, None, "index", 4),
    ({"name": "MultiMarginLoss", "params": {"p": 2, "margin": 0.5}}, None, "index", 4),
    ({"name": "MultiLabelSoftMarginLoss"}, None, "binary", 3),
    ({"name": "MultiLabelMarginLoss"}, None, "labels", 4),
    ({"name": "KLDivLoss", "params": {"reduction": "batchmean"}}, "LogSoftmax", "probs", 3),
    ({"name": "KLDivLoss", "params": {"reduction": "sum"}}, "LogSoftmax", "probs", 3),
    ({"name": "PoissonNLLLoss"}, None, "counts", 2),
    ({"name": "PoissonNLLLoss", "params": {"log_input": False, "full": True}}, "Softplus", "counts", 2),
    ({"name": "HingeEmbeddingLoss", "params": {"margin": 0.5}}, "Softplus", "sign", 2),
    ({"name": "MSELoss"}, "Softmax", "probs", 3),
    ({"name": "MSELoss"}, "GLU", "real", 2),
]
ACTS = ["Tanh", "ReLU", {"name": "ELU", "params": {"alpha": 0.7}}, "Sigmoid", "GELU", "SiLU"]


def gradient_cases():
    cases = []
    for k, (loss, out, kind, width) in enumerate(LOSSES):
        act = ACTS[k % len(ACTS)]
        pre_width = 2 * width if out == "GLU" else width
        sizes = [3, 5, 4, pre_width]
        seed = 100 + k
        model = make_model(sizes, act, out, True, seed, None)
        x, t = data(6, 3, width, kind, seed)
        lossm = loss_module(loss)
        pres = []  # each Linear's output, kept for its .grad (dL/dpre, the statistics' "grad")

        def keep(mod, inp, outp):
            outp.retain_grad()
            pres.append(outp)

        hooks = [m.register_forward_hook(keep) for m in model if isinstance(m, nn.Linear)]
        value = lossm(model(x), t)
        value.backward()
        for h in hooks:
            h.remove()
        grads = grads_of(model)
        for g, pre in zip(grads, pres):
            g.update({"pre_grad": pre.grad, "pre_grad_mean": pre.grad.mean().item(), "pre_grad_std": pre.grad.std(unbiased=False).item()})
        cases.append({"kind": "gradients", "sizes": sizes, "activation": act, "output": out, "bias": True, "seed": seed,
                      "loss": loss, "input": x, "target": t, "loss_value": value.item(), "grads": grads})
    return cases


# ------------------------------------------------------------------ training runs
OPTIMS = [
    {"name": "SGD", "params": {"lr": 0.1}},
    {"name": "SGD", "params": {"lr": 0.05, "momentum": 0.9}},
    {"name": "SGD", "params": {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 1e-3}},
    {"name": "Adam", "params": {"lr": 0.01}},
    {"name": "Adam", "params": {"lr": 0.01, "amsgrad": True, "betas": [0.8, 0.99]}},
    {"name": "AdamW", "params": {"lr": 0.01}},
    {"name": "RMSprop", "params": {"lr": 0.005}},
    {"name": "RMSprop", "params": {"lr": 0.005, "momentum": 0.5, "centered": True}},
]
# (activation, output, loss, target kind, sizes, init[, the two optimisers: else two of OPTIMS by index])
TRAIN = [
    ("Tanh", None, {"name": "MSELoss"}, "real", [2, 8, 8, 1], None),
    ("ReLU", None, {"name": "CrossEntropyLoss"}, "index", [2, 8, 8, 3], None),
    ("Sigmoid", "Sigmoid", {"name": "BCELoss"}, "binary", [2, 6, 6, 1], None),
    ({"name": "ELU", "params": {"alpha": 0.5}}, None, {"name": "BCEWithLogitsLoss"}, "binary", [2, 6, 1], None),
    ("GELU", "LogSoftmax", {"name": "NLLLoss"}, "index", [2, 6, 6, 3], None),
    ({"name": "LeakyReLU", "params": {"negative_slope": 0.1}}, None, {"name": "HuberLoss", "params": {"delta": 0.5}}, "real", [1, 8, 8, 1], None),
    ("SiLU", None, {"name": "SmoothL1Loss"}, "real", [1, 8, 1], {"weight": "kaiming_uniform", "params": {"nonlinearity": "relu"}, "bias": "zeros"}),
    ("SELU", None, {"name": "L1Loss"}, "real", [2, 8, 8, 2], {"weight": "kaiming_normal", "params": {"nonlinearity": "linear"}}),
    ("Tanh", None, {"name": "MultiMarginLoss"}, "index", [2, 6, 3], {"weight": "xavier_uniform", "params": {"gain": 5.0 / 3}}),
    ("Mish", None, {"name": "SoftMarginLoss"}, "sign", [2, 6, 1], None),
    # (SIREN with SGD at lr 0.05 is chaotic: two runs an ulp apart part after ~8 steps; 0.005 is not)
    ({"name": "Sine", "params": {"w0": 10.0}}, None, {"name": "MSELoss"}, "real", [1, 12, 12, 1], {"weight": "siren"},
     [{"name": "SGD", "params": {"lr": 0.005, "momentum": 0.9, "nesterov": True}}, OPTIMS[5]]),
    ("Softplus", "LogSoftmax", {"name": "KLDivLoss", "params": {"reduction": "batchmean"}}, "probs", [2, 6, 3], None),
    ("Tanh", None, {"name": "PoissonNLLLoss"}, "counts", [2, 6, 2], None),
    ("ReLU", None, {"name": "MultiLabelSoftMarginLoss"}, "binary", [2, 6, 3], None),
    ("Hardswish", None, {"name": "CrossEntropyLoss", "params": {"label_smoothing": 0.1}}, "probs", [2, 8, 3], None),
]
STEPS = 25


def train_cases():
    cases = []
    for k, (act, out, loss, kind, sizes, init, *optims) in enumerate(TRAIN):
        for j, opt in enumerate(optims[0] if optims else [OPTIMS[k % len(OPTIMS)], OPTIMS[(k + 3) % len(OPTIMS)]]):
            batch = 12 if j == 0 else 4
            seed = 200 + k
            model = make_model(sizes, act, out, True, seed, init)
            width = sizes[-1] // 2 if out == "GLU" else sizes[-1]
            x, t = data(12, sizes[0], width, kind, seed)
            params = {kk: (tuple(v) if kk == "betas" else v) for kk, v in opt["params"].items()}
            optimizer = getattr(torch.optim, opt["name"])(model.parameters(), **params)
            lossm = loss_module(loss)
            losses = []
            for s in range(STEPS):
                lo = (s * batch) % 12
                xb, tb = x[lo:lo + batch], t[lo:lo + batch]
                optimizer.zero_grad()
                value = lossm(model(xb), tb)
                value.backward()
                optimizer.step()
                losses.append(value.item())
            cases.append({"kind": "train", "sizes": sizes, "activation": act, "output": out, "bias": True, "seed": seed,
                          "init": init, "loss": loss, "optimizer": opt, "batch": batch, "steps": STEPS,
                          "input": x, "target": t, "losses": losses, "final": params_of(model)})
    return cases


if __name__ == "__main__":
    write("network_forward.json", forward_cases())
    write("training.json", gradient_cases() + train_cases())
