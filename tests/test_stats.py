"""Tests for sthc_desktop.core.stats against published worked examples.

Reference values:
- Wilson score interval: Newcombe RG (1998) "Two-sided confidence intervals for
  the single proportion", Stat Med 17:857-872, Table II method 3 (score
  interval without continuity correction), as used in the PHE/OHID
  "Technical Guide: Confidence Intervals".
- Exact Poisson limits: standard tables of 95% limits for a Poisson count.
Each is also checked against an independent calculation (scipy's binomtest
Wilson interval, scipy's chi-square quantiles, Byar's formula by hand).
"""

import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest, chi2

from sthc_desktop.core import stats
from sthc_desktop.core.stats import (
    HIGHER_IS_BETTER,
    HIGHER_IS_WORSE,
    NO_JUDGEMENT,
    POLARITIES,
    Z95,
    byar_interval,
    compare_with_benchmark,
    exact_poisson_interval,
    is_disclosive,
    rate_interval,
    suppress,
    wilson_interval,
)

PUBLISHED_TOL = 5e-5  # published values are given to 4 decimal places


def byar_by_hand(o, z=Z95):
    lower = o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3
    upper = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * math.sqrt(o + 1))) ** 3
    return lower, upper


# --------------------------------------------------------------------------
# constants
# --------------------------------------------------------------------------
def test_constants():
    assert Z95 == 1.959964
    assert HIGHER_IS_BETTER == "higher is better"
    assert HIGHER_IS_WORSE == "higher is worse"
    assert NO_JUDGEMENT == "no judgement"
    assert set(POLARITIES) == {HIGHER_IS_BETTER, HIGHER_IS_WORSE, NO_JUDGEMENT}
    assert len(POLARITIES) == 3


# --------------------------------------------------------------------------
# Wilson
# --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "x, n, published",
    [
        (81, 263, (0.2553, 0.3662)),
        (15, 148, (0.0624, 0.1605)),
        (0, 20, (0.0000, 0.1611)),
        (1, 29, (0.0061, 0.1718)),
    ],
)
def test_wilson_newcombe_published(x, n, published):
    lower, upper = wilson_interval(x, n)
    assert lower == pytest.approx(published[0], abs=PUBLISHED_TOL)
    assert upper == pytest.approx(published[1], abs=PUBLISHED_TOL)


@pytest.mark.parametrize("x, n", [(81, 263), (15, 148), (0, 10), (1, 29), (10, 10), (7, 9), (500, 12000)])
def test_wilson_matches_scipy_and_formula(x, n):
    lower, upper = wilson_interval(x, n)
    ci = binomtest(x, n).proportion_ci(confidence_level=0.95, method="wilson")
    # scipy uses z = 1.95996398..., the guide 1.959964: agree to ~1e-8
    assert lower == pytest.approx(ci.low, abs=1e-7)
    assert upper == pytest.approx(ci.high, abs=1e-7)
    z = Z95
    root = z * math.sqrt(z**2 + 4 * x * (1 - x / n))
    assert lower == pytest.approx(max(0.0, (2 * x + z**2 - root) / (2 * (n + z**2))), abs=1e-12)
    assert upper == pytest.approx(min(1.0, (2 * x + z**2 + root) / (2 * (n + z**2))), abs=1e-12)


def test_wilson_edges():
    lower, upper = wilson_interval(0, 10)
    assert lower == 0.0
    assert upper == pytest.approx(0.2775, abs=PUBLISHED_TOL)
    lower, upper = wilson_interval(10, 10)
    assert upper == 1.0
    assert lower == pytest.approx(1 - 0.2775, abs=PUBLISHED_TOL)


def test_wilson_returns_float_for_scalar():
    lower, upper = wilson_interval(81, 263)
    assert type(lower) is float and type(upper) is float


@pytest.mark.parametrize("x, n", [(5, 0), (np.nan, 10), (5, np.nan), (5, None), (11, 10), (-1, 10)])
def test_wilson_nan_for_missing_or_invalid(x, n):
    lower, upper = wilson_interval(x, n)
    assert math.isnan(lower) and math.isnan(upper)


def test_wilson_vectorised_array_and_series():
    x = pd.Series([81, 0, np.nan, 4])
    n = pd.Series([263, 10, 50, 0])
    lower, upper = wilson_interval(x, n)
    assert isinstance(lower, np.ndarray) and isinstance(upper, np.ndarray)
    assert lower.shape == (4,)
    assert lower[:2] == pytest.approx([0.2553, 0.0], abs=PUBLISHED_TOL)
    assert upper[:2] == pytest.approx([0.3662, 0.2775], abs=PUBLISHED_TOL)
    assert np.isnan(lower[2:]).all() and np.isnan(upper[2:]).all()
    # numpy array input, broadcast against a scalar denominator
    lower, upper = wilson_interval(np.array([81, 0]), 263)
    assert lower[0] == pytest.approx(0.2553, abs=PUBLISHED_TOL) and lower[1] == 0.0


def test_wilson_nullable_series():
    lower, _ = wilson_interval(pd.Series([81, pd.NA], dtype="Int64"), 263)
    assert lower[0] == pytest.approx(0.2553, abs=PUBLISHED_TOL)
    assert np.isnan(lower[1])


# --------------------------------------------------------------------------
# exact Poisson
# --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "o, published, tol",
    [
        (0, (0.0, 3.689), 5e-4),
        (1, (0.0253, 5.572), 5e-4),
        (5, (1.6235, 11.6683), 5e-5),
        (50, (37.11, 65.92), 5e-3),
    ],
)
def test_exact_poisson_published_tables(o, published, tol):
    lower, upper = exact_poisson_interval(o)
    assert lower == pytest.approx(published[0], abs=tol)
    assert upper == pytest.approx(published[1], abs=tol)


@pytest.mark.parametrize("o", [1, 2, 5, 9, 10, 37, 250])
@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_exact_poisson_matches_chi2(o, confidence):
    alpha = 1 - confidence
    lower, upper = exact_poisson_interval(o, confidence)
    assert lower == pytest.approx(chi2.ppf(alpha / 2, 2 * o) / 2, rel=1e-10)
    assert upper == pytest.approx(chi2.ppf(1 - alpha / 2, 2 * o + 2) / 2, rel=1e-10)


def test_exact_poisson_zero_and_nan():
    lower, upper = exact_poisson_interval(0)
    assert lower == 0.0
    assert upper == pytest.approx(chi2.ppf(0.975, 2) / 2, rel=1e-10)  # = -ln(0.025)
    assert upper == pytest.approx(-math.log(0.025), rel=1e-10)
    lower, upper = exact_poisson_interval(np.array([0, 1, np.nan, -3]))
    assert isinstance(lower, np.ndarray)
    assert lower[:2] == pytest.approx([0.0, 0.0253], abs=5e-5)
    assert upper[:2] == pytest.approx([3.689, 5.572], abs=5e-4)
    assert np.isnan(lower[2:]).all() and np.isnan(upper[2:]).all()


def test_exact_poisson_bad_confidence():
    with pytest.raises(ValueError):
        exact_poisson_interval(5, 95)


# --------------------------------------------------------------------------
# Byar
# --------------------------------------------------------------------------
def test_byar_fifty():
    lower, upper = byar_interval(50)
    hand = byar_by_hand(50)
    assert lower == pytest.approx(hand[0], rel=1e-12)
    assert upper == pytest.approx(hand[1], rel=1e-12)
    assert lower == pytest.approx(37.108, abs=5e-4)
    assert upper == pytest.approx(65.920, abs=5e-4)
    # close to the exact limits 37.11 - 65.92, but not identical (it is Byar)
    ex_lower, ex_upper = exact_poisson_interval(50)
    assert lower == pytest.approx(ex_lower, abs=0.01)
    assert upper == pytest.approx(ex_upper, abs=0.01)
    assert lower != ex_lower


@pytest.mark.parametrize("o", [0, 1, 5, 9])
def test_byar_uses_exact_below_ten(o):
    assert byar_interval(o) == pytest.approx(exact_poisson_interval(o), rel=1e-6)


def test_byar_switches_at_ten():
    lower, upper = byar_interval(10)
    assert (lower, upper) == pytest.approx(byar_by_hand(10), rel=1e-12)
    assert lower == pytest.approx(4.7874, abs=5e-5)  # exact would be 4.7954
    assert abs(lower - exact_poisson_interval(10)[0]) > 0.005


def test_byar_vectorised_and_nan():
    o = pd.Series([0, 5, 50, np.nan, 1045])
    lower, upper = byar_interval(o)
    assert isinstance(lower, np.ndarray) and lower.shape == (5,)
    assert lower[0] == 0.0 and upper[0] == pytest.approx(3.689, abs=5e-4)
    assert (lower[1], upper[1]) == pytest.approx((1.6235, 11.6683), abs=5e-4)
    assert (lower[2], upper[2]) == pytest.approx(byar_by_hand(50), rel=1e-12)
    assert np.isnan(lower[3]) and np.isnan(upper[3])
    assert (lower[4], upper[4]) == pytest.approx(byar_by_hand(1045), rel=1e-12)


def test_byar_other_z_uses_matching_exact_confidence():
    z998 = 3.090232  # 99.8%
    assert byar_interval(5, z=z998) == pytest.approx(exact_poisson_interval(5, 0.998), rel=1e-5)
    assert byar_interval(65, z=z998) == pytest.approx(byar_by_hand(65, z998), rel=1e-12)



def test_byar_loads_scipy_only_for_counts_below_ten():
    """Large counts need Byar's formula alone: scipy.special (0.2 s to import) loads for an exact limit."""
    code = ("import sys; from sthc_desktop.core import stats; "
            "lo, hi = stats.rate_interval([12, 480, 9000], [1000, 40000, 60000]); print('scipy.special' in sys.modules); "
            "stats.byar_interval([50, 3]); print('scipy.special' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]

# --------------------------------------------------------------------------
# rates and standardised ratios
# --------------------------------------------------------------------------
def test_rate_interval_per_100000():
    lower, upper = rate_interval(50, 250000)
    hand = byar_by_hand(50)
    assert lower == pytest.approx(hand[0] / 250000 * 100000, rel=1e-12)
    assert upper == pytest.approx(hand[1] / 250000 * 100000, rel=1e-12)
    assert (lower, upper) == pytest.approx((14.843, 26.368), abs=5e-4)
    assert type(lower) is float


def test_rate_interval_small_count_is_exact():
    lower, upper = rate_interval(5, 10000, multiplier=1000)
    assert (lower, upper) == pytest.approx((0.16235, 1.16683), abs=5e-5)


def test_standardised_ratio():
    # standardised admission ratio: O = 50, E = 40 -> 125, interval from Byar
    lower, upper = rate_interval(50, 40, multiplier=100)
    hand = byar_by_hand(50)
    assert lower == pytest.approx(hand[0] / 40 * 100, rel=1e-12)
    assert upper == pytest.approx(hand[1] / 40 * 100, rel=1e-12)
    assert lower < 125 < upper


def test_rate_interval_nan_and_zero_denominator_vectorised():
    lower, upper = rate_interval(np.array([50, 50, np.nan, 5]), pd.Series([0, np.nan, 1000, 1000]))
    assert isinstance(lower, np.ndarray)
    assert np.isnan(lower[:3]).all() and np.isnan(upper[:3]).all()
    assert lower[3] == pytest.approx(162.35, abs=0.05)
    assert math.isnan(rate_interval(10, 0)[0])


# --------------------------------------------------------------------------
# benchmark comparison
# --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "polarity, above, below",
    [
        (HIGHER_IS_BETTER, "better", "worse"),
        (HIGHER_IS_WORSE, "worse", "better"),
        (NO_JUDGEMENT, "higher", "lower"),
    ],
)
def test_compare_each_polarity(polarity, above, below):
    # area interval 10-20
    assert compare_with_benchmark(10, 20, 8, polarity) == above  # benchmark below the interval
    assert compare_with_benchmark(10, 20, 25, polarity) == below  # benchmark above the interval
    assert compare_with_benchmark(10, 20, 15, polarity) == "similar"
    assert compare_with_benchmark(10, 20, 10, polarity) == "similar"  # on the limit: not significant
    assert compare_with_benchmark(10, 20, 20, polarity) == "similar"
    assert compare_with_benchmark(np.nan, 20, 15, polarity) == "not compared"
    assert compare_with_benchmark(10, np.nan, 15, polarity) == "not compared"
    assert compare_with_benchmark(10, 20, np.nan, polarity) == "not compared"
    assert compare_with_benchmark(10, 20, None, polarity) == "not compared"
    assert type(compare_with_benchmark(10, 20, 8, polarity)) is str


def test_compare_vectorised():
    lower = pd.Series([10, 10, 10, np.nan, 30])
    upper = np.array([20, 20, 20, 40, 40])
    result = compare_with_benchmark(lower, upper, 25.0, HIGHER_IS_WORSE)
    assert isinstance(result, np.ndarray) and result.dtype == object
    assert result.tolist() == ["better", "better", "better", "not compared", "worse"]
    result = compare_with_benchmark([10, 10, 10], [20, 20, 20], [5, 15, np.nan], NO_JUDGEMENT)
    assert result.tolist() == ["higher", "similar", "not compared"]


def test_compare_with_wilson_interval():
    # 81/263 = 30.8% (0.2553 - 0.3662): England at 25% is below, at 40% above
    lower, upper = wilson_interval(81, 263)
    assert compare_with_benchmark(lower, upper, 0.25, HIGHER_IS_WORSE) == "worse"
    assert compare_with_benchmark(lower, upper, 0.40, HIGHER_IS_WORSE) == "better"
    assert compare_with_benchmark(lower, upper, 0.30, HIGHER_IS_WORSE) == "similar"


@pytest.mark.parametrize("bad", ["Higher is better", "lower is better", "", None])
def test_compare_unknown_polarity(bad):
    with pytest.raises(ValueError, match=re.escape(repr(bad))):
        compare_with_benchmark(10, 20, 15, bad)


# --------------------------------------------------------------------------
# disclosure control
# --------------------------------------------------------------------------
@pytest.mark.parametrize("count, expected", [(0, False), (1, True), (3, True), (4, True), (5, False), (100, False)])
def test_is_disclosive_scalar(count, expected):
    assert is_disclosive(count) is expected


def test_is_disclosive_vectorised():
    flags = is_disclosive(pd.Series([0, 1, 4, 5, np.nan]))
    assert isinstance(flags, np.ndarray)
    assert flags.tolist() == [False, True, True, False, False]
    assert is_disclosive(np.nan) is False


def test_suppress():
    assert suppress(12.5, 0) == 12.5
    assert suppress(3, 3) == "*"
    assert suppress(41.2, 3) == "*"  # a rate built on 3 events
    assert suppress(5, 5) == 5
    assert suppress(2, 2, mark="[c]") == "[c]"


def test_module_is_qt_free_and_documented():
    assert stats.__doc__ and stats.__doc__.strip()
    src = Path(stats.__file__).read_text(encoding="utf-8")
    assert "PySide6" not in src and "PyQt" not in src
