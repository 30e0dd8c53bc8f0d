"""Search: LSOAs by code or name, practices by name, map key or ODS code, and wards by name, forgiving
of punctuation and case; each hit with the map extent to go to. Qt-free."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class SearchHit:
    kind: str     # "LSOA 2011", "LSOA 2021", "Practice", "Ward"
    code: str
    label: str
    bounds: tuple[float, float, float, float]


def searchable(text: str) -> str:
    """Text as search compares it: lower case, punctuation as spaces ("St. Helens 014D." = "st helens 014d")."""
    return " ".join(re.sub(r"[^\w]+", " ", str(text).lower()).split())


def search(planner, text: str, limit: int = 20) -> list[SearchHit]:
    """LSOAs by code or name, practices by name, map key or ODS code, wards by name."""
    q = searchable(text)
    if not q:
        return []
    hits: list[SearchHit] = []
    p = planner.pack.practices
    for r in p.itertuples():
        key = "" if pd.isna(r.map_key) else str(int(r.map_key))
        names = [searchable(x) for x in (r.name, r.plan_name, r.ods_code) if isinstance(x, str)]
        if q == key or any(q in n for n in names):
            label = f"Practice {key + ': ' if key else ''}{r.plan_name or r.name}" + (
                f" (now {r.name})" if r.plan_name and r.name and r.name != r.plan_name and getattr(r, "renamed", False) in (True, 1)
                else "")
            if r.geometry is None:
                label += " (no location)"
                bounds = planner.borough_bounds
            else:
                x, y = r.geometry.x, r.geometry.y
                bounds = (x - 1200, y - 1200, x + 1200, y + 1200)
            hits.append(SearchHit("Practice", r.ods_code or "", label, bounds))
    wards = planner.pack.layer("wards")
    for r in wards.itertuples():
        if q in searchable(r.name) or q == r.code.lower():
            hits.append(SearchHit("Ward", r.code, f"Ward: {r.name}", tuple(r.geometry.bounds)))
    for vintage, kind in (("lsoa21", "LSOA 2021"), ("lsoa11", "LSOA 2011")):
        layer = planner.pack.layer(vintage)
        for r in layer.itertuples():
            if q in r.code.lower() or q in searchable(r.name):
                hits.append(SearchHit(kind, r.code, f"{kind}: {r.name} ({r.code})", tuple(r.geometry.bounds)))
    return hits[:limit]
