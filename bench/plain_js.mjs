// Design note — the "plain JavaScript" baseline of the benchmark (bench/run.mjs): what a competent
// JS developer would write by hand for f and f' of each elementwise activation and for the value
// and gradient of each loss, in float64 with typed arrays and simple loops, and no library.
//
// It follows PyTorch's (1.13.1) formulas and stable forms — softplus's threshold, log-sum-exp,
// BCE's log clamp at -100 and its float 1e-12 guard, autograd's kink conventions (clamp_min passes
// the gradient at exactly 0, ReLU-like kinks take the left slope) — so that the comparison with
// the C++ core (natively and in WebAssembly) is about speed, not about doing less work. Checked
// against dist/lab.mjs on the benchmark's inputs: agreement to ~1e-11 relative (the rest is
// summation order over a million terms). It is not the lab: no argument checks, no error messages,
// no other reductions, no broadcasting (pointwise losses need input and target of one shape; the
// supported shapes are noted at each loss), no weight / pos_weight / label_smoothing, and NaN or
// infinite inputs are not propagated the way PyTorch propagates them.
//
// Activations: elementwise[name](x, y, dy, p) fills y = f(x) and dy = f'(x); p holds the
// constructor parameters with PyTorch's defaults filled in by the caller.
// Losses: losses[name](args, p) with args = {argName: {shape, data: Float64Array}} (integer
// arguments such as class indices are Float64Array too) returns {loss, grad}, the reduction='mean'
// value and d loss / d arg for every floating-point argument. All other parameters are PyTorch's
// defaults (a few are read from p where it costs nothing). Gradients autograd does not produce
// (a target used only in a comparison) are zeros, as in the lab's reference data.

// ---------------------------------------------------------------- erf
// Math has no erf. This is W. J. Cody's rational Chebyshev approximation ("Rational Chebyshev
// approximations for the error function", Math. Comp. 1969; netlib specfun CALERF): three
// intervals, about 18 significant digits in theory, within an ulp or two of glibc's erf in float64.
const ERF_A = [3.16112374387056560e0, 1.13864154151050156e2, 3.77485237685302021e2, 3.20937758913846947e3, 1.85777706184603153e-1];
const ERF_B = [2.36012909523441209e1, 2.44024637934444173e2, 1.28261652607737228e3, 2.84423683343917062e3];
const ERF_C = [5.64188496988670089e-1, 8.88314979438837594e0, 6.61191906371416295e1, 2.98635138197400131e2,
  8.81952221241769090e2, 1.71204761263407058e3, 2.05107837782607147e3, 1.23033935479799725e3, 2.15311535474403846e-8];
const ERF_D = [1.57449261107098347e1, 1.17693950891312499e2, 5.37181101862009858e2, 1.62138957456669019e3,
  3.29079923573345963e3, 4.36261909014324716e3, 3.43936767414372164e3, 1.23033935480374942e3];
const ERF_P = [3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2,
  6.58749161529837803e-4, 1.63153871373020978e-2];
const ERF_Q = [2.56852019228982242e0, 1.87295284992346047e0, 5.27905102951428412e-1, 6.05183413124413191e-2,
  2.33520497626869185e-3];
const SQRT_1_PI = 0.56418958354775628695;  // 1 / sqrt(pi)

export function erf(x) {
  const y = Math.abs(x);
  if (!(y > 0.46875)) {  // also NaN and +-0
    // erf(x) = x * A(x^2) / B(x^2) near 0, where no cancellation can happen.
    const ysq = y > 1.11e-16 ? y * y : 0;
    let num = ERF_A[4] * ysq, den = ysq;
    for (let i = 0; i < 3; i++) {
      num = (num + ERF_A[i]) * ysq;
      den = (den + ERF_B[i]) * ysq;
    }
    return (x * (num + ERF_A[3])) / (den + ERF_B[3]);
  }
  // Further out erfc is approximated, and erf = 1 - erfc.
  let erfc;
  if (y <= 4) {
    let num = ERF_C[8] * y, den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + ERF_C[i]) * y;
      den = (den + ERF_D[i]) * y;
    }
    erfc = (num + ERF_C[7]) / (den + ERF_D[7]);
  } else if (y >= 6) {
    erfc = 0;  // erfc(6) ~ 2e-17: erf is 1 to double precision
  } else {
    const ysq = 1 / (y * y);
    let num = ERF_P[5] * ysq, den = ysq;
    for (let i = 0; i < 4; i++) {
      num = (num + ERF_P[i]) * ysq;
      den = (den + ERF_Q[i]) * ysq;
    }
    erfc = (SQRT_1_PI - (ysq * (num + ERF_P[4])) / (den + ERF_Q[4])) / y;
  }
  if (erfc !== 0) {
    // exp(-y^2) split as exp(-ysq^2) * exp(-del) with ysq = y rounded down to 1/16, so the square
    // of a large y loses no bits.
    const ysq = Math.trunc(y * 16) / 16;
    const del = (y - ysq) * (y + ysq);
    erfc *= Math.exp(-ysq * ysq) * Math.exp(-del);
  }
  const r = 0.5 - erfc + 0.5;
  return x < 0 ? -r : r;
}

// ---------------------------------------------------------------- activations
const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 0.3989422804014327;            // 1 / sqrt(2 pi)
const GELU_BETA = Math.sqrt(2 / Math.PI);
const GELU_KAPPA = 0.044715;
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;
// PyTorch's hardsigmoid backward uses the float constant 1.0f / 6.0f, widened to double.
const ONE_SIXTH_F = Math.fround(1 / 6);

// LeakyReLU, PReLU and RReLU in eval mode: x == 0 takes the negative slope, as in PyTorch.
function leaky(x, y, dy, slope) {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v > 0) { y[i] = v; dy[i] = 1; } else { y[i] = v * slope; dy[i] = slope; }
  }
}

// ATen's elu kernel (ELU, CELU, SELU): exp(x) - 1 rather than expm1; x == 0 takes the left side.
function elu(x, y, dy, alpha, scale, inputScale) {
  const neg = alpha * scale;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v <= 0) {
      const e = Math.exp(v * inputScale);
      y[i] = (e - 1) * neg;
      dy[i] = inputScale * neg * e;
    } else {
      y[i] = v * scale;
      dy[i] = scale;
    }
  }
}

// Clamp to [lo, hi]; both corners belong to the flat part (derivative 0 there).
function hardtanh(x, y, dy, lo, hi) {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    y[i] = v < lo ? lo : v > hi ? hi : v;
    dy[i] = v <= lo || v >= hi ? 0 : 1;
  }
}

export const elementwise = {
  Identity(x, y, dy) {
    for (let i = 0; i < x.length; i++) { y[i] = x[i]; dy[i] = 1; }
  },
  ReLU(x, y, dy) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      y[i] = v > 0 ? v : 0;
      dy[i] = v > 0 ? 1 : 0;
    }
  },
  ReLU6(x, y, dy) { hardtanh(x, y, dy, 0, 6); },
  LeakyReLU(x, y, dy, p) { leaky(x, y, dy, p.negative_slope); },
  PReLU(x, y, dy, p) { leaky(x, y, dy, p.init); },  // one learnable slope, at its initial value
  RReLU(x, y, dy, p) { leaky(x, y, dy, (p.lower + p.upper) / 2); },  // eval: the mean slope
  ELU(x, y, dy, p) { elu(x, y, dy, p.alpha, 1, 1); },
  CELU(x, y, dy, p) { elu(x, y, dy, p.alpha, 1, 1 / p.alpha); },
  SELU(x, y, dy) { elu(x, y, dy, SELU_ALPHA, SELU_SCALE, 1); },
  GELU(x, y, dy, p) {
    if (p.approximate === 'tanh') {
      for (let i = 0; i < x.length; i++) {
        const v = x[i];
        const t = Math.tanh(GELU_BETA * (v + GELU_KAPPA * v * v * v));
        y[i] = 0.5 * v * (1 + t);
        dy[i] = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * GELU_BETA * (1 + 3 * GELU_KAPPA * v * v);
      }
    } else {
      for (let i = 0; i < x.length; i++) {
        const v = x[i];
        const cdf = 0.5 * (1 + erf(v * SQRT1_2));
        y[i] = v * cdf;
        dy[i] = cdf + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v);
      }
    }
  },
  Sigmoid(x, y, dy) {
    for (let i = 0; i < x.length; i++) {
      const s = 1 / (1 + Math.exp(-x[i]));
      y[i] = s;
      dy[i] = (1 - s) * s;
    }
  },
  Tanh(x, y, dy) {
    for (let i = 0; i < x.length; i++) {
      const t = Math.tanh(x[i]);
      y[i] = t;
      dy[i] = 1 - t * t;
    }
  },
  SiLU(x, y, dy) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      const s = 1 / (1 + Math.exp(-v));
      y[i] = v * s;
      dy[i] = s * (1 + v * (1 - s));
    }
  },
  Mish(x, y, dy) {
    // PyTorch's softplus inside Mish has no threshold: exp overflows to inf and tanh(inf) = 1.
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      const t = Math.tanh(Math.log1p(Math.exp(v)));
      const s = 1 / (1 + Math.exp(-v));
      y[i] = v * t;
      dy[i] = t + v * s * (1 - t * t);
    }
  },
  Softplus(x, y, dy, p) {
    const beta = p.beta, threshold = p.threshold;
    for (let i = 0; i < x.length; i++) {
      const v = x[i], bx = v * beta;
      if (bx > threshold) { y[i] = v; dy[i] = 1; } else {
        const z = Math.exp(bx);
        y[i] = Math.log1p(z) / beta;
        dy[i] = z / (z + 1);
      }
    }
  },
  Softsign(x, y, dy) {
    for (let i = 0; i < x.length; i++) {
      const o = Math.abs(x[i]) + 1;
      y[i] = x[i] / o;
      dy[i] = 1 / (o * o);
    }
  },
  LogSigmoid(x, y, dy) {
    // min(x, 0) - log1p(exp(-|x|)): never exponentiates a large positive number.
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      const z = Math.exp(-Math.abs(v));
      if (v < 0) { y[i] = v - Math.log1p(z); dy[i] = 1 - z / (1 + z); } else { y[i] = -Math.log1p(z); dy[i] = z / (1 + z); }
    }
  },
  Hardtanh(x, y, dy, p) { hardtanh(x, y, dy, p.min_val, p.max_val); },
  Hardsigmoid(x, y, dy) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      y[i] = Math.min(Math.max(v + 3, 0), 6) / 6;
      dy[i] = v > -3 && v < 3 ? ONE_SIXTH_F : 0;
    }
  },
  Hardswish(x, y, dy) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      y[i] = (v * Math.min(Math.max(v + 3, 0), 6)) / 6;
      dy[i] = v < -3 ? 0 : v <= 3 ? v / 3 + 0.5 : 1;
    }
  },
  Hardshrink(x, y, dy, p) {
    const l = p.lambd;
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      const zero = v >= -l && v <= l;
      y[i] = zero ? 0 : v;
      dy[i] = zero ? 0 : 1;
    }
  },
  Softshrink(x, y, dy, p) {
    const l = p.lambd;
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      y[i] = v > l ? v - l : v < -l ? v + l : 0;
      dy[i] = v >= -l && v <= l ? 0 : 1;
    }
  },
  Tanhshrink(x, y, dy) {
    // F.tanhshrink is x - tanh(x); autograd's 1 - (1 - t^2) rather than t^2, which differs in
    // relative terms near 0 (where t^2 is below an ulp of 1) — kept so the numbers match PyTorch's.
    for (let i = 0; i < x.length; i++) {
      const t = Math.tanh(x[i]);
      y[i] = x[i] - t;
      dy[i] = 1 - (1 - t * t);
    }
  },
  Threshold(x, y, dy, p) {
    const th = p.threshold, value = p.value;
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      y[i] = v <= th ? value : v;
      dy[i] = v <= th ? 0 : 1;
    }
  },
  LinearActivation(x, y, dy, p) {
    const c = p.c;
    for (let i = 0; i < x.length; i++) { y[i] = c * x[i]; dy[i] = c; }
  },
  BinaryStep(x, y, dy) {
    for (let i = 0; i < x.length; i++) { y[i] = x[i] >= 0 ? 1 : 0; dy[i] = 0; }
  },
  Sine(x, y, dy, p) {
    const w0 = p.w0;
    for (let i = 0; i < x.length; i++) {
      const a = w0 * x[i];
      y[i] = Math.sin(a);
      dy[i] = w0 * Math.cos(a);
    }
  },
};

// ---------------------------------------------------------------- loss helpers
// ATen's Loss.cpp guards BCE's backward and the cosine's magnitudes with `constexpr float
// EPSILON = 1e-12`: the float nearest 1e-12, not the double. (It shows: 1/sqrt(EPSILON) differs
// from 1/sqrt(1e-12) by 2e-9 relative.)
const EPSILON_F = Math.fround(1e-12);

// log(sigmoid(x)) without overflow.
const logSigmoid = (v) => (v < 0 ? v : 0) - Math.log1p(Math.exp(-Math.abs(v)));
const sigmoid = (v) => 1 / (1 + Math.exp(-v));

// The last dim of a tensor as rows: 1-D (D) is one row (an unbatched sample), (N, D) is N rows.
function rows(t) {
  const d = t.shape.length ? t.shape[t.shape.length - 1] : 1;
  return [t.data.length / d, d];
}

// Class-indexed losses: input (C) with a 0-dim target, (N, C) with target (N), or
// (N, C, d1, ...) with target (N, d1, ...). Returns [N, C, K], K the product of the extra dims.
function classLayout(input) {
  const s = input.shape;
  if (s.length <= 1) return [1, s.length ? s[0] : 1, 1];
  const K = s.slice(2).reduce((a, b) => a * b, 1);
  return [s[0], s[1], K];
}

// Pairwise distance ||a - b + eps||_p over the last dim of row r, and its gradient w.r.t. a
// written into g (scaled by `scale`); g gets nothing where the distance is 0 (autograd's norm).
function pairwise(a, b, off, D, p, eps) {
  let s = 0;
  if (p === 2) {
    for (let j = 0; j < D; j++) { const u = a[off + j] - b[off + j] + eps; s += u * u; }
    return Math.sqrt(s);
  }
  for (let j = 0; j < D; j++) s += Math.abs(a[off + j] - b[off + j] + eps) ** p;
  return s ** (1 / p);
}
function addPairwiseGrad(g, a, b, off, D, p, eps, d, scale) {
  if (d === 0) return;
  if (p === 2) {
    for (let j = 0; j < D; j++) g[off + j] += (scale * (a[off + j] - b[off + j] + eps)) / d;
    return;
  }
  const dp = d ** (p - 1);
  for (let j = 0; j < D; j++) {
    const u = a[off + j] - b[off + j] + eps;
    g[off + j] += (scale * Math.sign(u) * Math.abs(u) ** (p - 1)) / dp;
  }
}

// Triplet loss with pairwise distance (TripletMarginLoss, TripletMarginWithDistanceLoss's
// default). Shapes: (N, D) or (D). clamp_min passes the gradient where margin + dp - dn == 0.
function triplet(args, margin, p, eps, swap) {
  const A = args.anchor.data, P = args.positive.data, Ng = args.negative.data;
  const [N, D] = rows(args.anchor);
  const ga = new Float64Array(A.length), gp = new Float64Array(P.length), gn = new Float64Array(Ng.length);
  const w = 1 / N;
  let total = 0;
  for (let r = 0, off = 0; r < N; r++, off += D) {
    const dp = pairwise(A, P, off, D, p, eps);
    let dn = pairwise(A, Ng, off, D, p, eps);
    let swapped = false;
    if (swap) {
      const ds = pairwise(P, Ng, off, D, p, eps);
      if (ds < dn) { dn = ds; swapped = true; }
    }
    const z = margin + dp - dn;
    if (z >= 0) {
      total += z;
      addPairwiseGrad(ga, A, P, off, D, p, eps, dp, w);
      addPairwiseGrad(gp, A, P, off, D, p, eps, dp, -w);
      if (swapped) {
        addPairwiseGrad(gp, P, Ng, off, D, p, eps, dn, -w);
        addPairwiseGrad(gn, P, Ng, off, D, p, eps, dn, w);
      } else {
        addPairwiseGrad(ga, A, Ng, off, D, p, eps, dn, -w);
        addPairwiseGrad(gn, A, Ng, off, D, p, eps, dn, w);
      }
    }
  }
  return { loss: total / N, grad: { anchor: ga, positive: gp, negative: gn } };
}

// log(exp(a) + exp(b)) with -inf handled (both -inf gives -inf).
function logAddExp(a, b) {
  const m = a > b ? a : b;
  if (m === -Infinity) return -Infinity;
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

// ---------------------------------------------------------------- losses
// Pointwise losses take input and target of the same shape (any rank; no broadcasting).
export const losses = {
  L1Loss({ input, target }) {
    const x = input.data, t = target.data, n = x.length, w = 1 / n;
    const gx = new Float64Array(n), gt = new Float64Array(n);
    let s = 0;
    for (let i = 0; i < n; i++) {
      const d = x[i] - t[i];
      s += Math.abs(d);
      const g = d > 0 ? w : d < 0 ? -w : 0;  // sign(0) = 0
      gx[i] = g;
      gt[i] = -g;
    }
    return { loss: s / n, grad: { input: gx, target: gt } };
  },

  MSELoss({ input, target }) {
    const x = input.data, t = target.data, n = x.length, w = 2 / n;
    const gx = new Float64Array(n), gt = new Float64Array(n);
    let s = 0;
    for (let i = 0; i < n; i++) {
      const d = x[i] - t[i];
      s += d * d;
      gx[i] = d * w;
      gt[i] = -d * w;
    }
    return { loss: s / n, grad: { input: gx, target: gt } };
  },

  SmoothL1Loss({ input, target }, p) {
    const beta = p.beta ?? 1;
    const x = input.data, t = target.data, n = x.length, w = 1 / n;
    const gx = new Float64Array(n), gt = new Float64Array(n);
    let s = 0;
    for (let i = 0; i < n; i++) {
      const d = x[i] - t[i], z = Math.abs(d);
      s += z < beta ? (0.5 * z * z) / beta : z - 0.5 * beta;
      const g = d < -beta ? -w : d > beta ? w : (w * d) / beta;
      gx[i] = g;
      gt[i] = -g;
    }
    return { loss: s / n, grad: { input: gx, target: gt } };
  },

  HuberLoss({ input, target }, p) {
    const delta = p.delta ?? 1;
    const x = input.data, t = target.data, n = x.length, w = 1 / n;
    const gx = new Float64Array(n), gt = new Float64Array(n);
    let s = 0;
    for (let i = 0; i < n; i++) {
      const d = x[i] - t[i], z = Math.abs(d);
      s += z < delta ? 0.5 * z * z : delta * (z - 0.5 * delta);
      const g = d < -delta ? -w * delta : d > delta ? w * delta : w * d;
      gx[i] = g;
      gt[i] = -g;
    }
    return { loss: s / n, grad: { input: gx, target: gt } };
  },

  // input (C), (N, C) or (N, C, d...) of log-probabilities; ignore_index skipped, mean over the rest.
  NLLLoss({ input, target }, p) {
    const ignore = p.ignore_index ?? -100;
    const x = input.data, t = target.data;
    const [N, C, K] = classLayout(input);
    const g = new Float64Array(x.length);
    let s = 0, count = 0;
    for (let r = 0; r < N * K; r++) {
      const c = t[r];
      if (c === ignore) continue;
      const n = (r / K) | 0, k = r - n * K;
      s -= x[(n * C + c) * K + k];
      count++;
    }
    for (let r = 0; r < N * K; r++) {
      const c = t[r];
      if (c === ignore) continue;
      const n = (r / K) | 0, k = r - n * K;
      g[(n * C + c) * K + k] = -1 / count;
    }
    return { loss: s / count, grad: { input: g } };
  },

  // Class-index targets: input (C) / (N, C) / (N, C, d...) of logits, target of class indices;
  // log-softmax by log-sum-exp, gradient softmax - onehot over the non-ignored count.
  // Probability targets (target with the input's shape) are handled too: mean over N * d...
  CrossEntropyLoss({ input, target }, p) {
    const ignore = p.ignore_index ?? -100;
    const x = input.data, t = target.data;
    const [N, C, K] = classLayout(input);
    const g = new Float64Array(x.length);
    const probs = target.shape.length === input.shape.length;
    const gt = probs ? new Float64Array(t.length) : null;
    const lsm = new Float64Array(C);
    let s = 0, count = 0;
    for (let r = 0; r < N * K; r++) {
      const n = (r / K) | 0, k = r - n * K, base = n * C * K + k;
      if (!probs && t[r] === ignore) continue;
      let m = -Infinity;
      for (let c = 0; c < C; c++) { const v = x[base + c * K]; if (v > m) m = v; }
      let se = 0;
      for (let c = 0; c < C; c++) se += Math.exp(x[base + c * K] - m);
      const lse = m + Math.log(se);
      for (let c = 0; c < C; c++) lsm[c] = x[base + c * K] - lse;
      if (probs) {
        let tsum = 0;
        for (let c = 0; c < C; c++) { s -= t[base + c * K] * lsm[c]; tsum += t[base + c * K]; }
        for (let c = 0; c < C; c++) {
          g[base + c * K] = Math.exp(lsm[c]) * tsum - t[base + c * K];
          gt[base + c * K] = -lsm[c];
        }
      } else {
        const cls = t[r];
        s -= lsm[cls];
        for (let c = 0; c < C; c++) g[base + c * K] = Math.exp(lsm[c]);
        g[base + cls * K] -= 1;
      }
      count++;
    }
    const w = 1 / count;
    for (let i = 0; i < g.length; i++) g[i] *= w;
    if (probs) {
      for (let i = 0; i < gt.length; i++) gt[i] *= w;
      return { loss: s * w, grad: { input: g, target: gt } };
    }
    return { loss: s * w, grad: { input: g } };
  },

  // -(t log x + (1 - t) log(1 - x)) with both logs clamped at -100; backward guarded by EPSILON_F.
  BCELoss({ input, target }) {
    const x = input.data, t = target.data, n = x.length, w = 1 / n;
    const gx = new Float64Array(n), gt = new Float64Array(n);
    let s = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i], y = t[i];
      const logx = Math.max(Math.log(v), -100), log1mx = Math.max(Math.log1p(-v), -100);
      s += (y - 1) * log1mx - y * logx;
      gx[i] = (w * (v - y)) / Math.max((1 - v) * v, EPSILON_F);
      gt[i] = w * (Math.log1p(-v) - Math.log(v));
    }
    return { loss: s * w, grad: { input: gx, target: gt } };
  },

  // (1 - t) x + log(1 + exp(-x)) computed as max_val + log(exp(-max_val) + exp(-x - max_val)).
  BCEWithLogitsLoss({ input, target }) {
    const x = input.data, t = target.data, n = x.length, w = 1 / n;
    const gx = new Float64Array(n), gt = new Float64Array(n);
    let s = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i], y = t[i];
      const mv = v < 0 ? -v : 0;
      s += (1 - y) * v + mv + Math.log(Math.exp(-mv) + Math.exp(-v - mv));
      gx[i] = w * (sigmoid(v) - y);
      gt[i] = -w * v;
    }
    return { loss: s * w, grad: { input: gx, target: gt } };
  },

  // log_target=False: xlogy(t, t) - t * x. Autograd's xlogy backward makes d/dt NaN at t == 0.
  KLDivLoss({ input, target }) {
    const x = input.data, t = target.data, n = x.length, w = 1 / n;
    const gx = new Float64Array(n), gt = new Float64Array(n);
    let s = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i], y = t[i];
      s += (y === 0 ? 0 : y * Math.log(y)) - y * v;
      gx[i] = -w * y;
      gt[i] = y === 0 ? NaN : w * (Math.log(y) + 1 - v);
    }
    return { loss: s * w, grad: { input: gx, target: gt } };
  },

  // log_input=True (default): exp(x) - t x; log_input=False: x - t log(x + eps). full=False.
  PoissonNLLLoss({ input, target }, p) {
    const logInput = p.log_input ?? true, eps = p.eps ?? 1e-8;
    const x = input.data, t = target.data, n = x.length, w = 1 / n;
    const gx = new Float64Array(n), gt = new Float64Array(n);
    let s = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i], y = t[i];
      if (logInput) {
        const e = Math.exp(v);
        s += e - y * v;
        gx[i] = w * (e - y);
        gt[i] = -w * v;
      } else {
        s += v - y * Math.log(v + eps);
        gx[i] = w * (1 - y / (v + eps));
        gt[i] = -w * Math.log(v + eps);
      }
    }
    return { loss: s * w, grad: { input: gx, target: gt } };
  },

  // 0.5 (log var + (x - t)^2 / var), var clamped at eps (without cutting its gradient, as
  // PyTorch clamps under no_grad). var: the input's shape, the input's shape without its last
  // dim, or with last dim 1 (one variance per row). full=False.
  GaussianNLLLoss(args, p) {
    const eps = p.eps ?? 1e-6;
    const x = args.input.data, t = args.target.data, vr = args.var.data, n = x.length, w = 1 / n;
    const per = vr.length === n ? 1 : n / vr.length;  // inputs sharing one variance
    const gx = new Float64Array(n), gt = new Float64Array(n), gv = new Float64Array(vr.length);
    let s = 0;
    for (let i = 0; i < n; i++) {
      const j = per === 1 ? i : (i / per) | 0;
      const v = Math.max(vr[j], eps), d = x[i] - t[i];
      s += 0.5 * (Math.log(v) + (d * d) / v);
      const g = (w * d) / v;
      gx[i] = g;
      gt[i] = -g;
      gv[j] += 0.5 * w * (1 / v - (d * d) / (v * v));
    }
    return { loss: s * w, grad: { input: gx, target: gt, var: gv } };
  },

  // max(0, -t (x1 - x2) + margin); same shapes.
  MarginRankingLoss({ input1, input2, target }, p) {
    const margin = p.margin ?? 0;
    const a = input1.data, b = input2.data, t = target.data, n = a.length, w = 1 / n;
    const ga = new Float64Array(n), gb = new Float64Array(n), gt = new Float64Array(n);
    let s = 0;
    for (let i = 0; i < n; i++) {
      const z = -t[i] * (a[i] - b[i]) + margin;
      if (z >= 0) {
        s += z;
        ga[i] = -w * t[i];
        gb[i] = w * t[i];
        gt[i] = -w * (a[i] - b[i]);
      }
    }
    return { loss: s * w, grad: { input1: ga, input2: gb, target: gt } };
  },

  // x where t == 1, max(0, margin - x) where t == -1 (PyTorch's where(t != 1) / where(t != -1)).
  HingeEmbeddingLoss({ input, target }, p) {
    const margin = p.margin ?? 1;
    const x = input.data, t = target.data, n = x.length, w = 1 / n;
    const gx = new Float64Array(n);
    let s = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i], y = t[i];
      let g = 0;
      if (y !== 1) {
        const z = margin - v;
        if (z >= 0) { s += z; g -= w; }
      }
      if (y !== -1) { s += v; g += w; }
      gx[i] = g;
    }
    return { loss: s * w, grad: { input: gx, target: new Float64Array(n) } };
  },

  // log(1 + exp(-t x)); PyTorch does not differentiate w.r.t. the target.
  SoftMarginLoss({ input, target }) {
    const x = input.data, t = target.data, n = x.length, w = 1 / n;
    const gx = new Float64Array(n);
    let s = 0;
    for (let i = 0; i < n; i++) {
      const z = Math.exp(-t[i] * x[i]);
      s += Math.log1p(z);
      gx[i] = (-w * t[i] * z) / (1 + z);
    }
    return { loss: s * w, grad: { input: gx, target: new Float64Array(n) } };
  },

  // input (C) or (N, C); target of the same shape holding class indices, ended by the first -1.
  // Each (target j, non-target i) pair adds max(0, 1 - (x[j] - x[i])) / C.
  MultiLabelMarginLoss({ input, target }) {
    const x = input.data, t = target.data;
    const [N, C] = rows(input);
    const g = new Float64Array(x.length);
    const isTarget = new Uint8Array(C);
    const w = 1 / (C * N);
    let s = 0;
    for (let r = 0, off = 0; r < N; r++, off += C) {
      isTarget.fill(0);
      let L = 0;
      while (L < C && t[off + L] >= 0) isTarget[t[off + L++]] = 1;
      for (let a = 0; a < L; a++) {
        const j = t[off + a], xj = x[off + j];
        for (let i = 0; i < C; i++) {
          if (isTarget[i]) continue;
          const z = 1 - (xj - x[off + i]);
          if (z > 0) {
            s += z;
            g[off + j] -= w;
            g[off + i] += w;
          }
        }
      }
    }
    return { loss: (s / C) / N, grad: { input: g } };
  },

  // input and target (C) or (N, C): -(1/C) sum (t log σ(x) + (1 - t) log σ(-x)), mean over N.
  MultiLabelSoftMarginLoss({ input, target }) {
    const x = input.data, t = target.data;
    const [N, C] = rows(input);
    const w = 1 / (C * N);
    const gx = new Float64Array(x.length), gt = new Float64Array(x.length);
    let s = 0;
    for (let i = 0; i < x.length; i++) {
      const v = x[i], y = t[i];
      s -= y * logSigmoid(v) + (1 - y) * logSigmoid(-v);
      gx[i] = w * (sigmoid(v) - y);
      gt[i] = -w * v;
    }
    return { loss: s * w, grad: { input: gx, target: gt } };
  },

  // input (C) with a 0-dim target, or (N, C) with target (N): sum over i != y of
  // max(0, margin - x[y] + x[i])^p / C, mean over N (p = 1 or 2).
  MultiMarginLoss({ input, target }, p) {
    const margin = p.margin ?? 1, pw = p.p ?? 1;
    const x = input.data, t = target.data;
    const [N, C] = rows(input);
    const g = new Float64Array(x.length);
    const w = 1 / (C * N);
    let s = 0;
    for (let r = 0, off = 0; r < N; r++, off += C) {
      const y = t[r], xy = x[off + y];
      for (let i = 0; i < C; i++) {
        if (i === y) continue;
        const z = margin - xy + x[off + i];
        if (z > 0) {
          const h = pw === 1 ? w : 2 * z * w;
          s += pw === 1 ? z : z * z;
          g[off + i] += h;
          g[off + y] -= h;
        }
      }
    }
    return { loss: (s / C) / N, grad: { input: g } };
  },

  // input1, input2 (D) with a 0-dim target, or (N, D) with target (N).
  // cos = x1.x2 / sqrt((|x1|^2 + EPSILON_F)(|x2|^2 + EPSILON_F)); 1 - cos for t == 1, max(0, cos - margin)
  // for t == -1.
  CosineEmbeddingLoss({ input1, input2, target }, p) {
    const margin = p.margin ?? 0;
    const a = input1.data, b = input2.data, t = target.data;
    const [N, D] = rows(input1);
    const ga = new Float64Array(a.length), gb = new Float64Array(b.length);
    const w = 1 / N;
    let s = 0;
    for (let r = 0, off = 0; r < N; r++, off += D) {
      let ab = 0, aa = 0, bb = 0;
      for (let j = 0; j < D; j++) {
        const u = a[off + j], v = b[off + j];
        ab += u * v;
        aa += u * u;
        bb += v * v;
      }
      aa += EPSILON_F;
      bb += EPSILON_F;
      const denom = Math.sqrt(aa * bb), cos = ab / denom;
      let k = 0;  // d loss / d cos
      if (t[r] === 1) { s += 1 - cos; k = -w; } else if (t[r] === -1 && cos - margin >= 0) { s += cos - margin; k = w; }
      if (k === 0) continue;
      for (let j = 0; j < D; j++) {
        const u = a[off + j], v = b[off + j];
        ga[off + j] = k * (v / denom - (cos * u) / aa);
        gb[off + j] = k * (u / denom - (cos * v) / bb);
      }
    }
    return { loss: s * w, grad: { input1: ga, input2: gb, target: new Float64Array(t.length) } };
  },

  // anchor, positive, negative (D) or (N, D).
  TripletMarginLoss(args, p) {
    return triplet(args, p.margin ?? 1, p.p ?? 2, p.eps ?? 1e-6, p.swap ?? false);
  },

  // The default distance_function: pairwise_distance (p = 2, eps = 1e-6); 'cosine' is not covered.
  TripletMarginWithDistanceLoss(args, p) {
    return triplet(args, p.margin ?? 1, 2, 1e-6, p.swap ?? false);
  },

  // log_probs (T, N, C) with targets (N, S) padded or 1-D concatenated, input_lengths and
  // target_lengths (N); or unbatched (T, C) with targets (S) and 0-dim lengths. Alpha-beta in log
  // space; the gradient is PyTorch's: exp(log_probs) - exp(log(alpha beta) + nll - log_probs), i.e.
  // it assumes log_probs came from log_softmax. 'mean': each loss over its target length
  // (at least 1), then the mean over the batch. blank = 0.
  CTCLoss({ log_probs, targets, input_lengths, target_lengths }, p) {
    const blank = p.blank ?? 0;
    const lp = log_probs.data, tg = targets.data;
    const batched = log_probs.shape.length === 3;
    const T = log_probs.shape[0], N = batched ? log_probs.shape[1] : 1, C = log_probs.shape[batched ? 2 : 1];
    const inLen = input_lengths.data, tgLen = target_lengths.data;
    const padded = batched && targets.shape.length === 2;
    const S = padded ? targets.shape[1] : 0;
    let maxL = 0;
    for (let b = 0; b < N; b++) maxL = Math.max(maxL, tgLen[b]);
    // Scratch reused across the batch: the blank-extended target and the alpha/beta tables.
    const ext = new Int32Array(2 * maxL + 1);
    const alpha = new Float64Array(T * ext.length), beta = new Float64Array(T * ext.length);
    const lcab = new Float64Array(C);
    const grad = new Float64Array(lp.length);
    const NC = N * C;
    let total = 0, tgOffset = 0;
    for (let b = 0; b < N; b++) {
      const Tb = inLen[b], L = tgLen[b], E = 2 * L + 1;
      const off = padded ? b * S : tgOffset;
      tgOffset += L;
      for (let s = 0; s < E; s++) ext[s] = s % 2 === 0 ? blank : tg[off + (s - 1) / 2];
      const base = b * C;  // log_probs[t][b][c] = lp[t * NC + base + c]
      alpha.fill(-Infinity, 0, Tb * E);
      beta.fill(-Infinity, 0, Tb * E);
      alpha[0] = lp[base + blank];
      if (L > 0) alpha[1] = lp[base + ext[1]];
      for (let t = 1; t < Tb; t++) {
        const prev = (t - 1) * E, row = t * NC + base;
        for (let s = 0; s < E; s++) {
          const l = ext[s];
          let v = alpha[prev + s];
          if (s > 0) v = logAddExp(v, alpha[prev + s - 1]);
          if (s > 1 && l !== ext[s - 2]) v = logAddExp(v, alpha[prev + s - 2]);
          alpha[t * E + s] = v + lp[row + l];
        }
      }
      const last = (Tb - 1) * E;
      beta[last + E - 1] = lp[(Tb - 1) * NC + base + blank];
      if (L > 0) beta[last + E - 2] = lp[(Tb - 1) * NC + base + ext[E - 2]];
      for (let t = Tb - 2; t >= 0; t--) {
        const next = (t + 1) * E, row = t * NC + base;
        for (let s = 0; s < E; s++) {
          const l = ext[s];
          let v = beta[next + s];
          if (s < E - 1) v = logAddExp(v, beta[next + s + 1]);
          if (s < E - 2 && l !== ext[s + 2]) v = logAddExp(v, beta[next + s + 2]);
          beta[t * E + s] = v + lp[row + l];
        }
      }
      const nll = -(L > 0 ? logAddExp(alpha[last + E - 1], alpha[last + E - 2]) : alpha[last + E - 1]);
      const scale = 1 / Math.max(L, 1) / N;
      total += nll / Math.max(L, 1);
      for (let t = 0; t < Tb; t++) {
        lcab.fill(-Infinity);
        for (let s = 0; s < E; s++) lcab[ext[s]] = logAddExp(lcab[ext[s]], alpha[t * E + s] + beta[t * E + s]);
        const row = t * NC + base;
        for (let c = 0; c < C; c++) {
          const v = lp[row + c];
          grad[row + c] = (Math.exp(v) - Math.exp(lcab[c] + nll - v)) * scale;
        }
      }
    }
    return { loss: total / N, grad: { log_probs: grad } };
  },
};
