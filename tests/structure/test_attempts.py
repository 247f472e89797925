"""The retry plan of `solve_batch`: growing budgets, the nested adiabat update as last resort."""

from planetinfer.structure.presets import build_model
from planetinfer.structure.solve import _attempts


def test_budgets_grow_and_end_with_the_full_one():
    config = build_model("baumeister2020", envelope="teq")
    attempts = _attempts(config)
    budgets = [a.max_iterations for a in attempts]
    assert budgets == sorted(budgets) and budgets[0] < config.max_iterations
    assert attempts[-2] == config  # the full budget, interleaved
    assert attempts[-1].nested_adiabat and not any(a.nested_adiabat for a in attempts[:-1])


def test_isothermal_models_skip_the_nested_attempt():
    attempts = _attempts(build_model("seager2007"))
    assert attempts[-1] == build_model("seager2007")
    assert not any(a.nested_adiabat for a in attempts)


def test_small_budgets_are_not_repeated():
    config = build_model("baumeister2020", max_iterations=8)
    attempts = _attempts(config)
    assert all(a != b for a, b in zip(attempts, attempts[1:], strict=False))
    # 10 coarse / 8 fine, then 24 / 8 (equal to the full budget, so only once), then nested
    assert len(attempts) == 3 and attempts[1] == config and attempts[2].nested_adiabat
