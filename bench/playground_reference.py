#!/usr/bin/python3
"""Writes bench/playground_reference.json: what PyTorch computes for the benchmark's training frame.

Design note: the benchmark (bench/network.mjs) times the lab's engine against bench/playground.mjs, a
plain-JavaScript trainer built like TensorFlow Playground's. A speed ratio is only worth reporting
if both sides do PyTorch's work, so this file pins the baseline to torch 1.13 itself, not to the
engine it competes with: each case is nn.Sequential(Linear, act, …, Linear) in float64 with
nn.Linear's seeded default initialisation (torch.manual_seed(seed) right before the model is built),
MSELoss(reduction='mean'), torch.optim.SGD(lr), minibatches taken in order (x[0:b], x[b:2b], …), one
or more epochs. Recorded per case: the initial parameters (the baseline is given them, it has no
PyTorch generator), the loss of every step before its update, the final parameters, and the trained
net's output on a small grid (the decision-boundary pass). Data are drawn from a separate
torch.Generator and written out, so no JavaScript generator is needed; the 2-D points lie in
[-6, 6]² like Playground's and the one-output target is Playground's circle label (±1).

Run with Debian's python3-torch: `/usr/bin/python3 bench/playground_reference.py`. Re-running it on
the same machine leaves the JSON byte-identical.
"""
import json
import os

import torch
import torch.nn as nn

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)

HERE = os.path.dirname(os.path.abspath(__file__))
ACTIVATIONS = {"Tanh": nn.Tanh, "ReLU": nn.ReLU, "Sigmoid": nn.Sigmoid}


def data(points, outputs, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(points, 2, generator=g) * 12 - 6
    if outputs == 1:
        t = torch.where(x.norm(dim=1, keepdim=True) < 3.5, 1.0, -1.0)
    else:
        t = torch.rand(points, outputs, generator=g) * 2 - 1
    return x, t


def case(sizes, activation, seed, lr, batch, epochs, points=250):
    torch.manual_seed(seed)
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(ACTIVATIONS[activation]())
    model = nn.Sequential(*layers)
    linears = [m for m in model if isinstance(m, nn.Linear)]
    params = lambda: [{"weight": m.weight.tolist(), "bias": m.bias.tolist()} for m in linears]
    initial = params()
    x, t = data(points, sizes[-1], 1000 + seed)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss(reduction="mean")
    losses = []
    for _ in range(epochs):
        for s in range(0, points, batch):
            opt.zero_grad()
            loss = loss_fn(model(x[s:s + batch]), t[s:s + batch])
            loss.backward()
            opt.step()
            losses.append(loss.item())
    axis = torch.linspace(-6, 6, 11)
    grid = torch.cartesian_prod(axis, axis)
    with torch.no_grad():
        predicted = model(grid)
    return {"sizes": sizes, "activation": activation, "seed": seed, "lr": lr, "batchSize": batch,
            "epochs": epochs, "input": x.tolist(), "target": t.tolist(), "initial": initial,
            "losses": losses, "final": params(), "grid": grid.tolist(), "predicted": predicted.tolist()}


CASES = [
    case([2, 4, 2, 1], "Tanh", 0, 0.03, 10, 1),          # the benchmark's small net, Playground's lr
    case([2, 8, 8, 8, 8, 8, 8, 1], "Tanh", 1, 0.03, 10, 2),  # the net, 50 steps
    case([2, 8, 8, 8, 8, 8, 8, 1], "Tanh", 2, 0.3, 25, 3),   # a larger lr, other batch size
    case([2, 6, 5, 3], "ReLU", 3, 0.1, 10, 2),           # several outputs: the mean runs over N × out
    case([2, 6, 1], "Sigmoid", 4, 0.5, 7, 1),            # a last batch shorter than the others (250 = 35·7 + 5)
]

if __name__ == "__main__":
    head = json.dumps({"torch_version": torch.__version__})[:-1]
    text = head + ',"cases":[\n' + ",\n".join(json.dumps(c, separators=(",", ":")) for c in CASES) + "\n]}\n"
    path = os.path.join(HERE, "playground_reference.json")
    with open(path, "w") as f:
        f.write(text)
    print(f"{os.path.relpath(path)}: {len(CASES)} cases, {len(text)} bytes")
