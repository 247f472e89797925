"""Exact derivation of the theory-of-figures (ToF) coefficient polynomials, any order.

The ToF equations (Zharkov & Trubitsyn 1978; summarised in Nettelmann 2017, A&A 606, A139, App. B,
and Nettelmann et al. 2021, PSJ 2:241, App. A for order 7) are polynomials in the figure functions
s_2, ..., s_2o. Instead of transcribing the printed tables we regenerate them here with exact
rational arithmetic from their defining integrals, keeping every term up to total order m^o, where
s_2n ~ m^n (the ToF ordering). The published coefficients are checked in the tests
(e.g. f_2 = 3/5 s2 + 12/35 s2^2 + ..., s_0 = -1/5 s2^2 - 2/105 s2^3 - ..., Nettelmann 2017 B.16).

Level surface (Nettelmann 2017 B.2):  r_l(mu) = l (1 + sigma),  sigma = s_0 + sum_n s_2n P_2n(mu).

* Volume conservation (WMH26 eq. 1):       <(1 + sigma)^3> = 1   ->  s_0(s_2, ..., s_2o)
* Figure functions (B.16-B.17, by their definition behind B.9):
      f_2n  = 3/(2n+3) <P_2n (1+sigma)^(2n+3)>
      f'_2n = 3/(2-2n) <P_2n (1+sigma)^(2-2n)>   (n != 1),
      f'_2  = 3 <P_2 ln(1+sigma)>   (the n -> 1 limit; checked by the n = 1 polytrope's k2)
* Potential on a level surface (B.4, B.12-B.15), U = -(4 pi/3) G rho_bar l^2 sum_k A_2k P_2k:
      sum_k A_2k P_2k = sum_n P_2n [S_2n (1+sigma)^-(2n+1) + S'_2n (1+sigma)^(2n)]
                        + m/3 (1+sigma)^2 (1 - P_2)
  so A_2k = (4k+1) <P_2k ...>, with the S_2n and S'_2n terms truncated at order m^(o-n) and the
  m term at m^(o-1).

Here <g> = (1/2) int_{-1}^{1} g(mu) dmu. Polynomials are dicts {exponents: mu-polynomial}, where
`exponents[j-1]` is the power of s_2j and the mu-polynomial is a tuple of Fractions.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from itertools import product

import numpy as np

SUPPORTED_ORDERS = (4, 7, 10)


def _legendre(n: int) -> tuple[Fraction, ...]:
    """Coefficients (ascending powers of mu) of the Legendre polynomial P_n (Bonnet recursion)."""
    p_prev, p_cur = [Fraction(1)], [Fraction(0), Fraction(1)]
    if n == 0:
        return tuple(p_prev)
    for k in range(1, n):
        nxt = [Fraction(0)] * (k + 2)
        for i, c in enumerate(p_cur):
            nxt[i + 1] += Fraction(2 * k + 1, k + 1) * c
        for i, c in enumerate(p_prev):
            nxt[i] -= Fraction(k, k + 1) * c
        p_prev, p_cur = p_cur, nxt
    return tuple(p_cur)


def _mu_mul(a, b):
    out = [Fraction(0)] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        if x:
            for j, y in enumerate(b):
                out[i + j] += x * y
    return tuple(out)


def _mu_add(a, b):
    n = max(len(a), len(b))
    return tuple(
        (a[i] if i < len(a) else Fraction(0)) + (b[i] if i < len(b) else Fraction(0))
        for i in range(n)
    )


def _mu_mean(a) -> Fraction:
    """<a> = (1/2) int_{-1}^{1} a(mu) dmu for a polynomial in mu."""
    return sum((c / (i + 1) for i, c in enumerate(a) if i % 2 == 0), Fraction(0))


class _Poly:
    """Polynomial in s_2..s_2o with mu-polynomial coefficients, truncated at a total weight."""

    def __init__(self, order: int, terms=None):
        self.order = order
        self.terms = dict(terms or {})

    def weight(self, exps) -> int:
        return sum((j + 1) * e for j, e in enumerate(exps))

    def add(self, other, scale=Fraction(1)):
        terms = dict(self.terms)
        for k, v in other.terms.items():
            terms[k] = _mu_add(terms.get(k, (Fraction(0),)), tuple(scale * c for c in v))
        return _Poly(self.order, terms)

    def mul(self, other, max_weight: int):
        terms: dict = {}
        for (ka, va), (kb, vb) in product(self.terms.items(), other.terms.items()):
            key = tuple(x + y for x, y in zip(ka, kb, strict=True))
            if self.weight(key) > max_weight:
                continue
            terms[key] = _mu_add(terms.get(key, (Fraction(0),)), _mu_mul(va, vb))
        return _Poly(self.order, terms)

    def mul_mu(self, mu_poly):
        return _Poly(self.order, {k: _mu_mul(v, mu_poly) for k, v in self.terms.items()})

    def truncate(self, max_weight: int):
        return _Poly(
            self.order, {k: v for k, v in self.terms.items() if self.weight(k) <= max_weight}
        )

    def mean(self) -> dict:
        """<.> over mu: a plain polynomial {exponents: Fraction}, zero terms dropped."""
        out = {k: _mu_mean(v) for k, v in self.terms.items()}
        return {k: v for k, v in out.items() if v != 0}


def _constant(order, value) -> _Poly:
    return _Poly(order, {(0,) * order: (Fraction(value),)})


def _binomial(p: Fraction, j: int) -> Fraction:
    out = Fraction(1)
    for i in range(j):
        out *= (p - i) / (i + 1)
    return out


@dataclass(frozen=True)
class _Derivation:
    order: int
    monomials: tuple[tuple[int, ...], ...]
    s0: dict
    f: tuple[dict, ...]
    fp: tuple[dict, ...]
    a_s: tuple[tuple[dict, ...], ...]  # a_s[k][n]: coefficient polynomial of S_2n in A_2k
    a_sp: tuple[tuple[dict, ...], ...]  # a_sp[k][n]: coefficient polynomial of S'_2n in A_2k
    a_m: tuple[dict, ...]  # a_m[k]: coefficient polynomial of m in A_2k


def _monomials(order: int) -> tuple[tuple[int, ...], ...]:
    """All exponent tuples of s_2..s_2o with total weight sum j e_j <= order, by weight."""
    out = []

    def rec(j, remaining, current):
        if j > order:
            out.append(tuple(current))
            return
        for e in range(remaining // j + 1):
            rec(j + 1, remaining - e * j, [*current, e])

    rec(1, order, [])
    return tuple(sorted(out, key=lambda e: (sum((j + 1) * x for j, x in enumerate(e)), e[::-1])))


@cache
def derive(order: int) -> _Derivation:
    """Derive every ToF polynomial of the given order (exact rationals). Cached."""
    o = order
    zero = (0,) * o
    sigma_prime = _Poly(o)
    for j in range(1, o + 1):
        key = tuple(1 if i == j - 1 else 0 for i in range(o))
        sigma_prime.terms[key] = _legendre(2 * j)
    # s_0 from <(1+s0+sigma')^3> = 1 (WMH26 eq. 1), solved order by order:
    # s0 = -(1/3) [3 s0^2 + s0^3 + 3 (1+s0) <sigma'^2> + <sigma'^3>].
    sp2 = sigma_prime.mul(sigma_prime, o)
    sp3 = sp2.mul(sigma_prime, o)
    m2 = _Poly(o, {k: (v,) for k, v in sp2.mean().items()})
    m3 = _Poly(o, {k: (v,) for k, v in sp3.mean().items()})
    s0 = _Poly(o)
    for _ in range(o):
        s0sq = s0.mul(s0, o)
        rhs = s0sq.add(s0sq, Fraction(2)).add(s0sq.mul(s0, o))
        rhs = rhs.add(m2, Fraction(3)).add(m2.mul(s0, o), Fraction(3)).add(m3)
        s0 = _Poly(o).add(rhs, Fraction(-1, 3))
    sigma = sigma_prime.add(s0)
    powers = [_constant(o, 1)]
    for _ in range(o):
        powers.append(powers[-1].mul(sigma, o))

    def power_series(p: Fraction, max_weight: int) -> _Poly:
        acc = _Poly(o)
        for j in range(max_weight + 1):
            acc = acc.add(powers[j].truncate(max_weight), _binomial(p, j))
        return acc

    def log_series(max_weight: int) -> _Poly:
        acc = _Poly(o)
        for j in range(1, max_weight + 1):
            acc = acc.add(powers[j].truncate(max_weight), Fraction((-1) ** (j + 1), j))
        return acc

    leg = [_legendre(2 * n) for n in range(o + 1)]
    f, fp = [], []
    for n in range(o + 1):
        f.append(power_series(Fraction(2 * n + 3), o).mul_mu(leg[n]).mean())
        f[-1] = {k: Fraction(3, 2 * n + 3) * v for k, v in f[-1].items()}
        if n == 1:
            g = log_series(o).mul_mu(leg[1]).mean()
            fp.append({k: Fraction(3) * v for k, v in g.items()})
        else:
            g = power_series(Fraction(2 - 2 * n), o).mul_mu(leg[n]).mean()
            fp.append({k: Fraction(3, 2 - 2 * n) * v for k, v in g.items()})
    one_minus_p2 = _mu_add((Fraction(1),), tuple(-c for c in leg[1]))
    a_s, a_sp, a_m = [], [], []
    for k in range(o + 1):
        row_s, row_sp = [], []
        for n in range(o + 1):
            basis = _mu_mul(leg[k], leg[n])
            ps = power_series(Fraction(-(2 * n + 1)), o - n).mul_mu(basis).mean()
            psp = power_series(Fraction(2 * n), o - n).mul_mu(basis).mean()
            row_s.append({key: (4 * k + 1) * v for key, v in ps.items()})
            row_sp.append({key: (4 * k + 1) * v for key, v in psp.items()})
        a_s.append(tuple(row_s))
        a_sp.append(tuple(row_sp))
        pm = power_series(Fraction(2), o - 1).mul_mu(_mu_mul(leg[k], one_minus_p2)).mean()
        a_m.append({key: Fraction(4 * k + 1, 3) * v for key, v in pm.items()})
    del zero
    return _Derivation(
        o, _monomials(o), s0.mean(), tuple(f), tuple(fp), tuple(a_s), tuple(a_sp), tuple(a_m)
    )


@dataclass(frozen=True)
class ToFCoefficients:
    """Float64 coefficient matrices over the monomial basis, for evaluation in JAX.

    monomials: exponent tuples, shape (n_mono, order); index 0 is the constant monomial.
    s0: (n_mono,); f, fp: (order+1, n_mono); a_s, a_sp: (order+1 [k], order+1 [n], n_mono);
    a_m: (order+1, n_mono). Row k of A gives A_2k; A_0 is the potential coefficient.
    """

    order: int
    monomials: tuple[tuple[int, ...], ...]
    s0: np.ndarray
    f: np.ndarray
    fp: np.ndarray
    a_s: np.ndarray
    a_sp: np.ndarray
    a_m: np.ndarray


def _vector(poly: dict, index: dict) -> np.ndarray:
    out = np.zeros(len(index))
    for key, value in poly.items():
        out[index[key]] = float(value)
    return out


@cache
def coefficients(order: int) -> ToFCoefficients:
    """Coefficient matrices of ToF order `order` (4, 7 or 10). Cached."""
    if order not in SUPPORTED_ORDERS:
        raise ValueError(f"order = {order} is not supported; valid orders: {SUPPORTED_ORDERS}")
    d = derive(order)
    index = {m: i for i, m in enumerate(d.monomials)}
    n = order + 1
    return ToFCoefficients(
        order=order,
        monomials=d.monomials,
        s0=_vector(d.s0, index),
        f=np.stack([_vector(p, index) for p in d.f]),
        fp=np.stack([_vector(p, index) for p in d.fp]),
        a_s=np.stack([np.stack([_vector(d.a_s[k][j], index) for j in range(n)]) for k in range(n)]),
        a_sp=np.stack(
            [np.stack([_vector(d.a_sp[k][j], index) for j in range(n)]) for k in range(n)]
        ),
        a_m=np.stack([_vector(p, index) for p in d.a_m]),
    )
