"""Confidence intervals, benchmark comparisons and disclosure control.

This module owns the small-number statistics that public-health analysts in
England use, as set out in OHID Fingertips / PHE "Technical Guide: Confidence
Intervals" and the project's METHODS.md: the Wilson score interval for
proportions, exact Poisson and Byar's intervals for counts, rate and
standardised-ratio intervals built from them, the better / similar / worse
comparison of an area's interval with a benchmark under an indicator's
polarity, and NHS England's disclosure control for counts of 1 to 4. Every
function accepts scalars, numpy arrays or pandas Series (returning floats for
scalar input and numpy arrays otherwise) and yields NaN, not an error, where
an input is missing, the denominator is 0 or the value is impossible.
It is Qt-free and depends only on numpy and scipy.
"""

from __future__ import annotations

import numpy as np

from .vocabulary import Polarity

__all__ = [
    "Z95",
    "wilson_interval",
    "exact_poisson_interval",
    "byar_interval",
    "rate_interval",
    "HIGHER_IS_BETTER",
    "HIGHER_IS_WORSE",
    "NO_JUDGEMENT",
    "POLARITIES",
    "HIGHER",
    "LOWER",
    "SIMILAR",
    "BETTER",
    "WORSE",
    "NOT_COMPARED",
    "compare_with_benchmark",
    "is_disclosive",
    "suppress",
]

#: Two-sided 95% standard normal quantile, as quoted in the PHE guide.
Z95 = 1.959964

#: Below this count, byar_interval uses the exact Poisson limits.
BYAR_MIN_COUNT = 10

# Indicator polarities, by the names the comparisons here use.
HIGHER_IS_BETTER, HIGHER_IS_WORSE, NO_JUDGEMENT = Polarity
POLARITIES = tuple(Polarity)

# Outcomes of compare_with_benchmark.
HIGHER = "higher"
LOWER = "lower"
SIMILAR = "similar"
BETTER = "better"
WORSE = "worse"
NOT_COMPARED = "not compared"


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------
def _as_float(x) -> np.ndarray:
    """Return `x` as a float ndarray; missing values (None, pd.NA) become NaN."""
    if hasattr(x, "to_numpy"):  # pandas Series / Index, incl. nullable dtypes
        try:
            return np.asarray(x.to_numpy(dtype=float, na_value=np.nan), dtype=float)
        except TypeError:
            return np.asarray(x.to_numpy(dtype=float), dtype=float)
    if x is None:
        return np.asarray(np.nan)
    try:
        return np.asarray(x, dtype=float)
    except TypeError:  # e.g. a list or object array holding None / pd.NA
        flat = [np.nan if _is_missing(v) else float(v) for v in np.ravel(np.asarray(x, dtype=object))]
        return np.asarray(flat, dtype=float).reshape(np.shape(x))


def _is_missing(v) -> bool:
    if v is None:
        return True
    try:
        return bool(v != v)  # NaN, and pd.NA raises TypeError
    except TypeError:
        return True


def _is_scalar(*args) -> bool:
    return all(np.ndim(a) == 0 and not hasattr(a, "to_numpy") for a in args)


def _out(arr: np.ndarray, scalar: bool):
    return float(arr) if scalar else np.asarray(arr, dtype=float)


def _check_z(z: float) -> float:
    z = float(z)
    if not np.isfinite(z) or z <= 0:
        raise ValueError(f"z must be a positive finite number, got {z!r}")
    return z


# --------------------------------------------------------------------------
# confidence intervals
# --------------------------------------------------------------------------
def wilson_interval(numerator, denominator, z: float = Z95):
    """Wilson score interval for a proportion.

    ``(2x + z² ± z·sqrt(z² + 4x(1 − x/n))) / (2(n + z²))``

    Parameters
    ----------
    numerator, denominator : float or array-like
        Count with the characteristic ``x`` and the population ``n``.
    z : float, default Z95
        Standard normal quantile (1.959964 for 95%).

    Returns
    -------
    lower, upper : float or ndarray
        Limits as proportions (0–1). NaN where either input is missing,
        ``n <= 0``, ``x < 0`` or ``x > n``.
    """
    z = _check_z(z)
    scalar = _is_scalar(numerator, denominator)
    x, n = np.broadcast_arrays(_as_float(numerator), _as_float(denominator))
    valid = np.isfinite(x) & np.isfinite(n) & (n > 0) & (x >= 0) & (x <= n)
    z2 = z * z
    with np.errstate(all="ignore"):
        centre = 2.0 * x + z2
        spread = z * np.sqrt(z2 + 4.0 * x * (1.0 - x / n))
        denom = 2.0 * (n + z2)
        lower = np.clip((centre - spread) / denom, 0.0, 1.0)
        upper = np.clip((centre + spread) / denom, 0.0, 1.0)
    lower = np.where(valid, lower, np.nan)
    upper = np.where(valid, upper, np.nan)
    return _out(lower, scalar), _out(upper, scalar)


def exact_poisson_interval(observed, confidence: float = 0.95):
    """Exact Poisson interval for a count, from chi-square quantiles.

    Lower ``χ²(α/2; 2O)/2`` (0 when O = 0), upper ``χ²(1−α/2; 2O+2)/2``.

    Parameters
    ----------
    observed : float or array-like
        Observed count ``O``.
    confidence : float, default 0.95
        Two-sided confidence level, strictly between 0 and 1.

    Returns
    -------
    lower, upper : float or ndarray
        Limits for the count. NaN where ``O`` is missing or negative.
    """
    confidence = float(confidence)
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}")
    # scipy.special, not scipy.stats (a second more); imported on first use, as it costs 0.3 s at start-up.
    from scipy.special import gammaincinv

    alpha = 1.0 - confidence
    scalar = _is_scalar(observed)
    o = _as_float(observed)
    valid = np.isfinite(o) & (o >= 0)
    with np.errstate(all="ignore"):
        safe = np.where(valid, o, 0.0)
        lower = np.where(safe > 0, gammaincinv(np.maximum(safe, 1e-300), alpha / 2.0), 0.0)
        upper = gammaincinv(safe + 1.0, 1.0 - alpha / 2.0)  # chi2.ppf(p, 2k)/2 == gammaincinv(k, p)
    lower = np.where(valid, lower, np.nan)
    upper = np.where(valid, upper, np.nan)
    return _out(lower, scalar), _out(upper, scalar)


def byar_interval(observed, z: float = Z95):
    """Byar's approximation to the Poisson interval for a count.

    Lower ``O·(1 − 1/(9O) − z/(3·sqrt(O)))³``, upper
    ``(O+1)·(1 − 1/(9(O+1)) + z/(3·sqrt(O+1)))³``; for ``O < 10`` the exact
    Poisson limits at the matching confidence level are used instead.

    Parameters
    ----------
    observed : float or array-like
        Observed count ``O``.
    z : float, default Z95
        Standard normal quantile.

    Returns
    -------
    lower, upper : float or ndarray
        Limits for the count. NaN where ``O`` is missing or negative.
    """
    z = _check_z(z)
    scalar = _is_scalar(observed)
    o = _as_float(observed)
    valid = np.isfinite(o) & (o >= 0)
    big = valid & (o >= BYAR_MIN_COUNT)
    with np.errstate(all="ignore"):
        ob = np.where(big, o, float(BYAR_MIN_COUNT))
        b_lower = ob * (1.0 - 1.0 / (9.0 * ob) - z / (3.0 * np.sqrt(ob))) ** 3
        o1 = ob + 1.0
        b_upper = o1 * (1.0 - 1.0 / (9.0 * o1) + z / (3.0 * np.sqrt(o1))) ** 3
    small = valid & ~big
    if small.any():
        # scipy.special only for counts below 10 (0.2 s to import; a table of large counts needs none of it)
        from scipy.special import ndtr

        confidence = 1.0 - 2.0 * ndtr(-z)
        e_lower, e_upper = exact_poisson_interval(np.where(small, o, 0.0), confidence)
    else:
        e_lower = e_upper = np.full(o.shape, np.nan)
    lower = np.where(big, b_lower, np.where(valid, e_lower, np.nan))
    upper = np.where(big, b_upper, np.where(valid, e_upper, np.nan))
    return _out(lower, scalar), _out(upper, scalar)


def rate_interval(observed, denominator, multiplier: float = 100000, z: float = Z95):
    """Interval for a rate or standardised ratio built on a count.

    The count's interval (``byar_interval``, exact below 10) divided by the
    denominator and multiplied by ``multiplier``. For a standardised ratio
    (e.g. O/E × 100) pass the expected count as ``denominator`` and
    ``multiplier=100``.

    Parameters
    ----------
    observed : float or array-like
        Observed count.
    denominator : float or array-like
        Population (or expected count).
    multiplier : float, default 100000
        Scale of the rate (per 100,000 by default).
    z : float, default Z95
        Standard normal quantile.

    Returns
    -------
    lower, upper : float or ndarray
        Limits on the rate's scale. NaN where an input is missing or the
        denominator is not positive.
    """
    scalar = _is_scalar(observed, denominator)
    o, d = np.broadcast_arrays(_as_float(observed), _as_float(denominator))
    lo, hi = byar_interval(o, z=z)
    valid = np.isfinite(d) & (d > 0)
    with np.errstate(all="ignore"):
        factor = np.where(valid, float(multiplier) / np.where(valid, d, 1.0), np.nan)
    return _out(lo * factor, scalar), _out(hi * factor, scalar)


# --------------------------------------------------------------------------
# benchmark comparison
# --------------------------------------------------------------------------
def compare_with_benchmark(lower, upper, benchmark, polarity: Polarity):
    """Compare an area's confidence interval with a benchmark value.

    The area is significantly higher when the benchmark lies below ``lower``,
    significantly lower when it lies above ``upper``, otherwise similar.
    Under ``HIGHER_IS_BETTER`` / ``HIGHER_IS_WORSE`` higher and lower become
    "better" / "worse"; under ``NO_JUDGEMENT`` they stay "higher" / "lower".

    Parameters
    ----------
    lower, upper : float or array-like
        The area's confidence limits.
    benchmark : float or array-like
        The comparator's value (e.g. England, the borough).
    polarity : str
        One of ``POLARITIES``.

    Returns
    -------
    str or ndarray of object
        "better", "similar", "worse", "higher", "lower", or "not compared"
        where any input is NaN.

    Raises
    ------
    ValueError
        If ``polarity`` is not one of ``POLARITIES``.
    """
    if not isinstance(polarity, str) or polarity not in POLARITIES:
        raise ValueError(
            f"unknown polarity {polarity!r}; expected one of {', '.join(repr(p) for p in POLARITIES)}"
        )
    if polarity == HIGHER_IS_BETTER:
        high_label, low_label = BETTER, WORSE
    elif polarity == HIGHER_IS_WORSE:
        high_label, low_label = WORSE, BETTER
    else:
        high_label, low_label = HIGHER, LOWER

    scalar = _is_scalar(lower, upper, benchmark)
    lo, up, bm = np.broadcast_arrays(_as_float(lower), _as_float(upper), _as_float(benchmark))
    missing = np.isnan(lo) | np.isnan(up) | np.isnan(bm)
    result = np.full(lo.shape, SIMILAR, dtype=object)
    with np.errstate(invalid="ignore"):
        result[bm < lo] = high_label
        result[bm > up] = low_label
    result[missing] = NOT_COMPARED
    return str(result[()]) if scalar else result


# --------------------------------------------------------------------------
# disclosure control
# --------------------------------------------------------------------------
def is_disclosive(count):
    """Whether a count must be suppressed under NHS England disclosure control.

    Counts from 1 to 4 (and rates built on them) are suppressed in published
    outputs. Non-integer counts (e.g. apportioned values) strictly between 0
    and 5 are treated as disclosive too; 0, counts of 5 or more and missing
    counts are not.

    Parameters
    ----------
    count : float or array-like

    Returns
    -------
    bool or ndarray of bool
    """
    scalar = _is_scalar(count)
    c = _as_float(count)
    with np.errstate(invalid="ignore"):
        flag = np.isfinite(c) & (c > 0) & (c < 5)
    return bool(flag) if scalar else flag


def suppress(value, count, mark: str = "*"):
    """Return ``mark`` in place of ``value`` when ``count`` is disclosive.

    Parameters
    ----------
    value : object
        The figure to publish (a count, or a rate built on ``count``).
    count : float
        The count the figure rests on (scalar).
    mark : str, default "*"
        What to publish instead.

    Returns
    -------
    object
        ``mark`` if ``is_disclosive(count)``, else ``value`` unchanged.
    """
    return mark if is_disclosive(count) else value
