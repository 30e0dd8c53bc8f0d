"""The practices a page names: by the strategic plan's map key, with their status and list size now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from sthc_desktop.core.planner import Planner


def status_text(row) -> str:
    status = row["status"]
    if status == "closed":
        return f"closed {row['closed_date']}" if row.get("closed_date") else "closed"
    if status == "unmatched":
        return "no ODS match (not on the map)"
    return str(status)


def practice_label(row) -> str:
    """Plan name, the current name if a rename is recorded, and the status now."""
    plan, now = row.get("plan_name"), row.get("name")
    name = plan or now or row.get("ods_code") or "?"
    if plan and now and now != plan and row.get("renamed") in (True, 1):
        name += f" (now {now})"
    return f"{name} — {status_text(row)}"


def practice_key_rows(planner: Planner, *, network: str | None = None, extent=None) -> list[dict]:
    """The practices a map shows, by map key, with the network-but-not-plan practice last.

    ``network`` keeps one Care Community's practices (those without a location included, so
    its key is complete); ``extent`` keeps the practices drawn inside it."""
    key = planner.practice_key()
    if network is not None:
        key = key[key["network"] == network]
    if extent is not None:
        positions = planner.pack.practices.set_index("ods_code").geometry
    rows = []
    for r in key.to_dict("records"):
        if extent is not None:
            geom = positions.get(r["ods_code"]) if r["ods_code"] else None
            if geom is None or not (extent[0] <= geom.x <= extent[2] and extent[1] <= geom.y <= extent[3]):
                continue
        if r["in_plan"]:
            label = practice_label(r)
        else:
            label = (f"{r['name']} ({r['ods_code']}) — {status_text(r)}; in the {r['network']} network today "
                     "but not on the plan's locality map")
        rows.append({**r, "key": "–" if pd.isna(r["map_key"]) else str(int(r["map_key"])), "label": label})
    return rows


def month(iso: str) -> str:
    return date.fromisoformat(iso[:10]).strftime("%b %Y")


def list_size(p: dict, usual: str = "") -> str:
    """The list size, dated when its date is not the ``usual`` one the column heading gives."""
    if pd.isna(p.get("list_size")):
        return "–"
    when = p.get("list_size_date")
    dated = isinstance(when, str) and when and when != usual
    return f"{p['list_size']:,.0f}" + (f" ({month(when)})" if dated else "")


@dataclass(frozen=True)
class PracticeTable:
    """A Care Community's practices as its pack page lists them (key, name, status, list size), and
    the line under the heading saying when the list sizes are from."""

    rows: list[list[str]]
    note: str


def practice_table(planner: Planner, network: str) -> PracticeTable:
    practices = practice_key_rows(planner, network=network)
    dates = [p["list_size_date"] for p in practices if isinstance(p.get("list_size_date"), str)]
    latest = max(dates, default="")
    rows = [[p["key"], p["label"].split(" — ")[0] if p["in_plan"] else f"{p['name']} (not on the plan map)",
             status_text(p), list_size(p, latest)] for p in practices]
    when = f"; list sizes {month(latest)}{' unless dated' if len(set(dates)) > 1 else ''}" if latest else ""
    return PracticeTable(rows, f"The strategic plan's numbering; status and registered list now{when}")
