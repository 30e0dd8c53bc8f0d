"""Plan progress: the latest values of the strategic plan's key measures, which the user fills in
on a template the app writes (one row per measure, its baseline and 2026/27 target beside it) and
imports back; each measure then shows its baseline, latest, target and direction of travel."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pandas as pd

from sthc_desktop.core.errors import DataError
from sthc_desktop.core.imports import read_table

TEMPLATE_COLUMNS = ("indicator_id", "measure", "baseline", "baseline_unit", "target_2026_27", "target_unit",
                    "latest_value", "latest_period", "source")
TOWARDS, AWAY, UNCHANGED, NOT_KNOWN = "towards the target", "away from the target", "no change", "–"


def template_csv(key_measures: pd.DataFrame) -> str:
    """The template: the plan's measures with their baseline and target, latest value to fill in."""
    frame = key_measures.reindex(columns=TEMPLATE_COLUMNS)
    frame["latest_value"], frame["latest_period"], frame["source"] = "", "", ""
    out = io.StringIO()
    frame.to_csv(out, index=False)
    return out.getvalue()


def read_progress(path: str | Path, key_measures: pd.DataFrame) -> dict[str, dict]:
    """The filled-in template: indicator id -> latest value, period and source (rows left blank are
    skipped). DataError naming the file, row and problem for an unknown measure or a non-number."""
    table = read_table(path)
    missing = [c for c in ("indicator_id", "latest_value", "latest_period") if c not in table.columns]
    if missing:
        raise DataError(path, f"missing column {missing[0]!r} (write a template from the app to start from)")
    known = set(key_measures["indicator_id"])
    progress = {}
    for row, r in enumerate(table.to_dict("records"), start=2):
        value = str(r.get("latest_value") or "").strip()
        if not value:
            continue
        if r["indicator_id"] not in known:
            raise DataError(path, f"{r['indicator_id']!r} is not one of the plan's key measures", row=row,
                            column="indicator_id")
        try:
            number = float(value.replace(",", ""))
        except ValueError:
            raise DataError(path, f"latest value {value!r} is not a number", row=row, column="latest_value") from None
        if not math.isfinite(number):
            raise DataError(path, f"latest value {value!r} is not a number", row=row, column="latest_value")
        progress[r["indicator_id"]] = {"value": number, "period": str(r.get("latest_period") or "").strip(),
                                       "source": str(r.get("source") or "").strip() or Path(path).name}
    return progress


def direction(baseline, latest, target) -> str:
    """Whether the latest value has moved from the baseline towards the 2026/27 target."""
    if any(not isinstance(v, (int, float)) or math.isnan(v) for v in (baseline, latest, target)) or target == baseline:
        return NOT_KNOWN
    if latest == baseline:
        return UNCHANGED
    return TOWARDS if (latest - baseline) * (target - baseline) > 0 else AWAY


def with_progress(measures: pd.DataFrame, progress: dict[str, dict] | None) -> pd.DataFrame:
    """``measures`` (of :func:`~sthc_desktop.core.comparison.plan_measures`) with the imported latest
    values filled in where the pack has none, and each measure's direction of travel."""
    out = measures.copy()
    for i, r in out.iterrows():
        got = (progress or {}).get(r["indicator_id"])
        if got is not None and pd.isna(r["latest_value"]):
            out.loc[i, ["latest_value", "latest_period", "latest_note"]] = [got["value"], got["period"],
                                                                            f"imported from {got['source']}"]
    out["direction"] = [direction(r.baseline, r.latest_value, r.target_2026_27) for r in out.itertuples()]
    return out
