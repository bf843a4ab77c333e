#!/usr/bin/python3
"""Writes tests/reference/meanfield.json: high-precision Gaussian moments for the mean-field
theory of core/nn_meanfield.* (E[φ(√q Z)], E[φ(√q Z)²], E[φ′(√q Z)²], Z ~ N(0, 1)) and the
literature checks.

Design note: an oracle independent of the C++ quadrature. φ and φ′ are PyTorch's own (float64,
autograd), so the reference integrates exactly the function the registry's kernel computes, but
the integration is tanh-sinh (double-exponential) quadrature in mpmath at 20 digits, on unit
pieces of [-14, 14] also cut at each activation's kinks as listed here (written again, not read
from the C++ table), at two step sizes that must agree to 1e-14. Where a closed
form exists (ReLU, Identity, Sine, BinaryStep) it is used instead. The tanh depth sequence and the
critical σ_w² at σ_b² = 0.05 are computed entirely in mpmath (tanh at 20 digits on the same
nodes, the fixed point and χ = 1 by mpmath's findroot), so those tests check the literature's numbers against an exact
computation rather than against our own code. Run with /usr/bin/python3; deterministic output.
"""
import json
import os

import mpmath as mp
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
mp.mp.dps = 20
HERE = os.path.dirname(os.path.abspath(__file__))


def module(name, params):
    if name == "LinearActivation":
        return lambda x: params.get("c", 1.0) * x
    if name == "BinaryStep":
        return lambda x: torch.where(x >= 0, 1.0, 0.0)
    if name == "Sine":
        return lambda x: torch.sin(params.get("w0", 30.0) * x)
    m = getattr(nn, name)(**params)
    if name == "RReLU":
        m.eval()
    return m


def kinks(name, p):
    if name in ("ReLU", "LeakyReLU", "PReLU", "RReLU", "BinaryStep", "ELU", "SELU", "CELU", "Softsign"):
        return [0.0]
    if name == "ReLU6":
        return [0.0, 6.0]
    if name == "Hardtanh":
        return [p.get("min_val", -1.0), p.get("max_val", 1.0)]
    if name in ("Hardswish", "Hardsigmoid"):
        return [-3.0, 3.0]
    if name in ("Hardshrink", "Softshrink"):
        lam = p.get("lambd", 0.5)
        return [-lam, lam]
    if name == "Threshold":
        return [p["threshold"]]
    if name == "Softplus":
        return [p.get("threshold", 20.0) / p.get("beta", 1.0)]
    return []


def tanh_sinh(a, b, level):
    """Tanh-sinh (double-exponential) nodes and weights on [a, b], step 2^-level: it converges
    double-exponentially even where the integrand's derivatives jump at an end (a kink)."""
    h = mp.mpf(2) ** -level
    half, mid = (b - a) / 2, (b + a) / 2
    out = []
    for k in range(-int(3.2 / h), int(3.2 / h) + 1):
        t = k * h
        u = mp.pi / 2 * mp.sinh(t)
        x, w = mp.tanh(u), mp.pi / 2 * mp.cosh(t) / mp.cosh(u) ** 2 * h
        out.append((mid + half * x, half * w))
    return out


def gaussian_nodes(kinks_z, level):
    """Nodes z and weights for E[f(Z)], Z ~ N(0, 1): unit pieces over [-14, 14], also cut at the
    kinks (the Gaussian mass beyond 14 is below 1e-44)."""
    cuts = sorted(set([mp.mpf(c) for c in range(-14, 15)] + [c for c in kinks_z if -14 < c < 14]))
    nodes = []
    for a, b in zip(cuts, cuts[1:]):
        for z, w in tanh_sinh(a, b, level):
            nodes.append((z, w * mp.exp(-z * z / 2) / mp.sqrt(2 * mp.pi)))
    return nodes


def moments(name, params, q):
    fn = module(name, params)
    rq = mp.sqrt(q)
    results = []
    for level in (4, 5):  # two step sizes: the reference is the finer, and they must agree
        nodes = gaussian_nodes([mp.mpf(c) / rq for c in kinks(name, params)], level)
        x = torch.tensor([float(rq * z) for z, _ in nodes], requires_grad=True)
        y = fn(x)
        dy = torch.autograd.grad(y.sum(), x)[0] if y.requires_grad else torch.zeros_like(x)
        ws = [w for _, w in nodes]
        ys, dys = y.tolist(), dy.tolist()
        results.append([float(mp.fsum(w * v for w, v in zip(ws, ys))),
                        float(mp.fsum(w * v * v for w, v in zip(ws, ys))),
                        float(mp.fsum(w * v * v for w, v in zip(ws, dys)))])
    coarse, fine = results
    for c, f in zip(coarse, fine):
        assert abs(c - f) <= 1e-14 * max(1.0, abs(f)), (name, params, q, coarse, fine)
    return fine


def closed_form(name, params, q):
    q = mp.mpf(q)
    if name == "ReLU":
        return [mp.sqrt(q / (2 * mp.pi)), q / 2, mp.mpf(1) / 2]
    if name == "Identity":
        return [0, q, 1]
    if name == "BinaryStep":
        return [mp.mpf(1) / 2, mp.mpf(1) / 2, 0]
    if name == "Sine":
        w0 = mp.mpf(params.get("w0", 30.0))
        a2 = w0 * w0 * q
        return [0, (1 - mp.exp(-2 * a2)) / 2, w0 * w0 * (1 + mp.exp(-2 * a2)) / 2]
    return None


CASES = [
    ("Identity", {}), ("ReLU", {}), ("ReLU6", {}), ("LeakyReLU", {}), ("LeakyReLU", {"negative_slope": 0.2}),
    ("PReLU", {}), ("RReLU", {}), ("Hardswish", {}), ("ELU", {}), ("ELU", {"alpha": 0.5}), ("CELU", {"alpha": 0.5}),
    ("SELU", {}), ("GELU", {}), ("GELU", {"approximate": "tanh"}), ("SiLU", {}), ("Mish", {}), ("Softplus", {}),
    ("Softplus", {"beta": 2.0}), ("Sigmoid", {}), ("Tanh", {}), ("Softsign", {}), ("LogSigmoid", {}),
    ("Hardtanh", {}), ("Hardtanh", {"min_val": -0.5, "max_val": 2.0}), ("Hardsigmoid", {}), ("Hardshrink", {}),
    ("Softshrink", {"lambd": 1.0}), ("Tanhshrink", {}), ("Threshold", {"threshold": 0.5, "value": -1.0}),
    ("LinearActivation", {"c": 2.5}), ("BinaryStep", {}), ("Sine", {}), ("Sine", {"w0": 1.0}),
]
QS = [0.1, 1.0, 4.0, 25.0]


NODES = None


def expect(f):
    """E[f(Z)] in mpmath precision on the tanh-sinh node set (cut at 0)."""
    global NODES
    if NODES is None:
        NODES = gaussian_nodes([mp.mpf(0)], 5)
    return mp.fsum(w * f(z) for z, w in NODES)


def tanh_sequence():
    # sigma_w2 = 1, sigma_b2 = 0, q0 = 1: q_l = E[tanh(sqrt(q_{l-1}) Z)^2]
    q, out = mp.mpf(1), []
    for _ in range(12):
        rq = mp.sqrt(q)
        q = expect(lambda z: mp.tanh(rq * z) ** 2)
        out.append(float(q))
    return out


def tanh_critical(sigma_b2):
    sb = mp.mpf(sigma_b2)

    def qstar(sw):
        return mp.findroot(lambda q: sw * expect(lambda z: mp.tanh(mp.sqrt(q) * z) ** 2) + sb - q, mp.mpf(0.5))

    def chi_minus_1(sw):
        rq = mp.sqrt(qstar(sw))
        return sw * expect(lambda z: mp.sech(rq * z) ** 4) - 1

    return float(mp.findroot(chi_minus_1, mp.mpf(1.76)))


def selu_moments():
    # the float64 constants PyTorch uses, taken exactly
    lam, alpha = mp.mpf(1.0507009873554804934193349852946), mp.mpf(1.6732632423543772848170429916717)
    selu = lambda x: lam * x if x > 0 else lam * alpha * (mp.exp(x) - 1)
    return [float(expect(selu)), float(expect(lambda z: selu(z) ** 2))]


def main():
    rows = []
    for name, params in CASES:
        for q in QS:
            cf = closed_form(name, params, q)
            vals = [float(v) for v in cf] if cf is not None else moments(name, params, q)
            rows.append({"name": name, "params": params, "q": q, "mean": vals[0], "second": vals[1], "slope2": vals[2],
                         "source": "closed form" if cf is not None else "tanh-sinh over torch"})
    data = {
        "comment": "written by generate_meanfield.py: Gaussian moments E[phi], E[phi^2], E[phi'^2] at N(0, q)",
        "moments": rows,
        "tanh_sequence": tanh_sequence(),
        "tanh_critical_sigma_b2_0.05": tanh_critical(0.05),
        "selu_mean_second_at_q1": selu_moments(),
    }
    with open(os.path.join(HERE, "meanfield.json"), "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
