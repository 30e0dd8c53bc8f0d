"""Practice funnel plots: each practice's proportion or rate against its denominator, with control limits.

OHID's method for comparing practices (METHODS.md "Comparing practices: funnel plots"): around the
benchmark value p0 (England, or St Helens where England has none) the 95% and 99.8% control limits
for a practice of denominator n are the quantiles of the count it would show by chance alone —
binomial Bin(n, p0) for proportions, Poisson(n·p0) for rates — in their continuous (beta and gamma
function) form, so the limits are smooth curves:

* proportions: the upper limit's count r solves ``I_p0(r, n − r + 1) = α/2`` (the chance of r or
  more), the lower's ``I_p0(r + 1, n − r) = 1 − α/2`` (the chance of r or fewer is α/2), with I the
  regularised incomplete beta function;
* rates: the same with the regularised incomplete gamma function, ``P(r, E) = α/2`` and
  ``Q(r + 1, E) = α/2`` for E = n·p0 (exact Poisson limits).

α is 0.05 (95%, z = 1.96) or 0.002 (99.8%, z = 3.09). A practice above or below the 99.8% limits is
flagged. Suppressed practices (counts of 1 to 4, or hidden with one) are left out. Qt-free and matplotlib-free.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import comparison
from .aggregate import BOROUGH
from .view import MapView
from .vocabulary import ValueType

#: The practice indicators the pack draws as funnel plots (adult obesity, smoking).
FUNNEL_INDICATORS = ("qof_obesity", "qof_smoking")
#: Control limits: name -> two-sided alpha (95%: z = 1.96; 99.8%: z = 3.09).
LIMITS = {"95": 0.05, "998": 0.002}
ABOVE_998, ABOVE_95, WITHIN, BELOW_95, BELOW_998 = ("above 99.8% limit", "above 95% limit", "within limits",
                                                    "below 95% limit", "below 99.8% limit")
METHOD = ("Funnel plot (OHID method): 95% and 99.8% control limits around {benchmark}'s value ({p0}), exact "
          "{form} limits for each denominator; practices outside the 99.8% limits differ by more than "
          "chance alone would explain. Practices with counts of 1 to 4, or hidden with one, are not shown.")


# scipy.special is imported where a limit is first computed (0.2 s at start-up; the app shows a funnel plot
# only on request). The roots are found by bisection on arrays, every denominator and limit at once: a
# root search per limit (596 for the pack) cost more than the functions it evaluates, and scipy.optimize
# 0.2 s more to import.

#: Bisection stops when the bracket is this narrow (in counts, plus 4 ulps of the count).
XTOL = 1e-10


def _rising_root(f, lo, hi) -> np.ndarray:
    """Where the rising function ``f`` (vectorised) crosses 0 between ``lo`` and ``hi``, element by element,
    to :data:`XTOL`; ``lo`` where it is already 0 or above there."""
    lo, hi = np.broadcast_arrays(np.asarray(lo, dtype=float), np.asarray(hi, dtype=float))
    lo, hi = lo.copy(), hi.copy()
    done = f(lo) >= 0
    hi[done] = lo[done]
    while True:
        open_ = hi - lo > XTOL + 4 * np.finfo(float).eps * np.abs(hi)
        if not open_.any():
            return (lo + hi) / 2
        mid = (lo + hi) / 2
        below = f(mid) < 0
        lo = np.where(open_ & below, mid, lo)
        hi = np.where(open_ & ~below, mid, hi)


def proportion_limit_counts(n, p0: float, alpha):
    """The lower and upper control-limit counts for denominators ``n`` around proportion ``p0`` (arrays of
    ``n`` and ``alpha`` broadcast together; floats for scalars)."""
    from scipy.special import betainc

    n, tail = np.broadcast_arrays(np.asarray(n, dtype=float), np.asarray(alpha, dtype=float) / 2)
    # upper: the chance of r or more, I_p0(r, n - r + 1), falls with r; find where it is alpha/2.
    upper = _rising_root(lambda r: tail - betainc(r, n - r + 1, p0), 1e-9, n + 1 - 1e-9)
    # lower: the chance of r or fewer, 1 - I_p0(r + 1, n - r), rises with r.
    lower = _rising_root(lambda r: (1 - betainc(r + 1, n - r, p0)) - tail, 0.0, n - 1e-9)
    return _out(lower), _out(upper)


def poisson_limit_counts(expected, alpha):
    """The lower and upper control-limit counts around ``expected`` Poisson counts (arrays broadcast
    together; floats for scalars)."""
    from scipy.special import gammainc, gammaincc

    expected, tail = np.broadcast_arrays(np.asarray(expected, dtype=float), np.asarray(alpha, dtype=float) / 2)
    hi = expected + 20 * np.sqrt(expected) + 20
    upper = _rising_root(lambda r: tail - gammainc(r, expected), 1e-9, hi)
    lower = _rising_root(lambda r: gammaincc(r + 1, expected) - tail, 0.0, hi)
    return _out(lower), _out(upper)


def _out(counts: np.ndarray):
    return float(counts) if counts.ndim == 0 else counts


def control_limits(denominators, p0: float, multiplier: float, rate: bool) -> pd.DataFrame:
    """For each denominator: the value of each control limit (``lower_95``, ``upper_95``, ``lower_998``,
    ``upper_998``) in the indicator's units (``p0`` and the limits are per ``multiplier``)."""
    n = np.asarray(denominators, dtype=float)
    # one search for every denominator and limit: rows the limits, columns the denominators
    alphas = np.array(list(LIMITS.values()))[:, None]
    if rate:
        lo, hi = poisson_limit_counts(n * p0 / multiplier, alphas)
    else:
        lo, hi = proportion_limit_counts(n, p0 / multiplier, alphas)
    columns = {"denominator": n}
    for i, name in enumerate(LIMITS):
        columns[f"lower_{name}"], columns[f"upper_{name}"] = lo[i] / n * multiplier, hi[i] / n * multiplier
    return pd.DataFrame(columns)


@dataclass
class Funnel:
    """One funnel plot: the practices, the limit curves, the benchmark and how it was made."""

    indicator_id: str
    title: str
    unit: str
    period: str
    benchmark: str
    benchmark_value: float
    practices: pd.DataFrame   # map_key, code, name, locality, value, numerator, denominator, limits, position
    curve: pd.DataFrame       # denominator and the four limits, for drawing
    method: str


def position(value: float, limits: pd.Series) -> str:
    if value > limits["upper_998"]:
        return ABOVE_998
    if value < limits["lower_998"]:
        return BELOW_998
    if value > limits["upper_95"]:
        return ABOVE_95
    if value < limits["lower_95"]:
        return BELOW_95
    return WITHIN


def funnel(planner, indicator_id: str, *, benchmark: str = "england", period: str | None = None,
           points: int = 120) -> Funnel:
    """The funnel plot of one practice indicator around England's (or St Helens') value."""
    layer = planner.layer_for(MapView(indicator_id=indicator_id, period=period))
    meta = layer.meta
    if layer.is_area or meta.value_type not in (ValueType.PROPORTION, ValueType.RATE):
        raise ValueError(f"{indicator_id} is not a practice proportion or rate")
    areas = comparison.area_values(planner, indicator_id, layer.period).set_index("area")["value"]
    wanted = comparison.BENCHMARKS[benchmark]
    bench = wanted if wanted in areas.index and pd.notna(areas.get(wanted)) else BOROUGH
    p0 = float(areas[bench])
    multiplier = meta.multiplier
    rate = meta.value_type == ValueType.RATE
    frame = pd.DataFrame(layer.frame.drop(columns="geometry"))
    shown = frame[~frame["suppressed"] & frame["value"].notna() & (frame["denominator"] > 0)].copy()
    limits = control_limits(shown["denominator"], p0, multiplier, rate)
    shown = shown.reset_index(drop=True).join(limits.drop(columns="denominator"))
    shown["position"] = [position(v, r) for v, r in zip(shown["value"], shown.to_dict("records"))]
    keep = ["map_key", "code", "name", "locality", "value", "numerator", "denominator", "lower_95", "upper_95",
            "lower_998", "upper_998", "position"]
    low, high = shown["denominator"].min(), shown["denominator"].max()
    curve = control_limits(np.geomspace(max(low * 0.8, 10), high * 1.1, points), p0, multiplier, rate)
    form = "Poisson (rate)" if rate else "binomial (proportion)"
    return Funnel(indicator_id, meta.name, meta.unit, layer.period, bench, p0,
                  shown[[c for c in keep if c in shown]], curve,
                  METHOD.format(benchmark=bench, p0=f"{p0:.2f}", form=form))


def pack_funnels(planner, indicators=FUNNEL_INDICATORS) -> list[Funnel]:
    """The funnel plots of the pack's practice indicators that the pack holds (made once per planner)."""
    known = set(planner.pack.catalogue["id"])
    return planner.memo(("funnels", tuple(indicators)),
                        lambda: [funnel(planner, i) for i in indicators if i in known])

