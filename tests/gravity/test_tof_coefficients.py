"""The derived ToF polynomials against the coefficients printed in Nettelmann (2017, App. B)."""

from fractions import Fraction as F

from planetinfer.gravity.tof_coefficients import coefficients, derive


def _s(*exps):
    """Exponent key of s2^e1 s4^e2 ... for order 4."""
    return tuple(list(exps) + [0] * (4 - len(exps)))


def test_s0_matches_nettelmann2017():
    # Nettelmann 2017 (B.2 with volume conservation): s0 = -1/5 s2^2 - 2/105 s2^3 - 1/9 s4^2
    # - 2/35 s2^2 s4 (exact rationals).
    assert derive(4).s0 == {
        _s(2): F(-1, 5),
        _s(3): F(-2, 105),
        _s(0, 2): F(-1, 9),
        _s(2, 1): F(-2, 35),
    }


def test_f2_matches_nettelmann2017_b16():
    expected = {
        _s(1): F(3, 5),
        _s(2): F(12, 35),
        _s(3): F(6, 175),
        _s(1, 1): F(24, 35),
        _s(0, 2): F(40, 231),
        _s(2, 1): F(216, 385),
        _s(4): F(-184, 1925),
    }
    assert derive(4).f[1] == expected


def test_f0_is_one_and_f0prime_matches_b17():
    d = derive(4)
    assert d.f[0] == {_s(): F(1)}  # volume conservation
    assert d.fp[0] == {
        _s(): F(3, 2),
        _s(2): F(-3, 10),
        _s(3): F(-2, 35),
        _s(0, 2): F(-1, 6),
        _s(2, 1): F(-6, 35),
        _s(4): F(3, 50),
    }


def test_a2_s0_coefficients_match_b12():
    # A_2 = S_0 (-s2 + 2/7 s2^2 + 4/7 s2 s4 - 29/35 s2^3 + 100/693 s4^2 + 454/1155 s2^4
    #            - 36/77 s2^2 s4) + ...   (Nettelmann 2017 B.12)
    assert derive(4).a_s[1][0] == {
        _s(1): F(-1),
        _s(2): F(2, 7),
        _s(1, 1): F(4, 7),
        _s(3): F(-29, 35),
        _s(0, 2): F(100, 693),
        _s(4): F(454, 1155),
        _s(2, 1): F(-36, 77),
    }


def test_leading_terms_of_every_order_are_consistent():
    # Property: to first order f_2n = 3/(4n+1) s_2n, since <P_2n^2> = 1/(4n+1)
    for order in (4, 7):
        d = derive(order)
        for n in range(1, order + 1):
            key = tuple(1 if j == n - 1 else 0 for j in range(order))
            assert d.f[n][key] == F(3, 4 * n + 1)
            assert d.a_s[n][0][key] == F(-1)  # A_2n = -S_0 s_2n + ... (the update's pivot)
    assert coefficients(7).f.shape == (8, 45)
