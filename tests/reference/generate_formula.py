#!/usr/bin/python3
"""Writes tests/reference/formula.json: issue 11's formula language held to PyTorch.

Design note: every row pairs a formula in OUR text ("x > 0 ? x : a*(exp(x)-1); a=0.5") with the
same function written here, by hand, as a Python expression over torch functions — never by the
core's code generator, so the two sides are independent, and a difference means one of them is
wrong (a row PyTorch itself makes odd is kept, with the reason in `why`). The expression is
evaluated with `x` a float64 tensor that requires grad and each parameter a Python float, then
`y.sum().backward()`; `dy` is x.grad (zeros where y does not depend on x through any
differentiable op, e.g. a conditional between constants: then y has no grad_fn, and the row says
"differentiable": false).

The grid of each formula holds every kink, tie and boundary of that formula exactly, with the
nearest double either side, plus the points where float64 arithmetic changes character: ±0,
subnormal and tiny (±5e-324, ±1e-300, ±1e-8), a step-0.25 grid over [-4, 4], ±6, ±20 (softplus'
threshold), ±40, ±710 (past exp's overflow at 709.78), ±1e300, ±inf and nan. Each point is
evaluated as a one-element tensor, as generate.py's elementwise cases are: ATen runs blocks of 8
doubles through SIMD code whose NaN and kink handling can differ from the scalar lambda the
kernel source spells out, and the scalar path is the reference.

Python's own operator rules decide what autograd sees, and the rows keep them: `c / x` with a
number on the left is `x.reciprocal() * c` (Tensor.__rdiv__), `c ** x` is
`torch.tensor(c) ** x`, `c - x` is torch.rsub, and a bool tensor times a float tensor promotes
the bool to 0/1. Numbers are written as generate.py writes them (README.md here: "nan", "inf",
"-inf" as strings; finite values by repr, which keeps -0.0).

Run with Debian's /usr/bin/python3 (python3-torch 1.13.1): `bash tools/gen-reference.sh`.
"""
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
torch.use_deterministic_algorithms(True)
torch.set_num_threads(1)

HERE = os.path.dirname(os.path.abspath(__file__))
NAN, INF = float("nan"), float("inf")


sys.path.insert(0, HERE)
from generate import enc  # noqa: E402  (non-finite floats as strings, the one encoding)


# ------------------------------------------------------------------ the formulas
# (our text, the same function as a torch expression, parameter sets, kinks(params), why)
# Parameter sets hold what a caller gives by name; the rest are the text's defaults (1 unless
# declared after ';'), which DEFAULTS below repeats for the torch side.
ZERO = "torch.zeros_like(x)"


def F_(text, torch_expr, why, params=({},), kinks=(), defaults=None):
    return {"text": text, "torch": torch_expr, "why": why, "param_sets": list(params),
            "kinks": kinks, "defaults": defaults or {}}


FORMULAS = [
    # ---- activations people type
    F_("x * sigmoid(1.702 * x)", "x * torch.sigmoid(1.702 * x)",
       "The sigmoid approximation of GELU (x·σ(1.702x)): the product rule adds x·σ′ and σ; far left σ "
       "underflows to 0, so y = x·0 = -0.0 (NaN at -inf, where -inf·0 is NaN)."),
    F_("x * (1 + erf(1.702 * x / sqrt(2))) / 2", "x * (1 + torch.erf(1.702 * x / math.sqrt(2))) / 2",
       "x·Φ(1.702x) with Φ through erf; sqrt(2) is a constant folded in float64 as math.sqrt(2)."),
    F_("x > 0 ? x : a*(exp(x)-1); a=0.5", "torch.where(x > 0, x, a * (torch.exp(x) - 1))",
       "ELU by hand. where() gives the unchosen branch a zero gradient, yet that branch's backward still "
       "runs: at x >= 710 exp's backward multiplies the 0 by exp(x) = inf and NaN reaches x.grad, as in PyTorch "
       "(the built-in ELU has no such NaN). x = 0 takes the exponential side.",
       params=({}, {"a": 2.0}, {"a": -1.0}), kinks=[0.0], defaults={"a": 0.5}),
    F_("where(x < 0, 0, sqrt(x))", "torch.where(x < 0, 0.0, torch.sqrt(x))",
       "The classic where() trap: for every x < 0 the unchosen sqrt(x) is NaN and its backward 0/(2·NaN) is NaN, "
       "so x.grad is NaN on the whole negative side although y is 0 there; sqrt′(0) = inf at x = 0.",
       kinks=[0.0]),
    F_("max(x, 0.1*x)", "torch.maximum(x, 0.1 * x)",
       "Leaky ReLU as a maximum: at x = 0 both operands tie and torch.maximum halves the gradient, "
       "0.5 + 0.5·0.1 = 0.55 (the built-in LeakyReLU gives 0.1 there).", kinks=[0.0]),
    F_("abs(x)^1.5", "torch.abs(x) ** 1.5",
       "pow with a constant exponent: 1.5·|x|^0.5 times abs′ = sgn(x), so 0 at x = 0.", kinks=[0.0]),
    F_("x^x", "x ** x",
       "pow of a tensor by itself: both of pow's backward formulas feed x.grad; at x = 0 (and -0) the exponent "
       "0 zeroes the base's term and the base 0 with exponent >= 0 zeroes the exponent's term, so 0 "
       "where x^x = 1. For x < 0 the exponent's term x^x·log(x) is NaN, so the derivative is NaN even where "
       "the value is real ((-1)^(-1) = -1).", kinks=[0.0, 1.0]),
    F_("2^x", "2 ** x",
       "A constant base: Python makes it torch.tensor(2.0) ** x; the derivative is 2^x·log 2, inf past 2^1024.",
       kinks=[0.0]),
    F_("e^(-x^2)", "math.e ** (-x ** 2)",
       "A Gaussian bump through pow with base e (log(e) rounds to 1.0); -x^2 is -(x^2) as in Python.",
       kinks=[0.0]),
    F_("clamp(x, -1, 1)", "torch.clamp(x, -1, 1)",
       "torch.clamp passes the gradient on the closed interval: 1 at x = ±1 exactly (Hardtanh gives 0 there).",
       kinks=[-1.0, 1.0]),
    F_("clamp(x, lo, hi); lo=-1, hi=1", "torch.clamp(x, lo, hi)",
       "clamp with parameters; lo > hi gives hi everywhere and no gradient anywhere (clamp is min(max(x, lo), hi)).",
       params=({}, {"lo": 0.0, "hi": 6.0}, {"lo": 2.0, "hi": 1.0}),
       kinks=lambda p: [p["lo"], p["hi"]], defaults={"lo": -1.0, "hi": 1.0}),
    F_("ELU(x, alpha=0.5) + Softplus(x, beta=2)", "F.elu(x, alpha=0.5) + F.softplus(x, beta=2)",
       "Catalog activations called by name with keywords; Softplus switches to the identity where beta·x > 20.",
       kinks=[0.0, 10.0]),
    F_("floor(x)*x", "torch.floor(x) * x",
       "floor′ = 0, so the derivative is floor(x) alone (the zero from floor's backward is not multiplied by x).",
       kinks=[-2.0, -1.0, 0.0, 1.0, 2.0]),
    F_("log1p(exp(-abs(x))) + max(x, 0)", "torch.log1p(torch.exp(-torch.abs(x))) + torch.maximum(x, " + ZERO + ")",
       "Softplus written stably. At x = 0 abs′ = 0 cuts the log term and maximum's tie halves the other: "
       "the derivative is 0.5, which the true slope happens to be.", kinks=[0.0]),
    F_("x / (1 + abs(x))", "x / (1 + torch.abs(x))",
       "Softsign by hand: the quotient rule's two paths, the denominator's through sgn(x)."),
    F_("erf(x/sqrt(2))*x/2 + x/2", "torch.erf(x / math.sqrt(2)) * x / 2 + x / 2",
       "Exact GELU written out, evaluated left to right as Python does ((erf·x)/2 + x/2)."),
    F_("x * erfc(-x / sqrt(2)) / 2", "x * torch.erfc(-x / math.sqrt(2)) / 2",
       "GELU through erfc, accurate in the left tail where 1 + erf cancels; erfc′ = -2/√π·exp(-u²)."),
    F_("sign(x)*sqrt(abs(x))", "torch.sign(x) * torch.sqrt(torch.abs(x))",
       "At x = 0 sqrt′(0) = inf meets the zero coming from sign(0): 0/(2·0) is NaN, and NaN·sgn(0) stays NaN — "
       "PyTorch's x.grad is NaN at ±0.", kinks=[0.0]),
    F_("tanh(x)^2", "torch.tanh(x) ** 2", "pow 2 of tanh: 2·tanh·(1 - tanh²)."),
    F_("x * tanh(softplus(x))", "x * torch.tanh(F.softplus(x))",
       "Mish written out; softplus has PyTorch's threshold 20 (identity above it), unlike the built-in Mish.",
       kinks=[20.0]),
    F_("max(x, 0)^2", "torch.maximum(x, " + ZERO + ") ** 2", "Squared ReLU: 0 and slope 0 at the kink.",
       kinks=[0.0]),
    F_("x * sigmoid(beta * x); beta=1", "x * torch.sigmoid(beta * x)",
       "Swish with its beta; beta = 0 is x/2, beta = 1 is SiLU.",
       params=({}, {"beta": 2.0}, {"beta": 0.0}, {"beta": -0.5}), defaults={"beta": 1.0}),
    F_("0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))",
       "0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))",
       "GELU's tanh form as in the paper; x^3 overflows to ±inf at ±1e300, tanh saturates, and "
       "the derivative there is NaN (inf·0 in tanh's backward)."),
    F_("sin(w0 * x); w0=30", "torch.sin(w0 * x)", "SIREN's sine: w0·cos(w0·x).",
       params=({}, {"w0": 1.0}), defaults={"w0": 30.0}),
    F_("x < -1 ? -1 : x < 1 ? x^3 : 3*x - 2", "torch.where(x < -1, -1.0, torch.where(x < 1, x ** 3, 3 * x - 2))",
       "A nested conditional (right-associative): each where() sends the gradient to its chosen branch; "
       "x = -1 and x = 1 take the cubic and the line.", kinks=[-1.0, 1.0]),
    F_("where(x > 0, where(x > 1, 1, x), 0)", "torch.where(x > 0, torch.where(x > 1, 1.0, x), 0.0)",
       "Nested where() with constant branches: slope 1 on (0, 1] only.", kinks=[0.0, 1.0]),
    F_("min(x, 1) + max(x, -1)", "torch.minimum(x, torch.tensor(1.0)) + torch.maximum(x, torch.tensor(-1.0))",
       "Ties of minimum and maximum with a constant: 1.5 at x = ±1 (half from the tie plus 1).",
       kinks=[-1.0, 1.0]),
    F_("max(x, 0)", "torch.maximum(x, " + ZERO + ")",
       "ReLU as a maximum: slope 0.5 at the tie x = 0; on a tie (-0 against 0) the scalar kernel returns "
       "the first operand, so max(-0, 0) = -0.", kinks=[0.0]),
    F_("max(0, x)", "torch.maximum(" + ZERO + ", x)",
       "The same with the operands swapped: max(0, -0) = +0 (the first operand wins a tie).", kinks=[0.0]),
    F_("min(0, x)", "torch.minimum(" + ZERO + ", x)",
       "minimum's tie: slope 0.5 at 0 and min(0, -0) = +0.", kinks=[0.0]),
    F_("relu(x)", "torch.relu(x)",
       "torch.relu: relu(-0) = -0, and its backward tests the output (slope 0 at 0, 1 at NaN).", kinks=[0.0]),
    F_("max(x, x)", "torch.maximum(x, x)",
       "A tie everywhere: each operand gets half, and both halves are x's, so the slope is 1."),
    F_("min(x^2, x)", "torch.minimum(x ** 2, x)",
       "Ties at 0 and 1: half of 2x plus half of 1.", kinks=[0.0, 1.0]),
    F_("0^x", "0.0 ** x",
       "Base 0: 1 at x = 0, 0 above, inf below. pow's exponent backward is masked to 0 where the base is 0 and "
       "x >= 0; below 0 it is inf·log(0) = -inf.", kinks=[0.0]),
    F_("max(x, 0)^x", "torch.maximum(x, " + ZERO + ") ** x",
       "A zero base that is a tensor: for x < 0 the base's gradient is cut by maximum (masked to 0, not "
       "multiplied) while the exponent's is inf·log(0) = -inf; at x = 0 both of pow's masks give 0.",
       kinks=[0.0]),
    F_("x^a; a=2", "x ** a",
       "pow with a parameter exponent: a·x^(a-1); a = 0 gives derivative 0 everywhere (pow_backward's "
       "exponent == 0 rule, even at nan and inf); a = -2 and a = 0.5 at ±0 give infinities whose signs follow "
       "the sign of zero.",
       params=({}, {"a": 0.0}, {"a": 3.0}, {"a": -2.0}, {"a": 0.5}, {"a": -1.0}), kinks=[0.0], defaults={"a": 2.0}),
    F_("1/x", "1 / x",
       "Python's 1 / x is x.reciprocal() * 1 (Tensor.__rdiv__): reciprocal's backward -1/x² from the result.",
       kinks=[0.0]),
    F_("log(x)", "torch.log(x)",
       "log at 0 is -inf with derivative 1/x: +inf at 0 and -inf at -0; NaN for x < 0 but the derivative "
       "1/x is still finite there.", kinks=[0.0, 1.0]),
    F_("sqrt(x)", "torch.sqrt(x)",
       "sqrt′ = 1/(2·sqrt(x)) from the result: +inf at 0, -inf at -0 (sqrt(-0) = -0).", kinks=[0.0]),
    F_("log1p(x) * expm1(x)", "torch.log1p(x) * torch.expm1(x)",
       "log1p at -1 is -inf; expm1′ is computed from the result (y + 1).", kinks=[-1.0, 0.0]),
    F_("exp(x) - exp(x)", "torch.exp(x) - torch.exp(x)",
       "inf - inf: at x >= 710 the value and the derivative (inf - inf from the two exp backwards) are NaN."),
    F_("x + inf - inf", "x + math.inf - math.inf",
       "(x + inf) - inf is NaN everywhere, yet each add passes the gradient unchanged: the derivative is 1."),
    F_("1 / (1 + exp(-x))", "1 / (1 + torch.exp(-x))",
       "Sigmoid by hand (a reciprocal): for x <= -710 exp(-x) = inf, the value is 0, and exp's backward "
       "multiplies -0 by inf: NaN, where the built-in Sigmoid gives 0."),
    F_("log(1 + exp(x))", "torch.log(1 + torch.exp(x))",
       "Softplus written naively: exp overflows at 710, the value is inf, and the derivative "
       "(1/inf)·inf is NaN."),
    F_("x == 0 ? 1 : sin(x)/x", "torch.where(x == 0, 1.0, torch.sin(x) / x)",
       "sinc guarded by a conditional: at x = 0 the unchosen sin(x)/x still runs its backward with a zero "
       "gradient, 0/0 = NaN, so PyTorch's derivative at 0 is NaN although the value is 1.", kinks=[0.0]),
    F_("(x > 0) * x + (x <= 0) * 0.1 * x", "(x > 0) * x + (x <= 0) * 0.1 * x",
       "Comparisons used as numbers (bool promoted to 0/1): at ±inf the product with the false mask is "
       "0·inf = NaN, so the value is NaN there; the derivative is the mask (1 or 0.1).", kinks=[0.0]),
    F_("x != x ? 0 : x", "torch.where(x != x, 0.0, x)", "A NaN guard: 0 and derivative 0 at NaN."),
    F_("x >= 0 ? 1 : -1", "torch.where(x >= 0, 1.0, -1.0)",
       "A step between constants: y does not depend on x through any differentiable op, derivative 0.",
       kinks=[0.0]),
    F_("x >= 0", "(x >= 0).double()",
       "A comparison used as the value: (x >= 0).double() has no grad_fn, so y.backward() raises \"element 0 of "
       "tensors does not require grad\"; the lab draws f\u2032 = 0 and says the formula is not differentiable.",
       kinks=[0.0]),
    F_("sqrt(BinaryStep(x)) + x", "torch.sqrt((x >= 0).double()) + x",
       "BinaryStep by name is (x >= 0).double(): autograd stops there, so sqrt\u2032(0) = inf never reaches x "
       "(no inf\u00b70), and the derivative is the + x alone: 1 everywhere.", kinks=[0.0]),
    F_("sign(x) * x", "torch.sign(x) * x", "|x| through sign: sign′ = 0, so the derivative is sign(x), 0 at 0.",
       kinks=[0.0]),
    F_("tan(x)", "torch.tan(x)", "tan′ = 1 + tan²."),
    F_("sinh(x) / cosh(x)", "torch.sinh(x) / torch.cosh(x)",
       "tanh by the quotient: sinh and cosh overflow past |x| ~ 710.5, so at ±1e300 and ±inf the value and the "
       "derivative are inf/inf = NaN (at ±710 still ±1 and 0)."),
    F_("sigmoid(x) * (1 - sigmoid(x))", "torch.sigmoid(x) * (1 - torch.sigmoid(x))",
       "The sigmoid's derivative as a function: two sigmoid nodes, each with its own backward."),
    F_("x * clamp(x + 3, 0, 6) / 6", "x * torch.clamp(x + 3, 0, 6) / 6",
       "Hardswish as its paper writes it: clamp passes the gradient at its bounds, so the slope is -0.5 at "
       "x = -3 and 1.5 at x = 3 — and also at the next double above 3, where x + 3 rounds to 6 (the built-in "
       "Hardswish gives 1 there).", kinks=[-3.0, 3.0]),
    F_("-x^2 + 2^3^2 * x", "-x ** 2 + 2 ** 3 ** 2 * x",
       "Precedence as in Python: -x^2 is -(x^2) and 2^3^2 is 2^9 = 512."),
    F_("LeakyReLU(x, negative_slope=a) + Hardtanh(2*x); a=0.01", "F.leaky_relu(x, negative_slope=a) + F.hardtanh(2 * x)",
       "Catalog calls with a parameter keyword and an inner expression: Hardtanh(2x) has its kinks at ±0.5 "
       "and gives 0 there (its backward excludes the bounds).",
       params=({}, {"a": 0.2}), kinks=[-0.5, 0.0, 0.5], defaults={"a": 0.01}),
    F_("ReLU(x - 1)^2 + Sine(x, w0=2) + SiLU(x)", "F.relu(x - 1) ** 2 + torch.sin(2 * x) + F.silu(x)",
       "Three catalog calls summed, one of them ours (Sine: torch.sin(w0·x)).", kinks=[1.0]),
    F_("ELU(x, alpha=a) * b; a=0.5, b=2", "F.elu(x, alpha=a) * b",
       "A catalog call whose keyword is a parameter, times another parameter.",
       params=({}, {"a": 1.5, "b": -1.0}), kinks=[0.0], defaults={"a": 0.5, "b": 2.0}),
    F_("softplus(x, beta=b); b=2", "F.softplus(x, beta=b)",
       "softplus with a parameter beta: the switch to the identity is at beta·x > 20 (x = 10 for b = 2); for a "
       "negative beta the switch is on the left.",
       params=({}, {"b": 0.5}, {"b": -1.0}), kinks=lambda p: [20.0 / p["b"]], defaults={"b": 2.0}),
    F_("a*x^2 + b*x + c; a=0.5, b=-1, c=0.25", "a * x ** 2 + b * x + c",
       "A polynomial with three parameters: a·2x + b.",
       params=({}, {"a": -2.0, "b": 0.0, "c": 1.0}), defaults={"a": 0.5, "b": -1.0, "c": 0.25}),
    F_("clamp(x, min=lo) + clamp(x, max=hi); lo=-0.5, hi=0.5", "torch.clamp(x, min=lo) + torch.clamp(x, max=hi)",
       "One-sided clamps by keyword: each passes the gradient on its closed half-line.",
       params=({}, {"lo": 1.0, "hi": -1.0}), kinks=lambda p: [p["lo"], p["hi"]], defaults={"lo": -0.5, "hi": 0.5}),
    F_("round(x) * x", "torch.round(x) * x",
       "torch.round rounds half to even (0.5 → 0, 1.5 → 2, 2.5 → 2) and has derivative 0: the slope is round(x).",
       kinks=[-2.5, -1.5, -0.5, 0.5, 1.5, 2.5]),
    F_("ceil(x) - floor(x) + atan(x) + asinh(x)", "torch.ceil(x) - torch.floor(x) + torch.atan(x) + torch.asinh(x)",
       "ceil and floor carry no gradient; atan′ = 1/(1 + x²), asinh′ = 1/sqrt(x² + 1) (0 at ±1e300 and ±inf).",
       kinks=[-1.0, 0.0, 1.0]),
    F_("log2(x) * log10(x)", "torch.log2(x) * torch.log10(x)",
       "log2′ = 1/(x·ln 2) and log10′ = 1/(x·ln 10): at 0 the product rule meets -inf·inf.", kinks=[0.0, 1.0]),
    F_("sqrt(ReLU(x))", "torch.sqrt(F.relu(x))",
       "An infinite gradient into a flat part: for x <= 0 sqrt′(0) = inf arrives at ReLU's backward, which is a "
       "select (threshold_backward: 0 where the output is <= 0), so PyTorch's derivative is 0 there, not inf·0 = NaN.",
       kinks=[0.0]),
    F_("sqrt(relu(x))", "torch.sqrt(torch.relu(x))", "The same through the language's relu (torch.relu).",
       kinks=[0.0]),
    F_("log(Hardtanh(x) + 1)", "torch.log(F.hardtanh(x) + 1)",
       "log′(0) = inf meets Hardtanh's flat part at x <= -1: hardtanh_backward selects 0, so the derivative is 0 "
       "there (and inf only where the input sits strictly inside).", kinks=[-1.0, 1.0]),
    F_("sqrt(Softsign(x))", "torch.sqrt(F.softsign(x))",
       "F.softsign is x / (|x| + 1), several autograd nodes: at x = 0 the infinite sqrt′(0) goes through the "
       "quotient rule's second path as -inf·0 = NaN, so PyTorch's derivative at ±0 is NaN (not inf·softsign′(0)).",
       kinks=[0.0]),
    F_("softplus(x)", "F.softplus(x)",
       "softplus with PyTorch's beta = 1, threshold = 20: the identity for x > 20, log1p(exp(x)) at 20 itself.",
       kinks=[20.0]),
]


# ------------------------------------------------------------------ the grid
BASE = ([0.0, -0.0, 5e-324, -5e-324, 1e-300, -1e-300, 1e-8, -1e-8]
        + [i / 4 for i in range(-16, 17)]
        + [6.0, -6.0, 20.0, -20.0, 40.0, -40.0, 710.0, -710.0, 1e300, -1e300])


def grid(kinks):
    pts = list(BASE)
    for k in kinks:
        pts += [math.nextafter(k, -INF), k, math.nextafter(k, INF)]
    seen, finite = set(), []
    for p in pts:
        if math.isfinite(p) and repr(p) not in seen:
            seen.add(repr(p))
            finite.append(p)
    finite.sort(key=lambda p: (p, math.copysign(1, p)))
    return finite + [NAN, INF, -INF]


def evaluate(expr, values, xs):
    """Each x alone (a one-element tensor): y, and x.grad of y.sum().backward()."""
    env = {"torch": torch, "F": F, "math": math, **values}
    fn = eval("lambda x: " + expr, env)  # our own hand-written torch expressions (above)
    ys, dys = [], []
    for v in xs:
        x = torch.tensor([v], requires_grad=True)
        y = fn(x)
        assert y.dtype == torch.float64 and y.shape == (1,), (expr, y)
        if y.requires_grad:
            y.sum().backward()
        ys.append(y.item())
        dys.append(x.grad.item() if x.grad is not None else 0.0)
    return ys, dys


def differentiable(expr, values):
    """Whether y has a grad_fn (y.backward() works): a property of the expression, not of x."""
    env = {"torch": torch, "F": F, "math": math, **values}
    return eval("lambda x: " + expr, env)(torch.tensor([0.5], requires_grad=True)).requires_grad


# PyTorch's own oddities, found rather than assumed: torch.tan and torch.log1p run through SLEEF,
# whose subnormal arithmetic is off by a unit at the smallest subnormal (torch.tan(5e-324) = 0.0,
# libm's math.tan gives 5e-324). Where a row applies one of them to x and torch is further than
# 1e-12 from the correctly rounded libm value at a grid point, that point is listed in "odd" with
# the two values: the data keeps PyTorch's numbers, and the tests leave exactly these points out
# of the comparison (and check that they are still odd, so a stale entry fails).
ODD_CANDIDATES = {"torch.tan(x)": (torch.tan, math.tan), "torch.log1p(x)": (torch.log1p, math.log1p)}


def odd_points(expr, xs):
    odd = []
    for spelled, (tf, mf) in ODD_CANDIDATES.items():
        if spelled not in expr:
            continue
        for v in xs:
            try:
                m = mf(v)
            except (ValueError, OverflowError):  # outside libm's domain: nothing to compare
                continue
            t = tf(torch.tensor([v])).item()
            both_nan = math.isnan(t) and math.isnan(m)
            if both_nan or t == m or abs(t - m) <= 1e-12 * max(abs(t), abs(m)):  # within the tests' rule
                continue
            name = spelled.replace("(x)", "")
            odd.append({"x": v, "why": f"{name}({v!r}) is {t!r} in PyTorch (SLEEF's subnormal arithmetic), "
                                      f"{m!r} correctly rounded (libm)"})
    return odd


def cases():
    out = []
    for f in FORMULAS:
        for given in f["param_sets"]:
            values = {**f["defaults"], **given}
            kinks = f["kinks"](values) if callable(f["kinks"]) else f["kinks"]
            xs = grid(kinks)
            ys, dys = evaluate(f["torch"], values, xs)
            row = {"formula": f["text"], "params": given, "torch": f["torch"], "why": f["why"],
                   "differentiable": differentiable(f["torch"], values), "x": xs, "y": ys, "dy": dys}
            odd = odd_points(f["torch"], xs)
            if odd:
                row["odd"] = odd
            out.append(row)
    return out


def main():
    rows = cases()
    lines = [json.dumps(enc(c), allow_nan=False, ensure_ascii=False, separators=(",", ":")) for c in rows]
    head = json.dumps({"torch_version": torch.__version__})[:-1]
    text = head + ',"cases":[\n' + ",\n".join(lines) + "\n]}\n"
    json.loads(text)
    with open(os.path.join(HERE, "formula.json"), "w", encoding="utf-8") as f:
        f.write(text)
    print(f"formula.json: {len(FORMULAS)} formulas, {len(rows)} cases, {len(text)} bytes")


if __name__ == "__main__":
    sys.exit(main())
