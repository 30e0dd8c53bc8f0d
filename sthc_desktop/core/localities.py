"""The four Care Communities (localities) and the ways small areas are assigned to them.

Care Communities are defined by their practices (each is a Primary Care Network), so an
LSOA has no single official locality. This module owns the assignment methods of METHODS.md
(their names, with the networks' names and colours, are in :mod:`.networks`): estimated
registrations (fractional shares, from :mod:`.catchments`), nearest practice and a supplied
LSOA -> locality lookup; the pack's default is the best-validated one. Every assignment carries a
method statement, with its validation error, to print on outputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from .errors import DataError, PackError
from .networks import (ESTIMATED_REGISTRATIONS, NEAREST_PRACTICE, NETWORK_COLOURS,  # noqa: F401
                       NETWORKS, PACK_METHODS, PCN_NAME_TO_NETWORK, SUPPLIED_LOOKUP)


@dataclass(frozen=True)
class Assignment:
    """Which locality each small area belongs to, and how that was decided."""

    method: str
    statement: str
    localities: pd.Series  # index: area code, values: network name (the main one under fractional shares)
    weights: pd.DataFrame | None = None  # index: area code, columns NETWORKS, rows sum to 1; None: whole areas
    title: str = ""  # the method with its validation error, as outputs name it ("" : the method alone)

    @property
    def name(self) -> str:
        return self.title or self.method

    def __post_init__(self):
        unknown = set(self.localities.dropna()) - set(NETWORKS)
        if unknown:
            raise ValueError(f"unknown locality {sorted(unknown)[0]!r}")

    @property
    def shares(self) -> pd.DataFrame:
        """Each area's share in each locality (METHODS.md fractional membership); whole areas are 0/1."""
        if self.weights is not None:
            return self.weights
        return whole_area_shares(self.localities)


def whole_area_shares(localities: pd.Series) -> pd.DataFrame:
    """0/1 shares of whole-area assignments, so fractional and whole methods share one code path."""
    inside = localities.to_numpy()[:, None] == np.array(NETWORKS, dtype=object)[None, :]
    return pd.DataFrame(inside.astype(float), index=localities.index, columns=list(NETWORKS))


def main_localities(shares: pd.DataFrame) -> pd.Series:
    """The locality holding the largest share of each area (the first in NETWORKS order on a tie)."""
    return shares[list(NETWORKS)].idxmax(axis=1).rename("locality")


def nearest_practice(areas: gpd.GeoDataFrame, code_column: str,
                     practices: gpd.GeoDataFrame) -> Assignment:
    """Assign each area to the network of the active practice nearest a point inside it.

    Distances are straight lines in British National Grid metres from the area's
    representative point (always inside the polygon) to the practice's postcode centroid.
    Ties (practices sharing a postcode) go to the lowest ODS code, so the result is stable.
    """
    active = practices[(practices["status"] == "active") & practices.geometry.notna()]
    active = active.sort_values("ods_code")
    if active.empty:
        raise DataError(None, "no active practice with a location: cannot assign localities")
    px = active.geometry.x.to_numpy()
    py = active.geometry.y.to_numpy()
    points = areas.geometry.representative_point()
    dx = points.x.to_numpy()[:, None] - px[None, :]
    dy = points.y.to_numpy()[:, None] - py[None, :]
    nearest = np.argmin(np.hypot(dx, dy), axis=1)  # argmin keeps the first (lowest code) on ties
    localities = pd.Series(active["network"].to_numpy()[nearest],
                           index=pd.Index(areas[code_column].to_numpy(), name=code_column),
                           name="locality")
    statement = ("Nearest practice: each LSOA is assigned to the Care Community of the active "
                 "practice nearest a point inside it (straight-line distance to the practice's "
                 "postcode centroid).")
    return Assignment(NEAREST_PRACTICE, statement, localities)


def locality_outlines(areas: gpd.GeoDataFrame, localities: pd.Series, code_column: str) -> gpd.GeoDataFrame:
    """Dissolve small areas into one outline per locality.

    The 2011 LSOA boundaries have sub-centimetre cracks between neighbours, so each
    polygon is grown by 5 cm before the union and shrunk back after it.
    """
    joined = areas[[code_column, "geometry"]].copy()
    joined["locality"] = joined[code_column].map(localities)
    joined = joined.dropna(subset=["locality"])
    rows = []
    for name in NETWORKS:
        part = joined[joined["locality"] == name]
        if part.empty:
            continue
        shape = part.geometry.buffer(0.05).union_all().buffer(-0.05)
        rows.append({"locality": name, "colour": NETWORK_COLOURS[name], "geometry": shape})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=areas.crs)


#: Header names (lower case, spaces and underscores removed) recognised in a supplied lookup.
LOOKUP_CODE_HEADERS = ("lsoa11cd", "lsoa21cd", "lsoacd", "lsoacode", "lsoa11code", "lsoa21code", "lsoa",
                       "code")
LOOKUP_LOCALITY_HEADERS = ("locality", "carecommunity", "network", "pcn", "pcnname", "localityname")


def _header_key(name: str) -> str:
    return "".join(ch for ch in str(name).lower() if ch.isalnum())


def network_name(text: str) -> str | None:
    """A network name as the plan writes it, from a lookup's spelling ("newton and haydock" too)."""
    key = _header_key(str(text).replace("&", "and"))
    for name in NETWORKS:
        if key == _header_key(name.replace("&", "and")):
            return name
    return None


def assignment_from_lookup(path, vintage_codes: dict[str, set], links: pd.DataFrame,
                           residents: pd.Series | None = None) -> dict[str, Assignment]:
    """Assignments for both LSOA vintages from a supplied LSOA -> locality CSV or XLSX file (read as an
    import is: any encoding or delimiter, codes in any case).

    The file needs a code column (``lsoa11cd``, ``lsoa21cd``, ``LSOA code``…) and a locality
    column (``locality``, ``network``, ``care community``…). Its codes may be 2011 or 2021 LSOAs
    (``vintage_codes`` holds the borough's codes of each); it must give every LSOA of one vintage
    exactly once. The other vintage is derived only through the ONS 2011 -> 2021 lookup ``links``
    (the ``lsoa21`` layer's ``code``, ``lsoa11_code``, ``change_2011``): a 2021 LSOA takes its 2011
    parent's locality; a 2011 LSOA split in 2021 takes the locality of its part with the most
    ``residents`` (Census 2021). Raises :class:`DataError` naming the file, row, column and value.
    """
    from .imports import read_table  # the import reader: bounded, any encoding, delimiter or workbook

    path = Path(path)
    table = read_table(path)
    keys = {_header_key(c): c for c in table.columns}
    code_col = next((keys[k] for k in LOOKUP_CODE_HEADERS if k in keys), None)
    loc_col = next((keys[k] for k in LOOKUP_LOCALITY_HEADERS if k in keys), None)
    if code_col is None or loc_col is None:
        missing = "LSOA code column (e.g. lsoa21cd)" if code_col is None else "locality column (e.g. locality)"
        raise DataError(path, f"no {missing} among the headers {', '.join(map(str, table.columns))}", row=1)
    known = set().union(*vintage_codes.values())
    given: dict[str, str] = {}
    first_row: dict[str, int] = {}
    for row, code, name in zip(table.index, table[code_col], table[loc_col]):  # spreadsheet rows
        code = code.strip().upper()
        if code not in known:
            raise DataError(path, f"unknown LSOA code '{code}' (not a St Helens LSOA 2011 or 2021 code)",
                            row=row, column=code_col)
        network = network_name(name)
        if network is None:
            raise DataError(path, f"unknown locality '{name.strip()}' (expected one of {', '.join(NETWORKS)})",
                            row=row, column=loc_col)
        if code in given:
            raise DataError(path, f"LSOA code '{code}' appears twice (first at row {first_row[code]})",
                            row=row, column=code_col)
        given[code], first_row[code] = network, row

    missing = {v: sorted(codes - set(given)) for v, codes in vintage_codes.items()}
    complete = [v for v in ("lsoa21", "lsoa11") if v in missing and not missing[v]]
    if not complete:
        v = min(missing, key=lambda k: len(missing[k]))
        vintage = {"lsoa11": "LSOA 2011", "lsoa21": "LSOA 2021"}.get(v, v)
        raise DataError(path, f"{len(missing[v])} St Helens {vintage} codes have no row "
                              f"(first: {missing[v][0]})", column=code_col)
    found = {v: pd.Series({c: given[c] for c in sorted(vintage_codes[v])}, name="locality")
             for v in complete}
    derived = ""
    if "lsoa21" not in found:
        parents = links.set_index("code")["lsoa11_code"]
        found["lsoa21"] = pd.Series({c: found["lsoa11"][parents[c]] for c in sorted(vintage_codes["lsoa21"])},
                                    name="locality")
        derived = " 2021 LSOAs take the locality of their 2011 LSOA (ONS LSOA 2011 to 2021 lookup)."
    elif "lsoa11" not in found and "lsoa11" in vintage_codes:
        parts = links[["code", "lsoa11_code"]].copy()
        parts["locality"] = parts["code"].map(found["lsoa21"])
        parts["residents"] = parts["code"].map(residents) if residents is not None else 0.0
        parts = parts.sort_values(["lsoa11_code", "residents", "code"], ascending=[True, False, True])
        largest = parts.drop_duplicates("lsoa11_code").set_index("lsoa11_code")["locality"]
        found["lsoa11"] = pd.Series({c: largest[c] for c in sorted(vintage_codes["lsoa11"])}, name="locality")
        derived = (" 2011 LSOAs take the locality of their 2021 LSOA (ONS LSOA 2011 to 2021 lookup); a 2011 "
                   "LSOA split in 2021 takes the locality of its part with the most Census 2021 residents.")
    statement = f"Supplied lookup: each LSOA is assigned to the Care Community given in {path.name}.{derived}"
    return {v: Assignment(SUPPLIED_LOOKUP, statement, s.rename_axis("code")) for v, s in found.items()}


def _with_validation(pack, found: dict[str, Assignment], path) -> dict[str, Assignment]:
    """The lookup's assignments judged as the pack's methods are, its title naming the file and the error."""
    from . import catchments

    if "lsoa11" not in found or not catchments.has_model(pack):
        return found
    text = catchments.method_validation(pack, found["lsoa11"], found["lsoa11"].method)
    error = catchments.network_errors(pack, found["lsoa11"]).abs().mean()
    title = f"{found['lsoa11'].method} {Path(path).name} (IMD error {error:.1f} points)"
    return {v: Assignment(a.method, f"{a.statement} {text}".strip(), a.localities, a.weights, title)
            for v, a in found.items()}


def lookup_assignments(pack, path) -> dict[str, Assignment]:
    """:func:`assignment_from_lookup` for a data pack's LSOAs, links and Census 2021 residents."""
    links = pack.layer("lsoa21")[["code", "lsoa11_code", "change_2011"]]
    rows = pack.indicator_values("census21_residents", "lsoa21")
    residents = pd.Series(rows["value"].to_numpy(), index=rows["area_code"].to_numpy())
    codes = {v: set(pack.layer(v)["code"]) for v in ("lsoa11", "lsoa21")}
    return _with_validation(pack, assignment_from_lookup(path, codes, links, residents), path)


def pack_assignments(pack, method: str | None = None, networks: pd.Series | None = None) -> dict[str, Assignment]:
    """Both vintages' assignments by one of :data:`PACK_METHODS` (None: the pack's default).

    ``networks`` (ODS code -> network) overrides the practices' networks, for a what-if."""
    from . import catchments

    method = method or pack.info.get("assignment_method", NEAREST_PRACTICE)
    if method == ESTIMATED_REGISTRATIONS:
        return catchments.assignments(pack, networks)
    if method != NEAREST_PRACTICE:
        raise ValueError(f"unknown assignment method {method!r}")
    practices = pack.practices
    if networks is not None:
        practices = practices.assign(network=practices["ods_code"].map(networks).fillna(practices["network"]))
    found = {v: nearest_practice(pack.layer(v), "code", practices) for v in ("lsoa11", "lsoa21")}
    validation = catchments.pack_cached(pack, "nearest validation", lambda: catchments.method_validation(
        pack, found["lsoa11"], NEAREST_PRACTICE))
    title = method_label(pack, NEAREST_PRACTICE)
    return {v: Assignment(a.method, f"{a.statement} {validation}".strip(), a.localities.rename_axis("code"),
                          title=title) for v, a in found.items()}


def method_label(pack, method: str) -> str:
    """How a method chooser names a pack method: with its validation error, and whether it is the best."""
    from . import catchments

    def make():
        try:
            rows = pack.layer(catchments.VALIDATION_LAYER)
        except PackError:  # a pack without the validation tables: the name alone
            return method
        error = catchments.method_error(rows, method)
        best = "best validated, " if catchments.best_method(rows) == method else ""
        return f"{method} ({best}IMD error {error:.1f} points)"
    return catchments.pack_cached(pack, f"label {method}", make)


def shares_text(shares: dict[str, float]) -> str:
    """An area's locality shares in words: "Central 62% · North 30% · South 8%" (whole: the name alone)."""
    shown = {k: v for k, v in shares.items() if round(v * 100) >= 1}
    if len(shown) <= 1:
        return next(iter(shown), "–")
    return " · ".join(f"{k} {v:.0%}" for k, v in shown.items())
