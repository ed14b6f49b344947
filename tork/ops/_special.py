"""`tf.math.special`: Bessel functions, Dawson's integral, Ei, Fresnel integrals, Spence.

torch.special provides the Bessel functions (without gradients for most of them); Dawson's
integral, the exponential integral, the Fresnel integrals and Spence's function are
evaluated here from convergent series, continued fractions and functional identities in
float64, then cast back, which gives float32 results to float32 precision. Every function
has TensorFlow's gradient, and TensorFlow's values at the edges of its domain (`expint`
is NaN for x < 0, `spence` for x < 0, ...).
"""

from __future__ import annotations

import math

import torch

from tork import _symbolic
from tork._backend.dtypes import dtype_name
from tork._backend.errors import module_getattr
from tork._backend.tensor import convert_to_tensor

__all__ = [
    "bessel_i0",
    "bessel_i0e",
    "bessel_i1",
    "bessel_i1e",
    "bessel_j0",
    "bessel_j1",
    "bessel_k0",
    "bessel_k0e",
    "bessel_k1",
    "bessel_k1e",
    "bessel_y0",
    "bessel_y1",
    "dawsn",
    "expint",
    "fresnel_cos",
    "fresnel_sin",
    "spence",
]

__getattr__ = module_getattr("tf.math.special")

_EULER = 0.57721566490153286061
_PI2_6 = math.pi**2 / 6
_FRESNEL_FLAT = 36974.0


def _float_input(value, opname: str) -> torch.Tensor:
    x = value if isinstance(value, torch.Tensor) else convert_to_tensor(value)
    if not x.is_floating_point():
        raise TypeError(
            f"tf.math.special.{opname} expects a floating point tensor, got "
            f"{dtype_name(x.dtype)}. Cast it first, e.g. tf.cast(x, tf.float32)."
        )
    return x


def _in64(fn):
    """Evaluates `fn` in float64 and returns the input's dtype."""

    def run(x: torch.Tensor) -> torch.Tensor:
        return fn(x.to(torch.float64)).to(x.dtype)

    return run


def _op(value_fn, grad_fn, opname: str, summary: str, example: str):
    """A public function with TensorFlow's derivative `grad_fn(x, y)` attached."""

    class _Fn(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = value_fn(x)
            ctx.save_for_backward(x, y)
            return y

        @staticmethod
        def backward(ctx, g):
            x, y = ctx.saved_tensors
            return g * grad_fn(x, y)

    def op(x, name: str | None = None) -> torch.Tensor:
        del name
        x = _float_input(x, opname)
        if x.requires_grad and torch.is_grad_enabled():
            return _Fn.apply(x)
        return value_fn(x)

    op.__name__ = op.__qualname__ = opname
    op.__module__ = __name__
    op.__doc__ = f"""{summary}

    Args:
        x: a floating point tensor.
        name: unused.

    Returns:
        A tensor of the same shape and dtype.

    Raises:
        TypeError: for a non-floating point input.

    Example:
    {example}
    """
    return op


# ---------------------------------------------------------------- Bessel functions


def _torch_bessel(fn, negative_value=None):
    def run(x: torch.Tensor) -> torch.Tensor:
        y = fn(x)
        if negative_value is not None:
            # K and Y are defined for x > 0 only: TensorFlow answers a constant there.
            y = torch.where(x < 0, torch.full_like(y, negative_value), y)
        return y

    return run


def _i0(x):
    return torch.special.i0(x)


def _i1(x):
    return torch.special.i1(x)


# torch's K kernels exist for float32/float64 only: evaluate in float64 (also for float16).
def _k0(x):
    return _in64(_torch_bessel(torch.special.modified_bessel_k0, math.inf))(x)


def _k1(x):
    return _in64(_torch_bessel(torch.special.modified_bessel_k1, math.inf))(x)


def _k0e(x):
    return _in64(_torch_bessel(torch.special.scaled_modified_bessel_k0, math.inf))(x)


def _k1e(x):
    return _in64(_torch_bessel(torch.special.scaled_modified_bessel_k1, math.inf))(x)


def _hankel_pq(x: torch.Tensor, nu: int):
    """The asymptotic series P and Q of Hankel's expansion of J_nu and Y_nu, x >= 14."""
    mu = 4.0 * nu * nu
    p = torch.ones_like(x)
    q = torch.zeros_like(x)
    term = torch.ones_like(x)
    for k in range(1, 40):
        term = term * (mu - (2 * k - 1) ** 2) / (k * 8.0 * x)
        sign = term if (k // 2) % 2 == 0 else -term
        if k % 2:
            q = q + sign
        else:
            p = p + sign
    return p, q


def _bessel_jy64(x: torch.Tensor, n: int):
    """(J_n(x), Y_n(x)) for n in {0, 1} and x >= 0.

    torch.special's J and Y lose up to 1e-6 of relative precision near x ~ 5, so they are
    evaluated here: by their power series below 14 (terms stay under ~1e5, so the absolute
    error is ~1e-11) and by Hankel's asymptotic expansion above (truncation error ~e^-2x).
    """
    small = x.clamp(max=14.0)
    h = small / 2
    h2 = -h * h
    term = torch.ones_like(small) if n == 0 else h.clone()  # (-1)^k (x/2)^(2k+n) / k!(k+n)!
    j = term.clone()
    harmonic = 0.0  # H_k
    weighted = torch.zeros_like(small)
    for k in range(1, 60):
        term = term * h2 / (k * (k + n))
        harmonic += 1.0 / k
        j = j + term
        # The Y series weights term k by H_k (n = 0) or H_k + H_(k+1) (n = 1).
        weight = harmonic if n == 0 else 2 * harmonic + 1.0 / (k + 1)
        weighted = weighted + weight * term
    # Y has a log (and for n = 1 a pole) at 0: x = 0 is set to -inf by the caller.
    h_pos = h.clamp(min=1e-300)
    if n == 0:
        y = (2 / math.pi) * ((torch.log(h_pos) + _EULER) * j - weighted)
    else:
        weighted = weighted + h  # the k = 0 term, H_0 + H_1 = 1
        y = (
            -1 / (math.pi * h_pos)
            + (2 / math.pi) * torch.log(h_pos) * j
            - (weighted - 2 * _EULER * j) / math.pi
        )
    big = x.clamp(min=14.0)
    p, q = _hankel_pq(big, n)
    chi = big - (2 * n + 1) * math.pi / 4
    amp = torch.sqrt(2 / (math.pi * big))
    j_big = amp * (p * torch.cos(chi) - q * torch.sin(chi))
    y_big = amp * (p * torch.sin(chi) + q * torch.cos(chi))
    return torch.where(x < 14, j, j_big), torch.where(x < 14, y, y_big)


def _j0_64(x):
    # TensorFlow answers NaN at +-inf (the limit 0 is not taken).
    return _bessel_jy64(x.abs(), 0)[0]


def _j1_64(x):
    j = _bessel_jy64(x.abs(), 1)[0]
    return torch.where(x < 0, -j, j)  # J1 is odd


def _y_64(x, n):
    y = _bessel_jy64(x, n)[1]
    y = torch.where(x == 0, torch.full_like(x, -math.inf), y)
    return torch.where(x < 0, torch.full_like(x, -math.inf), y)


def _j0(x):
    return _in64(_j0_64)(x)


def _j1(x):
    return _in64(_j1_64)(x)


def _y0(x):
    return _in64(lambda v: _y_64(v, 0))(x)


def _y1(x):
    return _in64(lambda v: _y_64(v, 1))(x)


# ---------------------------------------------------------------- Dawson's integral


def _dawsn64(x: torch.Tensor) -> torch.Tensor:
    ax = x.abs()
    # Small |x|: the Taylor series sum (-2)^n x^(2n+1) / (2n+1)!!, no cancellation there.
    x2 = ax * ax
    term = ax.clone()
    small = ax.clone()
    for n in range(1, 14):
        term = term * (-2.0 * x2) / (2 * n + 1)
        small = small + term
    # Moderate |x|: Rybicki's sampling formula D(x) = lim_{h->0} 1/sqrt(pi) sum_{n odd}
    # exp(-(x - n h)^2) / n; with h = 0.25 its error is below exp(-(pi / 2h)^2) ~ 1e-17.
    # Only the terms with n h within 7 of x matter (the rest are below exp(-49)).
    h = 0.25
    centre = 2 * torch.floor(ax.clamp(max=60.0) / (2 * h)) + 1
    offsets = 2 * torch.arange(-15, 16, dtype=x.dtype, device=x.device)
    n = centre.unsqueeze(-1) + offsets
    ryb = (torch.exp(-((ax.clamp(max=60.0).unsqueeze(-1) - n * h) ** 2)) / n).sum(-1)
    ryb = ryb / math.sqrt(math.pi)
    # Large |x|: the asymptotic series 1/(2x) sum (2k-1)!! / (2x^2)^k.
    inv = 1.0 / (2.0 * x2.clamp(min=1.0))
    big = torch.ones_like(ax)
    term = torch.ones_like(ax)
    for k in range(1, 12):
        term = term * (2 * k - 1) * inv
        big = big + term
    big = big / (2.0 * ax.clamp(min=1e-300))
    out = torch.where(ax < 0.2, small, torch.where(ax < 50.0, ryb, big))
    out = torch.where(torch.isinf(ax), torch.zeros_like(ax), out)
    return torch.copysign(out, x)


def _dawsn_grad(x, y):
    return 1 - 2 * x * y


# ---------------------------------------------------------------- exponential integral Ei


def _expint64(x: torch.Tensor) -> torch.Tensor:
    pos = x.clamp(min=1e-300)
    # x <= 40: the series Ei(x) = gamma + ln x + sum x^k / (k k!), all terms positive.
    xs = pos.clamp(max=40.0)
    term = torch.ones_like(xs)
    series = torch.zeros_like(xs)
    for k in range(1, 140):
        term = term * xs / k
        series = series + term / k
    series = series + _EULER + torch.log(xs)
    # x > 40: the asymptotic series Ei(x) ~ e^x / x sum k! / x^k, truncated at its
    # smallest term (k ~ x), whose size e^-x is far below float64 precision.
    xl = pos.clamp(min=40.0)
    term = torch.ones_like(xl)
    asym = torch.ones_like(xl)
    for k in range(1, 40):
        term = term * k / xl
        asym = asym + term
    asym = asym * torch.exp(xl) / xl
    out = torch.where(x <= 40.0, series, asym)
    out = torch.where(x == 0, torch.full_like(x, -math.inf), out)
    # TensorFlow's expint is NaN for negative x and at +inf.
    return torch.where((x < 0) | torch.isinf(x), torch.full_like(x, math.nan), out)


def _expint_grad(x, y):
    return torch.exp(x) / x


# ---------------------------------------------------------------- Fresnel integrals


def _fresnel64(x: torch.Tensor):
    """(C(x), S(x)) with C = int_0^x cos(pi t^2 / 2) dt and S the same with sin."""
    ax = x.abs()
    # |x| < 1.5: the power series, whose terms alternate but stay below ~10 there.
    t = (math.pi / 2) * ax * ax
    t2 = t * t
    c_term = ax.clone()
    s_term = ax * t / 3
    c_sum = c_term.clone()
    s_sum = s_term.clone()
    c_fact = ax.clone()  # x * (-t^2)^n / (2n)!
    s_fact = ax * t  # x * t * (-t^2)^n / (2n+1)!
    for n in range(1, 30):
        c_fact = c_fact * (-t2) / ((2 * n - 1) * (2 * n))
        s_fact = s_fact * (-t2) / ((2 * n) * (2 * n + 1))
        c_sum = c_sum + c_fact / (4 * n + 1)
        s_sum = s_sum + s_fact / (4 * n + 3)
    # |x| >= 1.5: C + iS = (1 + i)/2 * (1 - e^{i pi x^2/2} (1 - i) x * K), where K is the
    # continued fraction of the complementary error function, evaluated from the back.
    xl = ax.clamp(min=1.5, max=1e8)
    p = math.pi * xl * xl
    b0 = torch.complex(torch.ones_like(xl), -p)
    frac = torch.zeros_like(b0)
    depth = 120
    for k in range(depth, 0, -1):
        a = -float((2 * k - 1) * (2 * k))
        frac = a / (b0 + 4 * k + frac)
    h = 1.0 / (b0 + frac)
    h = h * torch.complex(xl, -xl)
    phase = torch.complex(torch.cos(p / 2), torch.sin(p / 2))
    cs = torch.complex(torch.full_like(xl, 0.5), torch.full_like(xl, 0.5)) * (1 - phase * h)
    large = ax >= 1.5
    c = torch.where(large, cs.real, c_sum)
    s = torch.where(large, cs.imag, s_sum)
    # TensorFlow (Cephes) answers exactly 1/2 past this point, where the oscillation
    # 1 / (pi x) is below 1e-5.
    half = torch.full_like(ax, 0.5)
    c = torch.where(ax > _FRESNEL_FLAT, half, c)
    s = torch.where(ax > _FRESNEL_FLAT, half, s)
    return torch.copysign(c, x), torch.copysign(s, x)


def _fresnel_cos64(x):
    return _fresnel64(x)[0]


def _fresnel_sin64(x):
    return _fresnel64(x)[1]


def _fresnel_cos_grad(x, y):
    return torch.cos((math.pi / 2) * x * x)


def _fresnel_sin_grad(x, y):
    return torch.sin((math.pi / 2) * x * x)


# ---------------------------------------------------------------- Spence's function


def _li2_small(z: torch.Tensor) -> torch.Tensor:
    """The dilogarithm sum z^k / k^2 for |z| <= 1/2 (60 terms: error below 2^-60)."""
    out = torch.zeros_like(z)
    power = torch.ones_like(z)
    for k in range(1, 61):
        power = power * z
        out = out + power / (k * k)
    return out


def _li2(z: torch.Tensor) -> torch.Tensor:
    """The dilogarithm Li2(z) for real z <= 1, brought into |w| <= 1/2 by identities."""
    one = torch.ones_like(z)
    # z in (1/2, 1]: Li2(z) = pi^2/6 - ln z ln(1 - z) - Li2(1 - z).
    zr = z.clamp(0.5, 1.0)
    log_prod = torch.where(zr < 1, torch.log(zr) * torch.log1p(-zr.clamp(max=1 - 1e-300)), 0 * one)
    upper = _PI2_6 - log_prod - _li2_small(1 - zr)
    # z in [-1, -1/2): Li2(z) = -ln^2(1 - z) / 2 - Li2(z / (z - 1)).
    zm = z.clamp(-1.0, -0.5)
    middle = -0.5 * torch.log1p(-zm) ** 2 - _li2_small(zm / (zm - 1))
    # z < -1: Li2(z) = -pi^2/6 - ln^2(-z) / 2 - Li2(1/z), with 1/z in (-1, 0).
    zb = z.clamp(max=-1.0)
    w = 1 / zb
    inner = torch.where(
        w < -0.5, -0.5 * torch.log1p(-w) ** 2 - _li2_small(w / (w - 1)), _li2_small(w)
    )
    below = -_PI2_6 - 0.5 * torch.log(-zb) ** 2 - inner
    small = _li2_small(z.clamp(-0.5, 0.5))
    return torch.where(
        z > 0.5,
        upper,
        torch.where(z >= -0.5, small, torch.where(z >= -1.0, middle, below)),
    )


def _spence64(x: torch.Tensor) -> torch.Tensor:
    # spence(x) = int_1^x ln t / (1 - t) dt = Li2(1 - x), defined for x >= 0.
    out = _li2(1 - x.clamp(min=0.0, max=1e300))
    return torch.where((x < 0) | torch.isinf(x), torch.full_like(x, math.nan), out)


def _spence_grad(x, y):
    # d/dx Li2(1 - x) = ln x / (1 - x), which tends to -1 at x = 1.
    safe = torch.where(x == 1, torch.zeros_like(x), x)
    return torch.where(x == 1, -torch.ones_like(x), torch.log(x) / (1 - safe))


# ---------------------------------------------------------------- the public functions

bessel_i0 = _op(
    _i0,
    lambda x, y: _i1(x),
    "bessel_i0",
    "Computes the modified Bessel function of the first kind of order 0, I0(x).",
    ">>> round(float(tf.math.special.bessel_i0(1.0)), 4)\n    1.2661",
)
bessel_i0e = _op(
    torch.special.i0e,
    lambda x, y: torch.special.i1e(x) - torch.sign(x) * y,
    "bessel_i0e",
    "Computes the exponentially scaled modified Bessel function I0(x) * exp(-|x|).",
    ">>> round(float(tf.math.special.bessel_i0e(1.0)), 4)\n    0.4658",
)
bessel_i1 = _op(
    _i1,
    lambda x, y: _i0(x) - torch.where(x == 0, torch.full_like(x, 0.5), y / x),
    "bessel_i1",
    "Computes the modified Bessel function of the first kind of order 1, I1(x).",
    ">>> round(float(tf.math.special.bessel_i1(1.0)), 4)\n    0.5652",
)
bessel_i1e = _op(
    torch.special.i1e,
    lambda x, y: (
        torch.special.i0e(x)
        - torch.sign(x) * y
        - torch.where(x == 0, torch.full_like(x, 0.5), y / x)
    ),
    "bessel_i1e",
    "Computes the exponentially scaled modified Bessel function I1(x) * exp(-|x|).",
    ">>> round(float(tf.math.special.bessel_i1e(1.0)), 4)\n    0.2079",
)
bessel_j0 = _op(
    _j0,
    lambda x, y: -_j1(x),
    "bessel_j0",
    "Computes the Bessel function of the first kind of order 0, J0(x).",
    ">>> round(float(tf.math.special.bessel_j0(1.0)), 4)\n    0.7652",
)
bessel_j1 = _op(
    _j1,
    lambda x, y: _j0(x) - torch.where(x == 0, torch.full_like(x, 0.5), y / x),
    "bessel_j1",
    "Computes the Bessel function of the first kind of order 1, J1(x).",
    ">>> round(float(tf.math.special.bessel_j1(1.0)), 4)\n    0.4401",
)
bessel_k0 = _op(
    _k0,
    lambda x, y: -_k1(x),
    "bessel_k0",
    "Computes the modified Bessel function of the second kind of order 0, K0(x).",
    ">>> round(float(tf.math.special.bessel_k0(1.0)), 4)\n    0.421",
)
bessel_k0e = _op(
    _k0e,
    lambda x, y: y - _k1e(x),
    "bessel_k0e",
    "Computes the exponentially scaled modified Bessel function K0(x) * exp(x).",
    ">>> round(float(tf.math.special.bessel_k0e(1.0)), 4)\n    1.1445",
)
bessel_k1 = _op(
    _k1,
    lambda x, y: -_k0(x) - y / x,
    "bessel_k1",
    "Computes the modified Bessel function of the second kind of order 1, K1(x).",
    ">>> round(float(tf.math.special.bessel_k1(1.0)), 4)\n    0.6019",
)
bessel_k1e = _op(
    _k1e,
    lambda x, y: torch.where(x == 0, torch.full_like(x, -math.inf), y - _k0e(x) - y / x),
    "bessel_k1e",
    "Computes the exponentially scaled modified Bessel function K1(x) * exp(x).",
    ">>> round(float(tf.math.special.bessel_k1e(1.0)), 4)\n    1.6362",
)
bessel_y0 = _op(
    _y0,
    lambda x, y: -_y1(x),
    "bessel_y0",
    "Computes the Bessel function of the second kind of order 0, Y0(x).",
    ">>> round(float(tf.math.special.bessel_y0(1.0)), 4)\n    0.0883",
)
bessel_y1 = _op(
    _y1,
    lambda x, y: _y0(x) - y / x,
    "bessel_y1",
    "Computes the Bessel function of the second kind of order 1, Y1(x).",
    ">>> round(float(tf.math.special.bessel_y1(1.0)), 4)\n    -0.7812",
)
dawsn = _op(
    _in64(_dawsn64),
    _dawsn_grad,
    "dawsn",
    "Computes Dawson's integral, exp(-x^2) * int_0^x exp(t^2) dt.",
    ">>> round(float(tf.math.special.dawsn(1.0)), 4)\n    0.5381",
)
expint = _op(
    _in64(_expint64),
    _expint_grad,
    "expint",
    "Computes the exponential integral Ei(x) (NaN for x < 0, as TensorFlow).",
    ">>> round(float(tf.math.special.expint(1.0)), 4)\n    1.8951",
)
fresnel_cos = _op(
    _in64(_fresnel_cos64),
    _fresnel_cos_grad,
    "fresnel_cos",
    "Computes the Fresnel cosine integral, int_0^x cos(pi t^2 / 2) dt.",
    ">>> round(float(tf.math.special.fresnel_cos(1.0)), 4)\n    0.7799",
)
fresnel_sin = _op(
    _in64(_fresnel_sin64),
    _fresnel_sin_grad,
    "fresnel_sin",
    "Computes the Fresnel sine integral, int_0^x sin(pi t^2 / 2) dt.",
    ">>> round(float(tf.math.special.fresnel_sin(1.0)), 4)\n    0.4383",
)
spence = _op(
    _in64(_spence64),
    _spence_grad,
    "spence",
    "Computes Spence's function, int_1^x ln(t) / (1 - t) dt (NaN for x < 0).",
    ">>> round(float(tf.math.special.spence(0.0)), 4)\n    1.6449",
)

# Called on functional-API symbolic tensors, these become graph nodes like other tf ops.
_symbolic.install(globals(), "tf.math.special")
