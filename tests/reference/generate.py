#!/usr/bin/python3
"""Writes the PyTorch reference data in tests/reference/*.json (format: README.md here).

Design note: this script is PyTorch's word, not ours. It imports nothing from the project and
computes every number with torch itself (float64, CPU), so the C++ core is checked against an
independent oracle. Inputs are fixed literals or come from seeded torch generators rounded to a
few decimals, so a re-run writes byte-identical files. Cases aim at the places where
reimplementations drift: kinks and branch boundaries (hit exactly and one ulp either side),
clamps, tiny and huge values, non-finite values, broadcasting, ignore/blank conventions and the
exact wording of PyTorch's errors. Every error case is checked here: torch must raise, and the
recorded `match` must be a substring of its message.

Run with Debian's /usr/bin/python3 (python3-torch 1.13.1): `bash tools/gen-reference.sh`.
"""
import json
import math
import os
import sys
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
torch.use_deterministic_algorithms(True)
torch.set_num_threads(1)  # reductions then sum in one fixed order

HERE = os.path.dirname(os.path.abspath(__file__))
NAN, INF = float("nan"), float("inf")


# ------------------------------------------------------------------ encoding
def enc(v):
    """Python/torch value -> JSON-safe value; non-finite floats become strings."""
    if isinstance(v, torch.Tensor):
        return enc(v.detach().tolist())
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return v
    if isinstance(v, (list, tuple)):
        return [enc(u) for u in v]
    if isinstance(v, dict):
        return {k: enc(u) for k, u in v.items()}
    raise TypeError(f"cannot encode {type(v)}")


def write(fname, cases):
    lines = [json.dumps(enc(c), allow_nan=False, separators=(",", ":")) for c in cases]
    head = json.dumps({"torch_version": torch.__version__})[:-1]
    text = head + ',"cases":[\n' + ",\n".join(lines) + "\n]}\n"
    json.loads(text)  # well-formed
    with open(os.path.join(HERE, fname), "w") as f:
        f.write(text)
    print(f"{fname}: {len(cases)} cases, {len(text)} bytes")


def clean_message(msg):
    # Release builds carry no source location, but strip it should a build add one.
    msg = msg.split("\nException raised from")[0]
    if msg.startswith("[enforce fail at"):
        msg = msg.split("] ", 1)[1]
    return msg.strip()


# ------------------------------------------------------------------ fixed inputs
def rnd(shape, seed, scale=1.0, lo=None, hi=None, digits=4):
    """Seeded normal (or uniform in [lo, hi]) values, rounded so the JSON stays short."""
    g = torch.Generator().manual_seed(seed)
    if lo is None:
        t = torch.randn(shape, generator=g) * scale
    else:
        t = lo + (hi - lo) * torch.rand(shape, generator=g)
    return _round(t.tolist(), digits)


def _round(v, digits):
    if isinstance(v, list):
        return [_round(u, digits) for u in v]
    return round(v, digits)


def rnd_int(shape, seed, high):
    g = torch.Generator().manual_seed(seed)
    return torch.randint(0, high, shape, generator=g).tolist()


def probs(shape, seed):
    """Rows (along dim 1, or dim 0 for 1-D) that sum to 1 — soft targets."""
    g = torch.Generator().manual_seed(seed)
    t = torch.rand(shape, generator=g) + 0.05
    d = 0 if len(shape) == 1 else 1
    return (t / t.sum(dim=d, keepdim=True)).tolist()


def log_softmax_of(shape, seed, dim):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(shape, generator=g).mul(1.5).log_softmax(dim).tolist()


# ================================================================== elementwise
class LinearActivation(nn.Module):
    def __init__(self, c=1.0):
        super().__init__()
        self.c = c

    def forward(self, x):
        return self.c * x


class BinaryStep(nn.Module):
    def forward(self, x):  # a comparison: autograd gives no gradient (recorded as 0)
        return torch.where(x >= 0, 1.0, 0.0)


class Sine(nn.Module):
    def __init__(self, w0=30.0):
        super().__init__()
        self.w0 = w0

    def forward(self, x):
        return torch.sin(self.w0 * x)


OURS = {"LinearActivation": LinearActivation, "BinaryStep": BinaryStep, "Sine": Sine}


def make_elementwise(name, params):
    cls = OURS.get(name) or getattr(nn, name)
    m = cls(**params)
    if name == "RReLU":
        m.eval()  # the deterministic slope (lower + upper) / 2
    return m


ELEMENTWISE = [
    ("Identity", [{}]),
    ("ReLU", [{}]),
    ("ReLU6", [{}]),
    ("LeakyReLU", [{}, {"negative_slope": 0.2}, {"negative_slope": -0.5}, {"negative_slope": 0.0},
                   {"negative_slope": 1.5}]),
    ("PReLU", [{}, {"init": 0.1}, {"init": -1.0}, {"init": 0.0}, {"num_parameters": 1, "init": 1.5}]),
    ("RReLU", [{}, {"lower": 0.1, "upper": 0.3}, {"lower": 0.2, "upper": 0.2},
               {"lower": -0.5, "upper": -0.1}, {"lower": 0.5, "upper": 2.0}]),
    ("ELU", [{}, {"alpha": 0.5}, {"alpha": -1.0}, {"alpha": 0.0}, {"alpha": 2.0}]),
    ("CELU", [{}, {"alpha": 0.5}, {"alpha": -1.0}, {"alpha": 2.0}]),
    ("SELU", [{}]),
    ("GELU", [{}, {"approximate": "tanh"}, {"approximate": "none"}]),
    ("Sigmoid", [{}]),
    ("Tanh", [{}]),
    ("SiLU", [{}]),
    ("Mish", [{}]),
    ("Softplus", [{}, {"beta": 2.0, "threshold": 5.0}, {"beta": 0.5}, {"threshold": 0.0},
                  {"beta": -1.0}, {"beta": 0.0}, {"beta": 1.0, "threshold": -2.0}]),
    ("Softsign", [{}]),
    ("LogSigmoid", [{}]),
    ("Hardtanh", [{}, {"min_val": -2.0, "max_val": 3.0}, {"min_val": 0.5, "max_val": 0.75},
                  {"min_val": -3.0, "max_val": -1.0}]),
    ("Hardsigmoid", [{}]),
    ("Hardswish", [{}]),
    ("Hardshrink", [{}, {"lambd": 1.0}, {"lambd": 0.0}, {"lambd": -1.0}]),
    ("Softshrink", [{}, {"lambd": 1.0}, {"lambd": 0.0}, {"lambd": 2.5}]),
    ("Tanhshrink", [{}]),
    ("Threshold", [{"threshold": 0.1, "value": 20.0}, {"threshold": -1.0, "value": -3.0},
                   {"threshold": 0.0, "value": 0.0}, {"threshold": 2.0, "value": NAN}]),
    ("LinearActivation", [{}, {"c": 2.5}, {"c": -0.5}, {"c": 0.0}]),
    ("BinaryStep", [{}]),
    ("Sine", [{}, {"w0": 1.0}, {"w0": -2.0}, {"w0": 0.0}]),
]

DEFAULT_KINKS = {
    "ReLU6": [6.0], "Hardsigmoid": [3.0, -3.0], "Hardswish": [3.0, -3.0],
    "Hardshrink": [0.5, -0.5], "Softshrink": [0.5, -0.5], "Hardtanh": [-1.0, 1.0],
    "Softplus": [20.0],
}


def ulp_neighbours(v):  # a kink, and the nearest doubles either side of it
    return [math.nextafter(v, -INF), v, math.nextafter(v, INF)]


def elementwise_x(name, params):
    pts = [0.0, -0.0]
    kinks = list(DEFAULT_KINKS.get(name, []))
    for k, v in params.items():
        if isinstance(v, float) and math.isfinite(v):
            kinks += [v, -v]
    if name == "Softplus":  # the switch to the identity is at beta * x == threshold
        beta = params.get("beta", 1.0)
        thr = params.get("threshold", 20.0)
        if beta != 0:
            kinks.append(thr / beta)
    for k in kinks:
        pts += ulp_neighbours(k)
    pts += [i / 5 for i in range(-30, 31)]  # the grid over [-6, 6]
    pts += [1e-300, -1e-300, 5e-324, -5e-324, 1e-8, -1e-8, 1e-3, -1e-3,
            20.0, -20.0, 40.0, -40.0, 800.0, -800.0, NAN, INF, -INF]
    seen, out = set(), []
    for p in pts:
        key = repr(p)
        if key not in seen:
            seen.add(key)
            out.append(p)
    finite = sorted((p for p in out if math.isfinite(p)), key=lambda p: (p, math.copysign(1, p)))
    return finite + [NAN, INF, -INF]


def run_elementwise(name, params, xs):
    m = make_elementwise(name, params)
    x = torch.tensor(xs, requires_grad=True)
    y = m(x)
    if y.requires_grad:
        y.sum().backward()
    dy = x.grad if x.grad is not None else torch.zeros_like(x)
    return y, dy


def run_elementwise_scalar(name, params, xs):
    """Each x on its own. ATen's CPU kernels run blocks of 8 doubles through SIMD code and the
    rest through the scalar lambda, and the two disagree at a few points (the gradient of
    Hardshrink, Softshrink, Hardtanh and ReLU6 at nan; Hardswish's gradient at x == 3). The
    scalar lambda is the kernel as written, so that is the reference."""
    ys, dys = [], []
    for v in xs:
        y, dy = run_elementwise(name, params, [v])
        ys.append(y.item())
        dys.append(dy.item())
    return ys, dys


def elementwise_cases():
    cases = []
    for name, param_sets in ELEMENTWISE:
        for params in param_sets:
            xs = elementwise_x(name, params)
            y, dy = run_elementwise_scalar(name, params, xs)
            cases.append({"name": name, "params": params, "x": xs, "y": y, "dy": dy})
    return cases + elementwise_nd_cases()


def elementwise_nd_cases():
    """x of other shapes (the later cases): each function with its first parameter set on a
    (2, 3) input, a (2, 1, 2) one and a 0-dim one — y and dy keep x's shape — and PReLU with one
    slope per channel of dim 1. Under 8 elements, so ATen stays on its scalar path."""
    inputs = [rnd([2, 3], 41, 2.0), rnd([2, 1, 2], 42, 2.0), -0.7]
    cases = []
    for name, param_sets in ELEMENTWISE:
        for xs in inputs:
            y, dy = run_elementwise(name, param_sets[0], xs)
            cases.append({"name": name, "params": param_sets[0], "x": xs, "y": y, "dy": dy})
    for params, xs in [({"num_parameters": 3, "init": 0.1}, inputs[0]), ({"num_parameters": 1}, inputs[2])]:
        y, dy = run_elementwise("PReLU", params, xs)
        cases.append({"name": "PReLU", "params": params, "x": xs, "y": y, "dy": dy})
    return cases


# ================================================================== vector
def vector_inputs():
    v = {
        1: [[0.5], [800.0], [-INF], [NAN], [INF]],
        2: [[1.0, 2.0], [800.0, -800.0], [0.0, 0.0], [-INF, 0.0], [-INF, -INF], [NAN, 1.0],
            [INF, 0.0], [1e-300, -1e-300]],
        5: [rnd(5, 11, 2.0), [800.0, 799.0, -800.0, 0.0, 1.0], [3.0, 3.0, 3.0, 3.0, 3.0],
            [-INF, 1.0, 2.0, -INF, 0.0], [0.0, NAN, 1.0, 2.0, 3.0], [INF, 0.0, 1.0, 2.0, 3.0]],
        8: [rnd(8, 12, 3.0), [float(800 - 228 * i) for i in range(8)], [-1.5] * 8,
            [0.0, -INF, 1.0, 2.0, -INF, 3.0, -1.0, -INF], [1.0, 2.0, 3.0, NAN, 0.0, 0.0, 1.0, 2.0],
            [-800.0, -799.5, -801.0, -800.0, -803.0, -798.0, -800.0, -805.0]],
    }
    return [x for n in (1, 2, 5, 8) for x in v[n]]


VECTOR = [
    ("Softmax", [{}, {"dim": 0}, {"dim": -1}]),
    ("Softmin", [{}, {"dim": 0}, {"dim": -1}]),
    ("LogSoftmax", [{}, {"dim": 0}, {"dim": -1}]),
    ("GLU", [{}, {"dim": 0}, {"dim": -1}]),
]


def run_vector(name, params, xs):
    """y, the Jacobian, and the UserWarnings of the forward call (dim=None: "Implicit dimension
    choice for softmax has been deprecated. ..."; the Jacobian's own calls repeat them)."""
    m = getattr(nn, name)(**params)
    x = torch.tensor(xs)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        y = m(x)
    msgs = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        jac = torch.autograd.functional.jacobian(m, x)
    return y, jac, msgs


def vector_case(name, params, xs, y, jac, msgs):
    case = {"name": name, "params": params, "x": xs, "y": y, "jacobian": jac}
    if msgs:
        case["warnings"] = msgs
    return case


def vector_cases():
    cases = []
    for name, param_sets in VECTOR:
        for params in param_sets:
            for xs in vector_inputs():
                if name == "GLU" and len(xs) % 2:
                    continue
                y, jac, msgs = run_vector(name, params, xs)
                cases.append(vector_case(name, params, xs, y, jac, msgs))
    return cases + vector_nd_cases()


def slice_jacobians(jac, x, y, dim):
    """autograd's full Jacobian (y.shape + x.shape) -> one (m, n) block per slice along dim:
    shape x.shape without dim, then (m, n). The entries between different slices are checked
    to be 0 (or autograd's nan from a slice whose output is nan); they are not recorded."""
    if x.dim() == 0:
        return jac
    ny = y.dim()
    j = jac.movedim(dim, ny - 1).movedim(ny + dim, -1)  # rest_y + (m,) + rest_x + (n,)
    rest = list(x.shape[:dim]) + list(x.shape[dim + 1:])
    r, m, n = math.prod(rest), y.shape[dim], x.shape[dim]
    j = j.reshape(r, m, r, n)
    blocks = torch.stack([j[i, :, i, :] for i in range(r)]) if r else torch.zeros(0, m, n)
    off = j.clone()
    for i in range(r):
        off[i, :, i, :] = 0
    # (autograd's backward also puts 0 * nan = nan between slices where a slice's output is nan)
    assert bool(((off == 0) | off.isnan()).all()), "a slice depends on another"
    return blocks.reshape(rest + [m, n])


def vector_nd_cases():
    """N-D inputs: each function along every dim (negative too) and with its default, and a
    0-dim input; the Jacobians per slice (slice_jacobians). (autograd's jacobian cannot stack an
    empty input's, so empty slices are left to the native rules.)"""
    x2 = [[1.0, 2.0, 0.5, -1.0], [0.1, 0.2, 3.0, 800.0]]
    x3 = rnd([2, 3, 4], 31, 2.0)
    x3[1][2] = [-INF, 0.0, 1.0, 2.0]
    inputs = [(x2, (0, 1, -1, -2)), (x3, (0, 1, 2, -1, -2, -3)), (rnd([3, 2], 32), (0, 1)),
              (0.7, (0, -1))]
    cases = []
    for name, _ in VECTOR:
        for xs, dims in inputs:
            t = torch.tensor(xs)
            for params in [{}] + [{"dim": d} for d in dims]:
                d = params.get("dim", -1 if name == "GLU" else (0 if t.dim() in (0, 1, 3) else 1))
                if name == "GLU" and (t.dim() == 0 or t.shape[d] % 2):
                    continue
                y, jac, msgs = run_vector(name, params, xs)
                cases.append(vector_case(name, params, xs, y, slice_jacobians(jac, t, y, d % max(t.dim(), 1)), msgs))
    return cases


# ================================================================== losses
DISTANCES = {
    "pairwise": lambda: nn.PairwiseDistance(),
    "cosine": lambda: (lambda a, b: 1.0 - F.cosine_similarity(a, b)),
}
# Arguments whose ATen function refuses requires_grad ("is not differentiable with respect to
# argument 'target'"): given without requires_grad, recorded with a zero gradient.
NOT_DIFFERENTIABLE = {("SoftMarginLoss", "target")}


def make_loss(name, params):
    kw = {}
    for k, v in params.items():
        if k in ("weight", "pos_weight"):
            kw[k] = torch.tensor(v)
        elif k == "distance_function":
            kw[k] = DISTANCES[v]()
        else:
            kw[k] = v
    return getattr(nn, name)(**kw)


def loss_tensors(name, args, ints):
    ts = {}
    for k, v in args.items():
        if k in ints:
            ts[k] = torch.tensor(v, dtype=torch.long)
        else:
            ts[k] = torch.tensor(v, dtype=torch.float64,
                                 requires_grad=(name, k) not in NOT_DIFFERENTIABLE)
    return ts


def run_loss(name, params, args, ints=()):
    ts = loss_tensors(name, args, ints)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m = make_loss(name, params)
        out = m(*ts.values())  # positional: PoissonNLLLoss's first argument is log_input in 1.13
        out.sum().backward()
    grad = {k: (t.grad if t.grad is not None else torch.zeros_like(t))
            for k, t in ts.items() if k not in ints}
    msgs = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    return out, grad, msgs


LOSS_CASES = []
REDS = ("none", "mean", "sum")


def pieces(args, size=6):
    """Splits aligned 1-D arguments into pieces of at most `size` elements. Under 8 elements
    ATen's pointwise kernels stay on their scalar path (see run_elementwise_scalar), which
    matters where a piece holds a kink or a non-finite value."""
    n = len(next(iter(args.values())))
    return [{k: v[i:i + size] for k, v in args.items()} for i in range(0, n, size)]


def L(name, params, args, ints=(), reds=REDS):
    """One case per reduction; reduction='mean' is PyTorch's default, so it is left out of params."""
    for r in reds:
        p = dict(params)
        if r != "mean":
            p["reduction"] = r
        out, grad, msgs = run_loss(name, p, args, ints)
        case = {"name": name, "params": p, "args": args, "loss": out, "grad": grad}
        if msgs:
            case["warnings"] = msgs
        LOSS_CASES.append(case)


def regression_losses():
    diffs = [-3.0, -2.0, -1.5, -1.0, -0.75, -0.5, -0.25, -1e-3, 0.0, 1e-3, 0.25, 0.5, 0.75, 1.0,
             1.5, 2.0, 3.0]
    t_shift = [0.5] * len(diffs)
    shifted = [0.5 + d for d in diffs]  # exact: every diff survives the round trip
    extremes = ([1e300, -1e300, 1e-300, INF, -INF, NAN, 800.0, INF, 5.0],
                [-1e300, 1e300, 0.0, 1.0, -INF, 0.0, -800.0, INF, NAN])
    common = [
        {"input": rnd(5, 1), "target": rnd(5, 2)},
        {"input": 0.7, "target": -0.3},
        {"input": rnd([2, 3], 7), "target": rnd(3, 8)},           # broadcasts, with a warning
    ]
    telling = [
        {"input": rnd([2, 3], 3), "target": rnd([2, 3], 4)},
        {"input": rnd(3, 5), "target": rnd([3, 1], 6)},
        {"input": [1.0, -2.0, 3.0], "target": [1.0, -2.0, 3.0]},  # zero difference everywhere
    ]
    telling += pieces({"input": diffs, "target": [0.0] * len(diffs)})
    telling += pieces({"input": shifted, "target": t_shift})
    telling += pieces({"input": extremes[0], "target": extremes[1]}, 5)
    for name, param_sets in [("L1Loss", [{}]), ("MSELoss", [{}]),
                             ("SmoothL1Loss", [{}, {"beta": 0.5}, {"beta": 0.0}, {"beta": 2.0}]),
                             ("HuberLoss", [{}, {"delta": 0.5}, {"delta": 2.0}, {"delta": 1e-3}])]:
        for i, params in enumerate(param_sets):
            for args in (common if i == 0 else []) + telling:
                L(name, params, args)


def nll_and_ce():
    x = rnd([3, 4], 20, 1.5)
    ext = [[-INF, 0.0, 1.0, 2.0], [800.0, -800.0, 0.0, 1.0], [NAN, 0.0, 1.0, 2.0],
           [1e300, -1e300, 0.0, 0.0]]
    xd = rnd([2, 3, 4], 21)
    td = [[0, 2, 1, 1], [2, 0, 0, 1]]
    x4 = rnd([2, 3, 2, 2], 22)
    t4 = [[[0, 1], [2, 2]], [[1, 0], [0, 2]]]
    w4 = [1.0, 2.0, 0.5, 0.0]
    for name in ("NLLLoss", "CrossEntropyLoss"):
        I = ("target",)
        L(name, {}, {"input": x, "target": [0, 3, 1]}, I)
        L(name, {"weight": w4}, {"input": x, "target": [0, 3, 1]}, I)
        L(name, {"ignore_index": 1}, {"input": x, "target": [1, 3, 1]}, I)
        L(name, {"ignore_index": -1}, {"input": x, "target": [-1, 2, 0]}, I)
        L(name, {"ignore_index": 7}, {"input": x, "target": [7, 2, 0]}, I)  # out of range, ignored
        L(name, {"ignore_index": 2}, {"input": x, "target": [2, 2, 2]}, I)  # all ignored: 0/0
        L(name, {"weight": w4, "ignore_index": 0}, {"input": x, "target": [0, 2, 1]}, I)
        L(name, {"weight": [0.0, 1.0, 1.0, 1.0]}, {"input": x, "target": [0, 0, 0]}, I)
        L(name, {}, {"input": x[0], "target": 2}, I)                       # unbatched (C,)
        L(name, {"weight": w4}, {"input": x[1], "target": 1}, I)
        L(name, {"ignore_index": 3}, {"input": x[1], "target": 3}, I)
        L(name, {}, {"input": xd, "target": td}, I)                         # (N, C, d1)
        L(name, {"weight": [0.5, 1.0, 3.0]}, {"input": xd, "target": td}, I)
        L(name, {"weight": [0.5, 1.0, 3.0], "ignore_index": 1}, {"input": x4, "target": t4}, I)
        L(name, {}, {"input": ext, "target": [1, 0, 2, 3]}, I)
        L(name, {}, {"input": ext, "target": [0, 1, 2, 1]}, I)
    # CrossEntropyLoss only: label smoothing and probability targets.
    I = ("target",)
    ce = "CrossEntropyLoss"
    for ls in (0.1, 0.5, 1.0):
        L(ce, {"label_smoothing": ls}, {"input": x, "target": [0, 3, 1]}, I)
    L(ce, {"label_smoothing": 0.2, "weight": w4}, {"input": x, "target": [0, 3, 1]}, I)
    L(ce, {"label_smoothing": 0.2, "ignore_index": 3}, {"input": x, "target": [0, 3, 1]}, I)
    L(ce, {"label_smoothing": 0.3, "weight": w4, "ignore_index": 1}, {"input": x, "target": [2, 1, 0]}, I)
    L(ce, {"label_smoothing": 0.25}, {"input": x[2], "target": 0}, I)
    L(ce, {"label_smoothing": 0.25, "weight": [0.5, 1.0, 3.0]}, {"input": xd, "target": td}, I)
    L(ce, {"label_smoothing": 0.1}, {"input": ext, "target": [1, 0, 2, 3]}, I)
    p = probs([3, 4], 23)
    L(ce, {}, {"input": x, "target": p})
    L(ce, {"weight": w4}, {"input": x, "target": p})
    L(ce, {"label_smoothing": 0.2}, {"input": x, "target": p})
    L(ce, {"label_smoothing": 0.4, "weight": w4}, {"input": x, "target": p})
    L(ce, {}, {"input": x, "target": [[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0], [0.5, 0.5, 0.0, 0.0]]})
    L(ce, {}, {"input": x, "target": [[2.0, -1.0, 0.0, 0.5], [0.0, 0.0, 0.0, 0.0], [0.3, 0.3, 0.3, 0.3]]})
    L(ce, {}, {"input": x[0], "target": probs([4], 24)})                    # unbatched (C,)
    L(ce, {"label_smoothing": 0.1, "weight": w4}, {"input": x[0], "target": probs([4], 24)})
    pd = torch.tensor(probs([2, 3], 25)).unsqueeze(-1).expand(2, 3, 4).contiguous().tolist()
    L(ce, {}, {"input": xd, "target": pd})                                  # (N, C, d1)
    L(ce, {"weight": [0.5, 1.0, 3.0], "label_smoothing": 0.3}, {"input": xd, "target": pd})
    L(ce, {}, {"input": ext, "target": probs([4, 4], 26)})


def binary_losses():
    x = rnd(5, 30, lo=0.02, hi=0.98)
    t = rnd(5, 31, lo=0.0, hi=1.0)
    edge_x = [0.0, 1.0, 0.0, 1.0, 0.5, 1e-300, 1.0 - 2 ** -53, 1.0, 0.0, 1e-50, 3e-44]
    edge_t = [0.0, 1.0, 1.0, 0.0, 0.5, 1.0, 0.0, 0.5, 0.5, 1.0, 1.0]
    x23 = rnd([2, 3], 32, lo=0.02, hi=0.98)
    t23 = rnd([2, 3], 33, lo=0.0, hi=1.0)
    w3 = [1.0, 2.0, 0.5]
    bce = "BCELoss"
    L(bce, {}, {"input": x, "target": t})
    for a in pieces({"input": edge_x, "target": edge_t}):
        L(bce, {}, a)
    L(bce, {"weight": [1.0, 0.0, 2.0, 0.5, 3.0]}, {"input": x, "target": t})
    L(bce, {}, {"input": x23, "target": t23})
    L(bce, {"weight": w3}, {"input": x23, "target": t23})
    L(bce, {"weight": [[2.0], [0.5]]}, {"input": x23, "target": t23})
    L(bce, {}, {"input": 0.3, "target": 1.0})
    L(bce, {}, {"input": [0.3, 0.6, 0.2], "target": [2.0, -1.0, 1.0]})  # targets outside [0, 1]

    z = rnd(5, 34, 2.0)
    ez = [800.0, -800.0, 40.0, -40.0, 20.0, -20.0, 0.0, INF, -INF, 1e-300, 800.0, -800.0]
    et = [0.0, 1.0, 0.0, 1.0, 0.5, 0.5, 0.5, 0.0, 1.0, 1.0, 1.0, 0.0]
    z23 = rnd([2, 3], 35, 2.0)
    bl = "BCEWithLogitsLoss"
    L(bl, {}, {"input": z, "target": t})
    for a in pieces({"input": ez, "target": et}):
        L(bl, {}, a)
        L(bl, {"pos_weight": [3.0] * 6}, a)
    L(bl, {}, {"input": z23, "target": t23})
    L(bl, {"weight": w3}, {"input": z23, "target": t23})
    L(bl, {"pos_weight": [2.0, 0.5, 0.0]}, {"input": z23, "target": t23})
    L(bl, {"pos_weight": [2.0, 0.5, 0.0], "weight": [[1.5], [0.25]]}, {"input": z23, "target": t23})
    L(bl, {"pos_weight": [4.0]}, {"input": z23, "target": t23})
    L(bl, {"pos_weight": [2.0, 0.5, 3.0]}, {"input": [[800.0, -800.0, 0.0], [-40.0, 40.0, NAN]],
                                            "target": [[0.0, 1.0, 1.0], [0.5, 0.5, 1.0]]})
    L(bl, {}, {"input": -1.25, "target": 1.0})
    L(bl, {}, {"input": [NAN, 1.0, -1.0], "target": [1.0, NAN, 0.0]})


def distribution_losses():
    x = log_softmax_of([2, 3], 40, 1)
    t = [[0.2, 0.0, 0.8], [0.5, 0.25, 0.25]]
    tl = [[math.log(0.2), -INF, math.log(0.8)], [math.log(0.5), math.log(0.25), math.log(0.25)]]
    kl = "KLDivLoss"
    reds = REDS + ("batchmean",)
    for lt, tt in ((False, t), (True, tl)):
        p = {"log_target": True} if lt else {}
        L(kl, p, {"input": x, "target": tt}, reds=reds)
        L(kl, p, {"input": x[0], "target": tt[1]}, reds=reds)
        L(kl, p, {"input": -0.7, "target": 0.3 if not lt else -1.2}, reds=reds)
        L(kl, p, {"input": rnd(3, 41), "target": rnd([3, 1], 42, lo=0.0, hi=1.0)}, reds=reds)
        L(kl, p, {"input": [0.0, -800.0, 800.0, NAN, -1.0], "target": [1.0, 0.5, 0.5, 0.5, -0.5]},
          reds=reds)

    pn = "PoissonNLLLoss"
    counts = [[0.0, 1.0, 2.0], [5.0, 10.0, 0.5]]
    li = rnd([2, 3], 43)
    rate = [[0.0, 0.5, 2.0], [4.0, 1e-9, 12.0]]
    L(pn, {}, {"input": li, "target": counts})
    L(pn, {"full": True}, {"input": li, "target": counts})
    L(pn, {"log_input": False}, {"input": rate, "target": counts})
    L(pn, {"log_input": False, "full": True, "eps": 0.1}, {"input": rate, "target": counts})
    L(pn, {"log_input": False, "eps": 0.0}, {"input": [0.0, 1.0, 2.0], "target": [0.0, 0.0, 3.0]})
    L(pn, {"eps": 0.5}, {"input": li, "target": counts})  # eps unused when log_input=True
    L(pn, {}, {"input": [800.0, -800.0, 0.0, NAN], "target": [1.0, 2.0, 1.0, 2.0]})
    L(pn, {"full": True}, {"input": 0.3, "target": 3.0})
    L(pn, {"full": True}, {"input": rnd(3, 44), "target": [[1.0], [2.0], [3.0]]})

    g = "GaussianNLLLoss"
    xi = rnd([2, 3], 45)
    ti = rnd([2, 3], 46)
    v = rnd([2, 3], 47, lo=0.1, hi=2.0)
    L(g, {}, {"input": xi, "target": ti, "var": v})
    L(g, {"full": True}, {"input": xi, "target": ti, "var": v})
    L(g, {}, {"input": xi, "target": ti, "var": [0.5, 2.0]})          # one dim fewer
    L(g, {}, {"input": xi, "target": ti, "var": [[0.5], [2.0]]})      # last dim 1
    L(g, {"eps": 1e-3}, {"input": xi, "target": ti, "var": [[0.0, 1e-4, 1e-3], [2e-3, 1.0, 0.0]]})
    L(g, {"full": True, "eps": 0.5}, {"input": xi, "target": ti, "var": v})
    L(g, {}, {"input": xi, "target": ti, "var": [[0.0, 1e-7, 1e-6], [1e-5, 1.0, 0.0]]})
    L(g, {}, {"input": xi[0], "target": ti[0], "var": v[0]})
    L(g, {}, {"input": xi[0], "target": ti[0], "var": [0.7]})
    L(g, {}, {"input": xi[0], "target": ti[0], "var": 0.7})
    L(g, {"full": True}, {"input": 0.4, "target": -0.2, "var": 1.5})
    L(g, {}, {"input": rnd(3, 48), "target": rnd([3, 1], 49), "var": [1.0, 2.0, 3.0]})
    L(g, {}, {"input": [NAN, 1.0, INF], "target": [0.0, 1.0, 1.0], "var": [1.0, INF, 1.0]})


def margin_losses():
    mr = "MarginRankingLoss"
    a1, a2 = rnd(6, 50), rnd(6, 51)
    y = [1.0, -1.0, 1.0, -1.0, 1.0, -1.0]
    for p in ({}, {"margin": 0.5}, {"margin": -0.5}):
        L(mr, p, {"input1": a1, "input2": a2, "target": y})
    L(mr, {"margin": 0.5}, {"input1": [1.0, 1.5, 0.0, 2.0], "input2": [0.5, 1.0, 0.0, 2.5],
                            "target": [1.0, 1.0, -1.0, -1.0]})   # exactly at the hinge
    L(mr, {}, {"input1": 0.3, "input2": 0.1, "target": -1.0})
    L(mr, {"margin": 0.1}, {"input1": rnd([2, 3], 52), "input2": rnd([2, 1], 53),
                            "target": [[1.0, -1.0, 1.0]]})
    L(mr, {}, {"input1": [1.0, 2.0, NAN], "input2": [0.0, INF, 1.0], "target": [0.0, 0.5, 1.0]})

    he = "HingeEmbeddingLoss"
    x = [-1.0, 0.0, 0.5, 1.0, 1.5, 2.0, -0.5, 3.0]
    t = [1.0, -1.0, -1.0, -1.0, 1.0, -1.0, -1.0, 1.0]
    for p in ({}, {"margin": 0.5}, {"margin": -1.0}, {"margin": 2.0}):
        for a in pieces({"input": x, "target": t}, 4):
            L(he, p, a)
    L(he, {}, {"input": rnd([2, 3], 54), "target": [[1.0, -1.0, -1.0], [-1.0, 1.0, -1.0]]})
    L(he, {}, {"input": 0.25, "target": -1.0})
    L(he, {}, {"input": [0.5, 0.5, 0.5], "target": [0.0, 0.5, 2.0]})   # neither +1 nor -1
    L(he, {}, {"input": rnd(3, 55), "target": [[1.0], [-1.0], [1.0]]})
    L(he, {}, {"input": [NAN, INF, -INF, 800.0], "target": [-1.0, -1.0, 1.0, -1.0]})

    sm = "SoftMarginLoss"
    L(sm, {}, {"input": rnd([2, 3], 56), "target": [[1.0, -1.0, 1.0], [-1.0, -1.0, 1.0]]})
    L(sm, {}, {"input": rnd(5, 57), "target": [1.0, -1.0, 1.0, 1.0, -1.0]})
    L(sm, {}, {"input": -0.4, "target": 1.0})
    L(sm, {}, {"input": [800.0, -800.0, 40.0, -40.0, 0.0, NAN, INF],
                "target": [1.0, 1.0, -1.0, -1.0, 1.0, 1.0, -1.0]})
    L(sm, {}, {"input": [0.5, 0.5], "target": [0.0, 2.0]})

    mlm = "MultiLabelMarginLoss"
    I = ("target",)
    xm = rnd([2, 4], 58)
    L(mlm, {}, {"input": xm, "target": [[3, 0, -1, 1], [1, 2, 3, -1]]}, I)
    L(mlm, {}, {"input": xm, "target": [[0, 1, 2, 3], [-1, 0, 1, 2]]}, I)  # second row: nothing
    L(mlm, {}, {"input": xm, "target": [[2, -1, 0, 1], [1, 1, -1, 3]]}, I)  # stops at -1; repeats
    L(mlm, {}, {"input": xm[0], "target": [2, 0, -1, 3]}, I)               # unbatched (C,)
    L(mlm, {}, {"input": [[800.0, -800.0, 0.0], [NAN, 0.0, 1.0]], "target": [[1, -1, 0], [2, -1, -1]]}, I)
    L(mlm, {}, {"input": [[0.0, 1.0, 2.0], [1.0, 0.0, 0.5]], "target": [[0, -1, 1], [0, 1, 2]]}, I)

    mls = "MultiLabelSoftMarginLoss"
    xs = rnd([2, 3], 59)
    ts = [[1.0, 0.0, 1.0], [0.0, 0.25, 1.0]]
    L(mls, {}, {"input": xs, "target": ts})
    L(mls, {"weight": [1.0, 2.0, 0.0]}, {"input": xs, "target": ts})
    L(mls, {"weight": [[2.0], [0.5]]}, {"input": xs, "target": ts})
    L(mls, {}, {"input": xs[0], "target": ts[0]})                          # unbatched (C,)
    L(mls, {"weight": [1.0, 2.0, 0.5]}, {"input": xs[1], "target": ts[1]})
    L(mls, {}, {"input": rnd(3, 60), "target": [[1.0], [0.0], [1.0]]})   # broadcasts silently
    L(mls, {}, {"input": [[800.0, -800.0, 0.0], [NAN, 40.0, -40.0]], "target": [[0.0, 1.0, 1.0], [1.0, 0.0, 1.0]]})

    mm = "MultiMarginLoss"
    xm = rnd([3, 4], 61)
    tm = [0, 3, 2]
    for p in ({}, {"p": 2}, {"margin": 0.5}, {"margin": 2.0}, {"p": 2, "margin": 0.0},
              {"margin": -1.0}, {"weight": [1.0, 2.0, 0.5, 0.0]},
              {"p": 2, "margin": 1.5, "weight": [1.0, 2.0, 0.5, 3.0]}):
        L(mm, p, {"input": xm, "target": tm}, I)
    L(mm, {}, {"input": xm[0], "target": 1}, I)                            # unbatched (C,)
    L(mm, {"p": 2, "weight": [1.0, 2.0, 0.5, 3.0]}, {"input": xm[1], "target": 3}, I)
    L(mm, {}, {"input": 0.5, "target": 0}, I)                              # 0-dim: one class
    L(mm, {}, {"input": [[0.0, 1.0, 0.5], [1.0, 0.0, 0.0]], "target": [1, 0]}, I)  # at the hinge
    L(mm, {"p": 2}, {"input": [[800.0, -800.0, 0.0], [NAN, 1.0, 0.0]], "target": [0, 2]}, I)


def embedding_losses():
    ce = "CosineEmbeddingLoss"
    a, b = rnd([3, 4], 70), rnd([3, 4], 71)
    y = [1.0, -1.0, -1.0]
    for p in ({}, {"margin": 0.5}, {"margin": -0.5}):
        L(ce, p, {"input1": a, "input2": b, "target": y})
    L(ce, {"margin": 0.2}, {"input1": a[0], "input2": b[0], "target": -1.0})   # (D,), 0-dim target
    L(ce, {}, {"input1": a[1], "input2": b[1], "target": 1.0})
    L(ce, {}, {"input1": [[0.0, 0.0, 0.0], [1.0, 2.0, 3.0], [1.0, 2.0, 3.0]],
               "input2": [[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [-1.0, -2.0, -3.0]],
               "target": [1.0, 1.0, -1.0]})                                # zero and parallel
    L(ce, {}, {"input1": a, "input2": b, "target": [0.0, 2.0, 1.0]})          # unusual targets
    L(ce, {}, {"input1": [[NAN, 1.0], [1e300, 1e300], [1e-300, 0.0]],
               "input2": [[1.0, 1.0], [1e300, -1e300], [1e-300, 1e-300]], "target": [1.0, -1.0, 1.0]})

    tm = "TripletMarginLoss"
    an, po, ne = rnd([3, 4], 72), rnd([3, 4], 73), rnd([3, 4], 74)
    for p in ({}, {"margin": 0.5}, {"margin": 0.0}, {"p": 1.0}, {"p": 3.0}, {"eps": 0.0},
              {"eps": 0.1}, {"swap": True}, {"swap": True, "p": 1.0, "margin": 2.0}, {"margin": -1.0}):
        L(tm, p, {"anchor": an, "positive": po, "negative": ne})
    L(tm, {}, {"anchor": an[0], "positive": po[0], "negative": ne[0]})       # (D,)
    L(tm, {"swap": True}, {"anchor": an[1], "positive": po[1], "negative": ne[1]})
    L(tm, {}, {"anchor": an, "positive": an, "negative": ne})                # d(a, p) = eps only
    L(tm, {"eps": 0.0}, {"anchor": an, "positive": an, "negative": ne})      # norm of 0: grad 0
    L(tm, {}, {"anchor": 0.5, "positive": 0.25, "negative": 1.0})
    L(tm, {}, {"anchor": [[NAN, 0.0], [800.0, 0.0]], "positive": [[0.0, 0.0], [-800.0, 0.0]],
               "negative": [[1.0, 1.0], [0.0, 1e300]]})

    td = "TripletMarginWithDistanceLoss"
    for p in ({}, {"distance_function": "pairwise"}, {"distance_function": "cosine"},
              {"margin": 0.5}, {"margin": 2.0, "distance_function": "cosine"}, {"swap": True},
              {"swap": True, "distance_function": "cosine", "margin": 0.25}):
        L(td, p, {"anchor": an, "positive": po, "negative": ne})
    L(td, {}, {"anchor": an[0], "positive": po[0], "negative": ne[0]})       # (D,)
    L(td, {"swap": True}, {"anchor": an[2], "positive": po[2], "negative": ne[2]})
    L(td, {}, {"anchor": an, "positive": an, "negative": ne})


def ctc_losses():
    c = "CTCLoss"
    I = ("targets", "input_lengths", "target_lengths")
    T, N, C = 6, 3, 4
    lp = log_softmax_of([T, N, C], 80, 2)
    padded = [[1, 2, 2, 0], [3, 1, 0, 0], [2, 3, 1, 2]]  # entries past the length are padding
    il, tl = [6, 5, 6], [3, 2, 4]
    for p in ({}, {"zero_infinity": True}):
        L(c, p, {"log_probs": lp, "targets": padded, "input_lengths": il, "target_lengths": tl}, I)
    L(c, {}, {"log_probs": lp, "targets": [1, 2, 2, 3, 1, 2, 3, 1, 2],
              "input_lengths": il, "target_lengths": tl}, I)                # concatenated 1-D
    L(c, {}, {"log_probs": lp, "targets": [[1, 2], [3, 3], [1, 1]],
              "input_lengths": [6, 4, 2], "target_lengths": [2, 2, 0]}, I)  # empty target; short input
    # blank is the last class: targets use 0..C-2
    L(c, {"blank": 3}, {"log_probs": lp, "targets": [[0, 1, 1, 2], [2, 0, 0, 0], [1, 2, 0, 1]],
                        "input_lengths": il, "target_lengths": tl}, I)
    # Impossible alignments: [1, 1] needs 3 frames (a blank between repeats) but gets 2, and a
    # target longer than its input. The loss is inf; zero_infinity=True turns it (and its
    # gradient) into 0.
    imp = {"log_probs": lp, "targets": [[1, 1, 0, 0], [2, 3, 1, 2], [1, 2, 3, 1]],
           "input_lengths": [2, 3, 6], "target_lengths": [2, 4, 2]}
    L(c, {}, imp, I)
    L(c, {"zero_infinity": True}, imp, I)
    # Unbatched (T, C): 1-D targets, lengths as 0-dim ints or as 1-element lists.
    lpu = log_softmax_of([5, 3], 81, 1)
    L(c, {}, {"log_probs": lpu, "targets": [1, 2, 1], "input_lengths": 5, "target_lengths": 3}, I)
    L(c, {"blank": 2}, {"log_probs": lpu, "targets": [0, 0], "input_lengths": [5], "target_lengths": [2]}, I)
    L(c, {"zero_infinity": True}, {"log_probs": lpu, "targets": [1, 1, 1],
                                   "input_lengths": 4, "target_lengths": 3}, I)
    L(c, {}, {"log_probs": lpu, "targets": [1, 1, 1], "input_lengths": 4, "target_lengths": 3}, I)


def loss_cases():
    regression_losses()
    nll_and_ce()
    binary_losses()
    distribution_losses()
    margin_losses()
    embedding_losses()
    ctc_losses()
    api_gap_losses()
    return LOSS_CASES


def api_gap_losses():
    """0-dim tensor parameters (a bare number in params is torch.tensor(v)), and
    CrossEntropyLoss's label smoothing when the counted weight is 0 (nan under 'mean')."""
    a5, b5 = rnd(5, 40, lo=0.05, hi=0.95), [0.0, 1.0, 1.0, 0.0, 1.0]
    L("BCELoss", {"weight": 1.5}, {"input": a5, "target": b5})
    z = rnd([2, 3], 41, 2.0)
    L("BCEWithLogitsLoss", {"pos_weight": 3.0}, {"input": z, "target": [[0.0, 1.0, 1.0], [1.0, 0.0, 0.5]]})
    L("BCEWithLogitsLoss", {"weight": 0.5, "pos_weight": 2.0}, {"input": z, "target": [[0.0, 1.0, 1.0], [1.0, 0.0, 0.5]]})
    L("MultiLabelSoftMarginLoss", {"weight": 2.0}, {"input": z, "target": [[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]]})
    x = rnd([3, 4], 20, 1.5)
    I = ("target",)
    ce = "CrossEntropyLoss"
    L(ce, {"label_smoothing": 0.1, "weight": [1.0, 0.0, 2.0, 0.0]}, {"input": x, "target": [1, 3, 1]}, I)
    L(ce, {"label_smoothing": 0.2, "weight": [1.0, 2.0, 0.5, 0.0], "ignore_index": 0},
      {"input": x, "target": [3, 0, 3]}, I)
    L(ce, {"label_smoothing": 0.5, "ignore_index": 2}, {"input": x, "target": [2, 2, 2]}, I)


# ================================================================== errors
ERRORS = []


def E(kind, name, params, data, match, ints=()):
    """Records a case where torch raises; `match` must be part of its message."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if kind == "elementwise":
                run_elementwise(name, params, data)
            elif kind == "vector":
                run_vector(name, params, data)
            else:
                run_loss(name, params, data, ints)
    except Exception as e:  # noqa: BLE001 — any exception type torch uses counts
        msg = clean_message(str(e))
    else:
        raise AssertionError(f"torch did not raise for {name} {params} {data}")
    if not msg or match not in msg:
        raise AssertionError(f"{name}: {match!r} not in {msg!r}")
    case = {"kind": kind, "name": name, "params": params}
    case["x" if kind != "loss" else "args"] = data
    case.update({"match": match, "torch_message": msg})
    ERRORS.append(case)


def error_cases():
    el, ve, lo = "elementwise", "vector", "loss"
    x3 = [1.0, -2.0, 3.0]
    E(el, "CELU", {"alpha": 0.0}, x3, "alpha cannot be 0 for CELU")
    # Python's own wording for a constructor call; the class-name prefix depends on the Python
    # version, so the match leaves it out.
    E(el, "Threshold", {"threshold": 0.5}, x3, "missing 1 required positional argument: 'value'")
    E(el, "ELU", {"beta": 1.0}, x3, "got an unexpected keyword argument 'beta'")
    E(el, "PReLU", {"num_parameters": 3}, x3,
      "Mismatch of parameter numbers and input channel size. Found parameter numbers = 3 and channel size = 1.")
    E(el, "PReLU", {"num_parameters": 2, "init": 0.5}, [1.0, -1.0],
      "Mismatch of parameter numbers and input channel size. Found parameter numbers = 2 and channel size = 1.")
    # N-D: the channel size is dim 1's; a 0-dim input has none
    E(el, "PReLU", {"num_parameters": 2}, [[1.0, -2.0, 3.0]],
      "Mismatch of parameter numbers and input channel size. Found parameter numbers = 2 and channel size = 3.")
    E(el, "PReLU", {"num_parameters": 3}, -1.0, "Not allow zero-dim input tensor.")
    E(el, "RReLU", {"lower": 0.5, "upper": 0.1}, x3, "Lower bound should be less than or equal to the upper bound")
    E(el, "Softshrink", {"lambd": -1.0}, x3, "lambda must be greater or equal to 0, but found to be -1.")
    E(el, "Softshrink", {"lambd": -0.25}, x3, "lambda must be greater or equal to 0, but found to be -0.25.")

    E(ve, "GLU", {}, [1.0, 2.0, 3.0], "Halving dimension must be even, but dimension 0 is size 3")
    E(ve, "GLU", {"dim": 0}, [1.0], "Halving dimension must be even, but dimension 0 is size 1")
    E(ve, "GLU", {"dim": 1}, [1.0, 2.0],
      "Dimension out of range (expected to be in range of [-1, 0], but got 1)")
    for n in ("Softmax", "Softmin", "LogSoftmax"):
        E(ve, n, {"dim": 1}, x3, "Dimension out of range (expected to be in range of [-1, 0], but got 1)")
        E(ve, n, {"dim": -2}, x3, "Dimension out of range (expected to be in range of [-1, 0], but got -2)")

    a3, b3 = [0.2, 0.5, 0.9], [0.0, 1.0, 0.3]
    m3 = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]
    I = ("target",)
    reduction_msg = "meanx is not a valid value for reduction"
    simple = {"input": a3, "target": b3}
    for n in ("L1Loss", "MSELoss", "SmoothL1Loss", "HuberLoss", "BCELoss", "BCEWithLogitsLoss",
              "KLDivLoss", "SoftMarginLoss", "HingeEmbeddingLoss"):
        E(lo, n, {"reduction": "meanx"}, simple, reduction_msg)
    # These three check the reduction in Python with a shorter message.
    for n in ("PoissonNLLLoss", "MultiLabelSoftMarginLoss"):
        E(lo, n, {"reduction": "meanx"}, {"input": m3, "target": [[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]]},
          "meanx is not valid")
    E(lo, "GaussianNLLLoss", {"reduction": "meanx"}, {"input": a3, "target": b3, "var": [1.0, 1.0, 1.0]},
      "meanx is not valid")
    E(lo, "MSELoss", {"reduction": "batchmean"}, simple, "batchmean is not a valid value for reduction")
    E(lo, "NLLLoss", {"reduction": "meanx"}, {"input": m3, "target": [0, 2]}, reduction_msg, I)
    E(lo, "CrossEntropyLoss", {"reduction": "meanx"}, {"input": m3, "target": [0, 2]}, reduction_msg, I)
    E(lo, "MultiMarginLoss", {"reduction": "meanx"}, {"input": m3, "target": [0, 2]}, reduction_msg, I)
    E(lo, "MultiLabelMarginLoss", {"reduction": "meanx"}, {"input": m3, "target": [[0, -1, 0], [1, 2, -1]]},
      reduction_msg, I)
    E(lo, "MarginRankingLoss", {"reduction": "meanx"}, {"input1": a3, "input2": b3, "target": [1.0, -1.0, 1.0]},
      reduction_msg)
    E(lo, "CosineEmbeddingLoss", {"reduction": "meanx"}, {"input1": m3, "input2": m3, "target": [1.0, -1.0]},
      reduction_msg)
    for n in ("TripletMarginLoss", "TripletMarginWithDistanceLoss"):
        E(lo, n, {"reduction": "meanx"}, {"anchor": m3, "positive": m3, "negative": m3}, reduction_msg)
    ctc_ok = {"log_probs": log_softmax_of([3, 2, 3], 90, 2), "targets": [[1], [2]],
              "input_lengths": [3, 3], "target_lengths": [1, 1]}
    CI = ("targets", "input_lengths", "target_lengths")
    E(lo, "CTCLoss", {"reduction": "meanx"}, ctc_ok, reduction_msg, CI)

    E(lo, "CrossEntropyLoss", {"label_smoothing": 1.5}, {"input": m3, "target": [0, 2]},
      "label_smoothing must be between 0.0 and 1.0. Got: 1.5", I)
    E(lo, "SmoothL1Loss", {"beta": -1.0}, simple, "smooth_l1_loss does not support negative values for beta.")
    E(lo, "HuberLoss", {"delta": 0.0}, simple, "huber_loss does not support non-positive values for delta.")
    E(lo, "HuberLoss", {"delta": -1.0}, simple, "huber_loss does not support non-positive values for delta.")
    E(lo, "BCELoss", {}, {"input": [1.2], "target": [1.0]}, "all elements of input should be between 0 and 1")
    E(lo, "BCELoss", {}, {"input": [0.5, -0.1], "target": [1.0, 0.0]}, "all elements of input should be between 0 and 1")
    E(lo, "BCELoss", {}, {"input": [NAN], "target": [1.0]}, "all elements of input should be between 0 and 1")
    E(lo, "BCELoss", {}, {"input": [0.2, 0.3], "target": [1.0]},
      "Using a target size (torch.Size([1])) that is different to the input size (torch.Size([2])) is deprecated. "
      "Please ensure they have the same size.")
    E(lo, "BCELoss", {}, {"input": a3, "target": [[1.0], [0.0], [1.0]]},
      "Using a target size (torch.Size([3, 1])) that is different to the input size (torch.Size([3])) is deprecated.")
    E(lo, "BCELoss", {"weight": [1.0, 2.0]}, simple,
      "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0")
    E(lo, "BCEWithLogitsLoss", {}, {"input": a3, "target": [[1.0], [0.0], [1.0]]},
      "Target size (torch.Size([3, 1])) must be the same as input size (torch.Size([3]))")
    E(lo, "BCEWithLogitsLoss", {"weight": [1.0, 2.0]}, simple,
      "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0")
    E(lo, "BCEWithLogitsLoss", {"pos_weight": [1.0, 2.0]}, {"input": m3, "target": m3},
      "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 1")
    E(lo, "MSELoss", {}, {"input": a3, "target": [1.0, 2.0]},
      "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0")
    E(lo, "L1Loss", {}, {"input": m3, "target": [1.0, 2.0]},
      "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1")
    E(lo, "SoftMarginLoss", {}, {"input": a3, "target": [[1.0], [-1.0], [1.0]]},
      "output with shape [3] doesn't match the broadcast shape [3, 3]")

    for n in ("NLLLoss", "CrossEntropyLoss"):
        E(lo, n, {}, {"input": m3, "target": [0, 3]}, "Target 3 is out of bounds.", I)
        E(lo, n, {}, {"input": m3, "target": [-2, 0]}, "Target -2 is out of bounds.", I)
        E(lo, n, {"ignore_index": 1}, {"input": a3, "target": 5}, "Target 5 is out of bounds.", I)
        E(lo, n, {"weight": [1.0, 2.0]}, {"input": m3, "target": [0, 1]},
          "weight tensor should be defined either for all 3 classes or no classes but got weight tensor of shape: [2]", I)
        E(lo, n, {}, {"input": m3, "target": [0, 1, 1]},
          "Expected input batch_size (2) to match target batch_size (3).", I)
        E(lo, n, {}, {"input": [[[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]],
                      "target": [[0, 1, 1], [0, 0, 0]]}, "Expected target size [2, 2], got [2, 3]", I)
    E(lo, "NLLLoss", {}, {"input": 0.5, "target": 0}, "Expected 1 or more dimensions (got 0)", I)
    E(lo, "NLLLoss", {}, {"input": a3, "target": [0]}, "size mismatch (got input: [3], target: [1])", I)
    E(lo, "CrossEntropyLoss", {}, {"input": m3, "target": [[0.5, 0.5], [0.5, 0.5]]},
      "0D or 1D target tensor expected, multi-target not supported")
    E(lo, "CrossEntropyLoss", {}, {"input": m3, "target": [[0.2, 0.3, 0.5], [0.2, 0.3, 0.5], [0.2, 0.3, 0.5]]},
      "Expected input batch_size (2) to match target batch_size (3).")
    E(lo, "CrossEntropyLoss", {"ignore_index": 1}, {"input": m3, "target": [[0.2, 0.3, 0.5], [0.2, 0.3, 0.5]]},
      "ignore_index is not supported for floating point target")

    E(lo, "GaussianNLLLoss", {}, {"input": a3, "target": b3, "var": [1.0, -1.0, 1.0]}, "var has negative entry/entries")
    E(lo, "GaussianNLLLoss", {}, {"input": a3, "target": b3, "var": [1.0, 1.0]}, "var is of incorrect size")
    E(lo, "GaussianNLLLoss", {}, {"input": m3, "target": m3, "var": [[1.0, 1.0], [1.0, 1.0]]}, "var is of incorrect size")
    E(lo, "MultiMarginLoss", {"p": 3}, {"input": m3, "target": [0, 1]}, "only p == 1 and p == 2 supported", I)
    E(lo, "MultiMarginLoss", {}, {"input": m3, "target": [0, 3]}, "target out of range", I)
    E(lo, "MultiMarginLoss", {}, {"input": m3, "target": [0, 2, 1]}, "inconsistent target size, got: [3]", I)
    E(lo, "MultiMarginLoss", {}, {"input": [[[0.1, 0.2], [0.3, 0.4]], [[0.1, 0.2], [0.3, 0.4]]], "target": [[0, 1], [0, 1]]},
      "Expected non-empty vector or matrix with optional 0-dim batch size, but got: [2, 2, 2]", I)
    E(lo, "MultiLabelMarginLoss", {}, {"input": m3, "target": [[0, 1, -1]]}, "inconsistent size [1, 3] for argument #2 'target'", I)
    E(lo, "MultiLabelMarginLoss", {}, {"input": m3, "target": [[0, 3, -1], [0, 1, -1]]}, "argument #2 'target' is out of range", I)
    E(lo, "MultiLabelSoftMarginLoss", {"weight": [1.0, 2.0]}, {"input": m3, "target": m3},
      "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1")
    E(lo, "CosineEmbeddingLoss", {}, {"input1": a3, "input2": a3, "target": [1.0]},
      "1D target tensor expects 2D input tensors, but found inputs with sizes [3] and [3].")
    E(lo, "CosineEmbeddingLoss", {}, {"input1": m3, "input2": m3, "target": 1.0},
      "0D target tensor expects 1D input tensors, but found inputs with sizes [2, 3] and [2, 3].")
    E(lo, "CosineEmbeddingLoss", {}, {"input1": [[[1.0, 2.0]]], "input2": [[[1.0, 2.0]]], "target": [[1.0]]},
      "0D or 1D target tensor expected, multi-target not supported")
    E(lo, "TripletMarginLoss", {}, {"anchor": m3, "positive": a3, "negative": m3},
      "All inputs should have same dimension but got 2D, 1D and 2D inputs.")
    E(lo, "MarginRankingLoss", {}, {"input1": a3, "input2": [1.0], "target": [[1.0], [1.0], [1.0]]},
      "margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: torch.Size([3]), "
      "input2: torch.Size([1]), target: torch.Size([3, 1])")

    lp = log_softmax_of([3, 2, 3], 90, 2)
    E(lo, "CTCLoss", {}, {"log_probs": lp, "targets": [[1], [2]], "input_lengths": [3, 3], "target_lengths": [2, 1]},
      "Expected tensor to have size at least 2 at dimension 1, but got size 1 for argument #2 'targets'", CI)
    E(lo, "CTCLoss", {}, {"log_probs": lp, "targets": [[1], [2]], "input_lengths": [4, 3], "target_lengths": [1, 1]},
      "Expected input_lengths to have value at most 3, but got value 4", CI)
    E(lo, "CTCLoss", {}, {"log_probs": lp, "targets": [[1], [2]], "input_lengths": [3], "target_lengths": [1, 1]},
      "input_lengths must be of size batch_size", CI)
    E(lo, "CTCLoss", {}, {"log_probs": lp, "targets": [[1], [2]], "input_lengths": [3, 3], "target_lengths": [1]},
      "target_lengths must be of size batch_size", CI)
    E(lo, "CTCLoss", {}, {"log_probs": lp, "targets": [1, 2], "input_lengths": [3, 3], "target_lengths": [2, 1]},
      "Expected tensor to have size 3 at dimension 0, but got size 2 for argument #2 'targets'", CI)
    E(lo, "CTCLoss", {"blank": 3}, ctc_ok, "blank must be in label range", CI)
    E(lo, "CTCLoss", {"blank": -1}, ctc_ok, "blank must be in label range", CI)

    # N-D vector inputs: dim checked against the input's dimensions; 0-dim tensor parameters.
    m23 = [[1.0, 2.0, 0.5], [0.1, 0.2, 3.0]]
    x234 = rnd([2, 3, 4], 33)
    for n in ("Softmax", "Softmin", "LogSoftmax", "GLU"):
        E(ve, n, {"dim": 2}, m23, "Dimension out of range (expected to be in range of [-2, 1], but got 2)")
        E(ve, n, {"dim": -3}, m23, "Dimension out of range (expected to be in range of [-2, 1], but got -3)")
        E(ve, n, {"dim": 3}, x234, "Dimension out of range (expected to be in range of [-3, 2], but got 3)")
        E(ve, n, {"dim": -4}, x234, "Dimension out of range (expected to be in range of [-3, 2], but got -4)")
    for n in ("Softmax", "Softmin", "LogSoftmax"):
        E(ve, n, {"dim": 1}, 0.5, "Dimension out of range (expected to be in range of [-1, 0], but got 1)")
    E(ve, "GLU", {}, m23, "Halving dimension must be even, but dimension 1 is size 3")
    E(ve, "GLU", {"dim": 1}, x234, "Halving dimension must be even, but dimension 1 is size 3")
    E(ve, "GLU", {"dim": 0}, [[1.0, 2.0]], "Halving dimension must be even, but dimension 0 is size 1")
    E(ve, "GLU", {"dim": 0}, [[], [], []], "Halving dimension must be even, but dimension 0 is size 3")
    E(ve, "GLU", {}, 0.5, "glu does not support scalars because halving size must be even")
    E(lo, "CrossEntropyLoss", {"weight": 2.0}, {"input": m3, "target": [0, 2]},
      "weight tensor should be defined either for all 3 classes or no classes but got weight tensor of shape: []", I)
    E(lo, "NLLLoss", {"weight": 2.0}, {"input": m3, "target": [0, 2]},
      "weight tensor should be defined either for all 3 classes or no classes but got weight tensor of shape: []", I)
    return ERRORS

# ================================================================== bits
# Cases compared bit for bit (tests/native/test_scalar.cpp), where PyTorch's own path is
# deterministic: the summation orders that only show in the last bits. Python's repr round-trips
# float64, so the JSON numbers are PyTorch's exact doubles.
def lcg_values(seed, n):
    """Values exactly reproducible in C++: a 64-bit LCG, each draw mapped to k / 1000 (one
    correctly rounded division), k in [-1e6, 1e6]."""
    s, out = seed, []
    for _ in range(n):
        s = (s * 6364136223846793005 + 1442695040888963407) % 2**64
        out.append(((s >> 33) % 2000001 - 1000000) / 1000.0)
    return out


def naive_sum(vs):
    acc = 0.0
    for v in vs:
        acc += v
    return acc


def bit_cases():
    cases = []
    # log_softmax over a contiguous dim sums exp(x - max) in vec::reduce_all's lane order; from
    # 5 values on that differs from a left-to-right sum in about a fifth of the entries.
    for c in (2, 3, 4, 5, 6, 7, 8, 9, 11, 16, 17, 31, 64):
        for seed in (1, 2, 3):
            x = rnd([c], 900 + 10 * c + seed, scale=4.0)
            y = torch.log_softmax(torch.tensor(x), 0)
            cases.append({"what": "log_softmax", "name": "LogSoftmax", "params": {}, "x": x, "y": y})
    # The same kernel inside CrossEntropyLoss: (N, C) rows are contiguous; (N, C, d) runs down C.
    for shape, seed in (([6, 5], 1), ([6, 7], 2), ([4, 13], 3), ([3, 33], 4), ([2, 7, 3], 5), ([2, 9, 4], 6)):
        x = rnd(shape, 950 + seed, scale=4.0)
        tshape = [shape[0]] + shape[2:]
        t = rnd_int(tshape, 960 + seed, shape[1])
        for params in ({"reduction": "none"}, {"reduction": "none", "label_smoothing": 0.1}):
            out, grad, _ = run_loss("CrossEntropyLoss", params, {"input": x, "target": t}, ints=("target",))
            cases.append({"what": "log_softmax", "name": "CrossEntropyLoss", "params": params,
                          "args": {"input": x, "target": t}, "loss": out, "grad": grad})
    # torch.sum's cascade (SumKernel.cpp): a loss summed over many elements (the inner,
    # contiguous reduction) and a broadcast gradient summed down a long dim (the outer one).
    # Inputs come from lcg_values (seed, count); each case's naive left-to-right sum differs.
    for name, seed, ishape, tshape in (("L1Loss", 11, [4099], [4099]), ("L1Loss", 12, [64, 129], [64, 129]),
                                       ("MSELoss", 13, [1, 16], [2048, 16]), ("MSELoss", 14, [1, 37], [700, 37])):
        n_i, n_t = math.prod(ishape), math.prod(tshape)
        vi = lcg_values(seed, n_i)
        vt = lcg_values(seed + 100, n_t)
        xi = torch.tensor(vi).reshape(ishape).requires_grad_()
        xt = torch.tensor(vt).reshape(tshape)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            loss = getattr(nn, name)(reduction="sum")(xi, xt)
        loss.backward()
        terms = ((xi.expand(tshape) - xt).abs() if name == "L1Loss" else (xi.expand(tshape) - xt) ** 2)
        assert loss.item() != naive_sum(terms.flatten().tolist()) or ishape != tshape
        cases.append({"what": "sum", "name": name, "params": {"reduction": "sum"},
                      "lcg": {"input": [seed, ishape], "target": [seed + 100, tshape]},
                      "loss": loss, "grad": {"input": xi.grad}})
    return cases


def main():
    write("elementwise.json", elementwise_cases())
    write("vector.json", vector_cases())
    write("losses.json", loss_cases())
    write("errors.json", error_cases())
    write("bits.json", bit_cases())


if __name__ == "__main__":
    sys.exit(main())
