#!/usr/bin/python3
"""Writes tests/reference/grad_none.json: training through BinaryStep, as PyTorch does it.

Design note: BinaryStep's PyTorch code, `(x >= 0).double()`, has no grad_fn, so every nn.Linear
before it ends loss.backward() with .grad None, and torch.optim's step skips such a parameter
altogether: no weight decay, no momentum, no AdamW decoupled decay, no state. Only the last Linear
trains. The cases are the optimisers whose update would move a parameter with a zero gradient
(SGD with weight_decay and momentum, AdamW's decay, RMSprop with weight_decay, Adam with
weight_decay) over 6 full-batch steps; recorded: each step's loss and the final parameters.
The model is built as the engine builds it (generate_network.build: torch.manual_seed, then the
Linears in order).

Run with Debian's /usr/bin/python3 (python3-torch 1.13): `/usr/bin/python3 tests/reference/generate_grad_none.py`.
"""
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate import write  # noqa: E402
from generate_network import build  # noqa: E402

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)


class BinaryStep(nn.Module):
    def forward(self, x):
        return (x >= 0).double()


OPTIMIZERS = [
    ("SGD", {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.1}),
    ("AdamW", {"lr": 0.05}),
    ("RMSprop", {"lr": 0.01, "weight_decay": 0.05}),
    ("Adam", {"lr": 0.05, "weight_decay": 0.1}),
]


def case(sizes, name, params, seed=4, steps=6):
    layers = build(sizes, True, seed, None)
    mods = []
    for k, p in enumerate(layers):
        lin = nn.Linear(sizes[k], sizes[k + 1])
        with torch.no_grad():
            lin.weight.copy_(p["weight"])
            lin.bias.copy_(p["bias"])
        mods.append(lin)
        if k + 2 < len(sizes):
            mods.append(BinaryStep())
    model = nn.Sequential(*mods)
    g = torch.Generator().manual_seed(100 + seed)
    x = torch.randn(7, sizes[0], generator=g)
    y = torch.randn(7, sizes[-1], generator=g)
    opt = getattr(torch.optim, name)(model.parameters(), **params)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = nn.MSELoss()(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    linears = [m for m in model if isinstance(m, nn.Linear)]
    assert all(m.weight.grad is None for m in linears[:-1]) and linears[-1].weight.grad is not None
    return {
        "sizes": sizes, "seed": seed, "optimizer": {"name": name, "params": params}, "steps": steps,
        "x": x, "y": y, "losses": losses,
        "final": [{"weight": m.weight, "bias": m.bias} for m in linears],
    }


if __name__ == "__main__":
    write("grad_none.json", [case([3, 5, 4, 2], n, p) for n, p in OPTIMIZERS])
