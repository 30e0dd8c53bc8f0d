"""Class breaks for choropleths and graduated symbols, as mapclassify draws them.

National deciles are fixed for IMD and domain deciles and ranks, so maps of different
areas and editions compare; other indicators use quantiles, natural breaks
(Fisher-Jenks) or equal intervals with a chosen number of classes. Quantiles and equal intervals
are mapclassify's own arithmetic, step for step, written out here: importing mapclassify costs
about 1.5 s (scipy.stats, scikit-learn), which only natural breaks still pay.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .vocabulary import Geography, Indicator, Scheme, ValueType

#: LSOAs in England in each IoD edition: national decile d holds ranks (d-1)*N/10+1 .. d*N/10.
NATIONAL_LSOAS = {Geography.LSOA11: 32844, Geography.LSOA21: 33755}


@dataclass(frozen=True)
class Classes:
    """The classes of one map: labels and each area's class (-1 = no data, -2 = suppressed)."""

    scheme: Scheme
    labels: tuple[str, ...]
    class_of: np.ndarray
    counts: tuple[int, ...]
    missing: int
    suppressed: int = 0

    #: The locality whose areas ``counts``, ``missing`` and ``suppressed`` count (None: every area).
    counted_in: str | None = None

    @property
    def k(self) -> int:
        return len(self.labels)

    def counted_within(self, inside, locality: str) -> Classes:
        """The same classes (breaks, colours) with their counts over the areas flagged ``inside`` only:
        a locality's map keeps the borough's classes but its legend counts that locality's areas."""
        inside = np.asarray(inside, dtype=bool)
        of = self.class_of[inside]
        return replace(self, counts=tuple(int((of == i).sum()) for i in range(self.k)),
                       missing=int((of == -1).sum()), suppressed=int((of == SUPPRESSED_CLASS).sum()),
                       counted_in=locality)


def default_scheme(meta: Indicator) -> Scheme:
    return Scheme.NATIONAL_DECILES if meta.has_national_deciles else Scheme.QUANTILES


SUPPRESSED_CLASS = -2
SUPPRESSED_LABEL = "Suppressed (count of 1 to 4 or hidden with one)"


def numbers(values) -> np.ndarray:
    """``values`` as floats, NaN where one is not a number; numbers already are taken as they are (without
    pandas, which a national map does not otherwise import)."""
    v = np.asarray(values)
    if v.dtype.kind in "biuf":
        return v.astype(float)
    import pandas as pd
    return pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)


def classify(values, meta: Indicator, scheme: Scheme | None = None, k: int = 5, suppressed=None) -> Classes:
    """Put ``values`` into classes; NaN values get class -1 and count as 'no data'. Areas flagged in
    ``suppressed`` (disclosure control; their values already removed) get class -2 and take no part
    in the breaks."""
    scheme = Scheme(scheme) if scheme else default_scheme(meta)
    if scheme == Scheme.NATIONAL_DECILES and not meta.has_national_deciles:
        scheme = Scheme.QUANTILES
    v = numbers(values)
    ok = np.isfinite(v)
    class_of = np.full(len(v), -1, dtype=int)
    if scheme == Scheme.NATIONAL_DECILES:
        if meta.value_type == ValueType.DECILE:
            bounds = [float(d) for d in range(1, 11)]
            labels = [f"{d}" + (" (most deprived 10%)" if d == 1 else " (least deprived 10%)" if d == 10 else "")
                      for d in range(1, 11)]
        else:
            n = NATIONAL_LSOAS.get(meta.geography, NATIONAL_LSOAS[Geography.LSOA11])
            bounds = [float(round(n * d / 10)) for d in range(1, 11)]
            lows = [1] + [int(b) + 1 for b in bounds[:-1]]
            labels = [f"Decile {d}: ranks {lo:,}–{int(hi):,}" for d, lo, hi in zip(range(1, 11), lows, bounds)]
        class_of[ok] = np.searchsorted(np.array(bounds), v[ok], side="left")
        class_of[ok] = np.minimum(class_of[ok], len(bounds) - 1)
    else:
        present = v[ok]
        distinct = len(np.unique(present))
        k = max(1, min(int(k), distinct)) if distinct else 1
        if distinct == 0:
            bounds = []
        elif distinct == 1 or k == 1:
            bounds = [float(present.max())]
        elif scheme == Scheme.QUANTILES:
            bounds = [float(b) for b in _quantile_bins(present, k)]
        elif scheme == Scheme.EQUAL_INTERVAL:
            bounds = [float(b) for b in _equal_interval_bins(present, k)]
        else:
            import mapclassify  # imported on first use: it costs seconds at start-up

            bounds = [float(b) for b in mapclassify.FisherJenks(present, k=k).bins]
        if bounds:
            class_of[ok] = np.minimum(np.searchsorted(np.array(bounds), v[ok], side="left"), len(bounds) - 1)
        lows = [float(present.min())] + bounds[:-1] if bounds else []
        labels = [f"{_fmt(lo)} – {_fmt(hi)}" for lo, hi in zip(lows, bounds)]
    counts = tuple(int((class_of == i).sum()) for i in range(len(bounds)))
    hidden = np.zeros(len(v), dtype=bool) if suppressed is None else np.asarray(suppressed, dtype=bool) & ~ok
    class_of[hidden] = SUPPRESSED_CLASS
    return Classes(scheme, tuple(labels), class_of, counts, int((~ok & ~hidden).sum()), int(hidden.sum()))


def _quantile_bins(y: np.ndarray, k: int) -> np.ndarray:
    """mapclassify.Quantiles' upper bounds: scipy's ``scoreatpercentile`` (linear interpolation
    between the closest ranks) at 100/k, 200/k, ... 100 per cent, repeats dropped."""
    w = 100.0 / k
    pcts = np.arange(w, 100 + w, w)
    if pcts[-1] > 100.0:
        pcts[-1] = 100.0
    ranked = np.sort(y)
    bins = []
    for pct in pcts:
        at = pct / 100.0 * (len(ranked) - 1)
        i = int(at)
        if i == at:
            bins.append(ranked[i])
        else:
            below, above = (i + 1) - at, at - i
            bins.append((ranked[i] * below + ranked[i + 1] * above) / (below + above))
    return np.unique(bins)


def _equal_interval_bins(y: np.ndarray, k: int) -> np.ndarray:
    """mapclassify.EqualInterval's upper bounds: k steps of (max - min) / k, the last one the maximum."""
    low, high = y.min(), y.max()
    width = (high - low) * 1.0 / k
    cuts = np.arange(low + width, high + width, width)[:k]
    cuts[-1] = high
    return cuts


def _fmt(x: float) -> str:
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 100:
        return f"{x:.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"
