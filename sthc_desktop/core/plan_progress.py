"""Plan progress: the latest values of the strategic plan's key measures, which the user fills in
on a template the app writes (one row per measure, its baseline and 2026/27 target beside it) and
imports back; each measure then shows its baseline, latest, target and direction of travel. Where
the plan's aim is "below the North West average", the template also takes the North West's
published value, and the measure says whether its latest value is below it."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pandas as pd

from sthc_desktop.core.cells import safe_frame
from sthc_desktop.core.errors import DataError

TEMPLATE_COLUMNS = ("indicator_id", "measure", "baseline", "baseline_unit", "target_2026_27", "target_unit",
                    "aim", "latest_value", "latest_period", "north_west_value", "north_west_period", "source")
TOWARDS, AWAY, UNCHANGED, NOT_KNOWN = "towards the target", "away from the target", "no change", "–"
#: The plan's aim that is judged against the North West's value (the template's north_west_value).
BELOW_NORTH_WEST = "below north west average"
#: Aims ranking St Helens among other boroughs, whose values the pack does not hold.
BOROUGH_RANKING_AIMS = ("best in the liverpool city region", "best borough in merseyside")


def template_csv(key_measures: pd.DataFrame) -> str:
    """The template: the plan's measures with their baseline and target, latest value to fill in."""
    frame = key_measures.reindex(columns=TEMPLATE_COLUMNS)
    for column in ("latest_value", "latest_period", "north_west_value", "north_west_period", "source"):
        frame[column] = ""
    out = io.StringIO()
    safe_frame(frame).to_csv(out, index=False)  # opened in a spreadsheet: no cell may run as a formula
    return out.getvalue()


def read_progress(path: str | Path, key_measures: pd.DataFrame) -> dict[str, dict]:
    """The filled-in template: indicator id -> latest value, period and source (rows left blank are
    skipped). DataError naming the file, row and problem for an unknown measure or a non-number."""
    from sthc_desktop.core.imports import read_table  # the import reader, loaded only when a template is read

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
        try:
            number = float(value.replace(",", ""))
        except ValueError:
            number = math.nan
        def error(problem, column, row=row):
            return DataError(path, problem, row=row, column=column)
        progress[r["indicator_id"]] = {**_latest(r["indicator_id"], number, value, r.get("latest_period"),
                                                 str(r.get("source") or "").strip() or Path(path).name, known, error),
                                       **_north_west(r, error)}
    return progress


def from_saved(saved, key_measures: pd.DataFrame, path: str | Path | None = None) -> dict[str, dict]:
    """Plan progress as a workspace saved it (see :func:`read_progress`), checked the same way:
    DataError naming the file and the measure for anything that is not a measure's latest value."""
    if not isinstance(saved, dict):
        raise DataError(path, "plan_progress is not an object")
    known = set(key_measures["indicator_id"])
    progress = {}
    for measure, got in saved.items():
        got = got if isinstance(got, dict) else {}
        number = got.get("value")
        number = float(number) if isinstance(number, (int, float)) and not isinstance(number, bool) else math.nan
        period, source = (got.get(k) if isinstance(got.get(k), str) else "" for k in ("period", "source"))
        def error(problem, _column):
            return DataError(path, f"plan_progress: {problem}")
        progress[measure] = {**_latest(measure, number, got.get("value"), period, source, known, error),
                             **_north_west(got, error)}
    return progress


def _latest(measure, number: float, shown, period, source: str, known: set, error) -> dict:
    """One measure's latest value, or the DataError ``error(problem, column)`` says where it is not one."""
    if measure not in known:
        raise error(f"{measure!r} is not one of the plan's key measures", "indicator_id")
    if not math.isfinite(number):
        raise error(f"latest value {shown!r} is not a number", "latest_value")
    return {"value": number, "period": str(period or "").strip(), "source": source}


def _north_west(r: dict, error) -> dict:
    """The North West's value and period of a template row or saved measure, if it gives one; DataError
    ``error(problem, column)`` for a value that is not a number."""
    text = r.get("north_west_value")
    text = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text).strip()
    if not text:
        return {}
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise error(f"North West value {text!r} is not a number", "north_west_value")
    return {"north_west_value": number, "north_west_period": str(r.get("north_west_period") or "").strip()}


def aim_check(aim, latest, north_west, north_west_period: str = "") -> str:
    """Whether the latest value meets an aim judged against other areas: "below the North West average"
    against the North West's value; the borough-ranking aims cannot be judged from the pack."""
    aim = str(aim or "").lower()
    if BELOW_NORTH_WEST in aim:
        if _unknown(latest):
            return "no latest value to judge against the North West"
        if _unknown(north_west):
            return "no North West value (fill in north_west_value on the template)"
        when = f" ({north_west_period})" if north_west_period else ""
        word = "met" if latest < north_west else "not met"
        return f"{word}: {latest:g} against the North West's {north_west:g}{when}"
    if any(a in aim for a in BOROUGH_RANKING_AIMS):
        return "not judged: the pack holds this measure for St Helens only, not for the other boroughs"
    return ""


def _unknown(v) -> bool:
    return not isinstance(v, (int, float)) or math.isnan(v)


def direction(baseline, latest, target) -> str:
    """Whether the latest value has moved from the baseline towards the 2026/27 target."""
    if any(not isinstance(v, (int, float)) or math.isnan(v) for v in (baseline, latest, target)) or target == baseline:
        return NOT_KNOWN
    if latest == baseline:
        return UNCHANGED
    return TOWARDS if (latest - baseline) * (target - baseline) > 0 else AWAY


def with_progress(measures: pd.DataFrame, progress: dict[str, dict] | None) -> pd.DataFrame:
    """``measures`` (of :func:`~sthc_desktop.core.comparison.plan_measures`) with the imported latest
    values filled in where the pack has none, each measure's direction of travel, the North West's
    value the user imported, and whether an aim judged against other areas is met (:func:`aim_check`)."""
    out = measures.copy()
    out["north_west_value"], out["north_west_period"] = math.nan, ""
    for i, r in out.iterrows():
        got = (progress or {}).get(r["indicator_id"])
        if got is not None and pd.isna(r["latest_value"]):
            out.loc[i, ["latest_value", "latest_period", "latest_note"]] = [got["value"], got["period"],
                                                                            f"imported from {got['source']}"]
        if got is not None and "north_west_value" in got:
            out.loc[i, ["north_west_value", "north_west_period"]] = [got["north_west_value"],
                                                                     got["north_west_period"]]
    out["direction"] = [direction(r.baseline, r.latest_value, r.target_2026_27) for r in out.itertuples()]
    out["aim_check"] = [aim_check(r.aim, r.latest_value, r.north_west_value, r.north_west_period)
                        for r in out.itertuples()]
    return out
