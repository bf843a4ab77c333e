#!/usr/bin/python3
"""Writes formula_net.json: networks whose activation (or output) is a formula (issue 11), trained
by PyTorch.

Design note: PyTorch's word, not ours. Each formula is written here a second time, by hand, with
torch functions (a small nn.Module per formula: the lab's own generated PyTorch code is not used,
so a mistake in it cannot hide a mistake in the evaluator), and the network is built exactly as
generate_training.py builds its cases: the initial weights from generate_network.build()
(torch.manual_seed + nn.Linear + optional nn.init), inputs and targets from the same seeded
generator, 25 optimizer steps over minibatches taken in order, each step's loss before its update
and the final parameters recorded. The first forward pass (every layer's pre and post) is kept too.
The C++ tests read the case's formula text and parameters into the lab's network
(tests/native/test_nn_formula.cpp, tests/js/formula-api.test.mjs).

Run with Debian's /usr/bin/python3 (python3-torch 1.13): `/usr/bin/python3 tests/reference/generate_formula_net.py`.
"""
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate import write  # noqa: E402
from generate_network import build  # noqa: E402
from generate_training import data, loss_module, params_of, layers_of, module  # noqa: E402

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)


class Lambda(nn.Module):
    def __init__(self, f):
        super().__init__()
        self.f = f

    def forward(self, x):
        return self.f(x)


# The formulas as the lab reads them, and the same written with torch functions.
FORMULAS = {
    "x * sigmoid(1.702 * x)": lambda p: (lambda x: x * torch.sigmoid(1.702 * x)),
    "x > 0 ? x : a * (exp(x) - 1)": lambda p: (lambda x: torch.where(x > 0, x, p["a"] * (torch.exp(x) - 1))),
    "a * tanh(b * x)": lambda p: (lambda x: p["a"] * torch.tanh(p["b"] * x)),
    "sigmoid(x)": lambda p: (lambda x: torch.sigmoid(x)),
    "max(x, 0.1 * x)": lambda p: (lambda x: torch.maximum(x, 0.1 * x)),
}


def formula_module(spec):
    if spec is None:
        return None
    if "formula" in spec:
        return Lambda(FORMULAS[spec["formula"]](spec.get("params", {})))
    return module(spec)


def make_model(sizes, activation, output, seed):
    weights = build(sizes, True, seed, None)
    mods = []
    for k, (i, o) in enumerate(zip(sizes, sizes[1:])):
        lin = nn.Linear(i, o)
        with torch.no_grad():
            lin.weight.copy_(weights[k]["weight"])
            lin.bias.copy_(weights[k]["bias"])
        mods.append(lin)
        if k + 1 < len(sizes) - 1:
            mods.append(formula_module(activation))
        elif output is not None:
            mods.append(formula_module(output))
    return nn.Sequential(*mods)


SWISH = {"formula": "x * sigmoid(1.702 * x)"}
ELU_LIKE = {"formula": "x > 0 ? x : a * (exp(x) - 1)", "params": {"a": 0.7}}
SCALED_TANH = {"formula": "a * tanh(b * x)", "params": {"a": 1.5, "b": 0.8}}
LEAKY = {"formula": "max(x, 0.1 * x)"}
# (activation, output, loss, target kind, sizes, [(optimizer, batch), …])
TRAIN = [
    (SWISH, None, {"name": "MSELoss"}, "real", [2, 8, 1],
     [({"name": "SGD", "params": {"lr": 0.1}}, 12), ({"name": "Adam", "params": {"lr": 0.01}}, 4)]),
    (ELU_LIKE, None, {"name": "MSELoss"}, "real", [2, 8, 1],
     [({"name": "Adam", "params": {"lr": 0.01}}, 12), ({"name": "SGD", "params": {"lr": 0.05, "momentum": 0.9}}, 4)]),
    (SCALED_TANH, {"formula": "sigmoid(x)"}, {"name": "BCELoss"}, "binary", [2, 8, 8, 1],
     [({"name": "SGD", "params": {"lr": 0.05, "momentum": 0.9}}, 12)]),
    (LEAKY, None, {"name": "CrossEntropyLoss"}, "index", [2, 6, 6, 3],
     [({"name": "RMSprop", "params": {"lr": 0.005}}, 4)]),
]
STEPS = 25


def cases():
    out = []
    for k, (act, outm, loss, kind, sizes, runs) in enumerate(TRAIN):
        for opt, batch in runs:
            seed = 300 + k
            model = make_model(sizes, act, outm, seed)
            x, t = data(12, sizes[0], sizes[-1], kind, seed)
            with torch.no_grad():
                layers = layers_of(model, x)
            optimizer = getattr(torch.optim, opt["name"])(model.parameters(), **opt["params"])
            lossm = loss_module(loss)
            losses = []
            for s in range(STEPS):
                lo = (s * batch) % 12
                optimizer.zero_grad()
                value = lossm(model(x[lo:lo + batch]), t[lo:lo + batch])
                value.backward()
                optimizer.step()
                losses.append(value.item())
            out.append({"kind": "train", "sizes": sizes, "activation": act, "output": outm, "bias": True, "seed": seed,
                        "init": None, "loss": loss, "optimizer": opt, "batch": batch, "steps": STEPS, "input": x,
                        "target": t, "layers": [{"pre": l["pre"], "post": l["post"]} for l in layers],
                        "losses": losses, "final": params_of(model)})
    return out


if __name__ == "__main__":
    write("formula_net.json", cases())
