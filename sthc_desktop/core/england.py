"""England at scale: the national LSOA map and how St Helens ranks among all districts.

Only an England-scale pack (``build-geodata --scope england``) has these parts.
:class:`England` hands out the national layer, the values of a nationally mapped
indicator, its classes, the districts by name (to zoom to any local authority) and the
district rankings. :class:`NationalView` says what the national map shows, as
:class:`~sthc_desktop.core.view.MapView` does for the borough. Care Community features
(localities, practices) stay with the borough :class:`~sthc_desktop.core.planner.Planner`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from .classes import Classes, classify, default_scheme
from .datapack import BOROUGH_CODE, ENGLAND_LAYER, ENGLAND_OVERVIEW, DataPack
from .errors import PackError
from .rings import RingArrays, from_rows
from .vocabulary import Indicator, Scheme

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

#: Natural breaks are not offered nationally: without numba, Fisher-Jenks on 32,844 values takes minutes.
NATIONAL_SCHEMES = (Scheme.NATIONAL_DECILES, Scheme.QUANTILES, Scheme.EQUAL_INTERVAL)
DEFAULT_NATIONAL_INDICATOR = "iod19_imd_decile"
ENGLAND = "England"

#: District summary measures: column -> what it is.
DISTRICT_MEASURES = {
    "imd_average_score": "Average IMD score (population-weighted)",
    "imd_average_rank": "Average LSOA rank (population-weighted; most deprived LSOA ranked highest, as File 10)",
    "imd_proportion_most_deprived_10": "LSOAs in England's most deprived 10%",
}
#: The districts table's columns that hold text; the others hold numbers.
DISTRICT_TEXT = ("lad_code", "lad_name")
RANK_OF = {"imd_average_score": "rank_of_average_score", "imd_average_rank": "rank_of_average_rank",
           "imd_proportion_most_deprived_10": "rank_of_proportion_most_deprived_10"}


@dataclass(frozen=True)
class NationalView:
    indicator_id: str = DEFAULT_NATIONAL_INDICATOR
    scheme: Scheme | None = None  # None: national deciles where the indicator has them, else quantiles
    classes: int = 10
    district: str | None = None   # a district name to zoom to; None = all England

    def with_(self, **changes) -> "NationalView":
        return replace(self, **changes)


class RankedDistrict(NamedTuple):
    """One district's place on a summary measure (rank 1 = most deprived of ``of`` districts)."""

    lad_code: str
    lad_name: str
    value: float
    rank: int
    of: int
    lsoas: int


class England:
    """The national parts of an England-scale pack."""

    def __init__(self, pack: DataPack):
        if pack.scope != "england":
            raise PackError(pack.path, "not an England-scale pack (build one with `build-geodata --scope england`)")
        self.pack = pack
        self._classes: dict[tuple, Classes] = {}
        self._values: dict[str, np.ndarray] = {}

    @cached_property
    def areas(self) -> pd.DataFrame:
        """Every England LSOA's code, name and district (no geometry), in the pack's order."""
        return self.pack.read(ENGLAND_LAYER, columns=["code", "name", "lad_code", "lad_name"], geometry=False)

    @cached_property
    def _columns(self) -> list[str]:
        return self.pack.columns(ENGLAND_LAYER)

    @cached_property
    def overview(self) -> gpd.GeoDataFrame:
        """LSOA shapes simplified for all-England maps (for finding the LSOA under a point), in the
        order of :attr:`codes`."""
        return self.pack.layer(ENGLAND_OVERVIEW)

    @cached_property
    def _rings(self) -> tuple[RingArrays, np.ndarray]:
        try:
            return from_rows(self.pack.ring_rows())
        except ValueError as exc:
            raise PackError(self.pack.path, f"damaged data pack: the England overview's rings ({exc})") from None

    @cached_property
    def borough_rings(self) -> RingArrays:
        """St Helens' outline, from the pack's borough layer, as ring arrays (read without shapely)."""
        return self.pack.outlines("borough")

    @property
    def rings(self) -> RingArrays:
        """The overview shapes as the map draws them, stored so by the builder: one area per LSOA, in
        the order of :attr:`codes` and :meth:`values`."""
        return self._rings[0]

    @property
    def codes(self) -> np.ndarray:
        """The LSOA code of each area of :attr:`rings`."""
        return self._rings[1]

    def areas_within(self, bounds) -> gpd.GeoDataFrame:
        """Full-detail shapes (code, district) of the LSOAs meeting ``bounds``, read on demand
        through the pack's spatial index: a zoomed map draws these instead of the overview."""
        return self.pack.read(ENGLAND_LAYER, columns=["code", "lad_code"], bbox=tuple(bounds))

    @property
    def districts(self) -> pd.DataFrame:
        """IoD2019 districts (317) with MHCLG's summary measures and ranks, computed by the builder."""
        return self.pack.layer("districts")

    def indicators(self) -> pd.DataFrame:
        """Catalogue rows of the indicators mapped for every England LSOA."""
        cat = self.pack.catalogue
        return cat[cat["id"].isin(self._columns)].reset_index(drop=True)

    def area(self, code: str) -> dict:
        """One LSOA's row: code, name, district and the values of the indicators read so far."""
        row = np.flatnonzero(self.areas["code"].to_numpy() == code)
        at = np.flatnonzero(self.codes == code)
        if not len(row) or not len(at):
            raise KeyError(f"unknown England LSOA '{code}'")
        return {**self.areas.iloc[row[0]].to_dict(), **{k: v[at[0]] for k, v in self._values.items()}}

    def meta(self, indicator_id: str) -> Indicator:
        if indicator_id not in self._columns:
            raise KeyError(f"indicator '{indicator_id}' is not mapped nationally "
                           f"(national indicators: {', '.join(self.indicators()['id'])})")
        return self.pack.indicator(indicator_id)

    def values(self, indicator_id: str) -> np.ndarray:
        """One indicator for every LSOA (NaN where it has none), in :attr:`codes` order (each column read
        once, when first asked)."""
        self.meta(indicator_id)
        if indicator_id not in self._values:
            rows = self.pack.records(ENGLAND_LAYER, ["code", indicator_id])
            values = self._numbers(ENGLAND_LAYER, indicator_id, [r[indicator_id] for r in rows])
            codes = np.array([r["code"] for r in rows], dtype=str)
            if not np.array_equal(codes, self.codes):
                row_of = {code: i for i, code in enumerate(codes)}
                values = np.array([values[row_of[c]] if c in row_of else np.nan for c in self.codes])
            self._values[indicator_id] = values
        return self._values[indicator_id]

    def classes_for(self, view: NationalView) -> Classes:
        meta = self.meta(view.indicator_id)
        scheme = view.scheme if view.scheme in NATIONAL_SCHEMES else default_scheme(meta)
        key = (view.indicator_id, scheme, view.classes)
        if key not in self._classes:
            self._classes[key] = classify(self.values(view.indicator_id), meta, scheme, view.classes)
        return self._classes[key]

    # -- districts ---------------------------------------------------------------------
    @cached_property
    def _district_columns(self) -> dict[str, np.ndarray]:
        """The districts table as arrays, one a column, in its order (read without pandas)."""
        rows = self.pack.records("districts")
        cells = {c: [r[c] for r in rows] for c in self.pack.columns("districts")}
        return {c: np.array(v) if c in DISTRICT_TEXT else self._numbers("districts", c, v) for c, v in cells.items()}

    def _numbers(self, layer: str, column: str, cells: list) -> np.ndarray:
        """A column of numbers read from SQLite as float64, NULL as NaN (as pandas read them); PackError
        naming the layer and column if a cell holds anything else."""
        try:
            return np.array(cells, dtype=float)
        except (ValueError, TypeError):
            bad = next(c for c in cells if not _is_number(c))
            raise PackError(self.pack.path, f"damaged data pack: column '{column}' of layer '{layer}' holds "
                                            f"{bad!r}, not a number") from None

    @cached_property
    def _mapped(self) -> np.ndarray:
        """Whether each district (in :attr:`_district_columns` order) is mapped by this pack (all England
        unless built with ``--districts``)."""
        mapped = self.pack.info.get("england_districts", "all")
        codes = self._district_columns["lad_code"]
        return np.ones(len(codes), dtype=bool) if mapped == "all" else np.isin(codes, mapped.split(","))

    def district_names(self) -> list[str]:
        """Names of the districts the map can zoom to."""
        return sorted(str(n) for n in self._district_columns["lad_name"][self._mapped])

    def district_code(self, name: str) -> str:
        """A district's code from its name or code (case and "St."/"St" insensitive); KeyError names close
        matches."""
        wanted = plain_name(name)
        d = self._district_columns
        for lad_name, lad_code in zip(d["lad_name"], d["lad_code"]):
            if plain_name(lad_name) == wanted or str(lad_code).lower() == wanted:
                return str(lad_code)
        close = [n for n in self.district_names() if wanted[:4] and wanted[:4] in plain_name(n)][:5]
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise KeyError(f"no local authority district called '{name}'{hint}")

    def district_name(self, name: str) -> str:
        """A district's official name (as IoD2019 spells it) from any spelling :meth:`district_code` takes."""
        d = self._district_columns
        return str(d["lad_name"][np.flatnonzero(d["lad_code"] == self.district_code(name))[0]])

    def focus_codes(self, district: str | None = None) -> list[str]:
        """St Helens, its neighbours and (if given) a district: the rows a ranking shows by default."""
        codes = [BOROUGH_CODE, *(r["code"] for r in self.pack.records("neighbours", ["code"]))]
        if district is not None and self.district_code(district) not in codes:
            codes.append(self.district_code(district))
        return codes

    @property
    def scope_name(self) -> str:
        """What the whole map shows: "England", or the districts a ``--districts`` pack maps."""
        names = self.district_names()
        return "England" if len(names) == len(self._mapped) else ", ".join(names)

    def extent(self, district: str | None) -> tuple[float, float, float, float]:
        """The bounds of a district, or of all the pack maps when ``district`` is None."""
        if district is None:
            return self.rings.bounds()
        d = self._district_columns
        rows = self._mapped & (d["lad_code"] == self.district_code(district))
        if not rows.any():
            raise KeyError(f"district '{district}' is not mapped in this pack (built with --districts)")
        return (float(d["xmin"][rows].min()), float(d["ymin"][rows].min()), float(d["xmax"][rows].max()),
                float(d["ymax"][rows].max()))

    def ranking(self, measure: str = "imd_average_score", focus: list[str] | None = None) -> list[RankedDistrict]:
        """Districts ranked on one IoD2019 summary measure (rank 1 = most deprived of all 317), most deprived
        first.

        ``focus`` (district codes) keeps those rows only; by default :meth:`focus_codes`."""
        if measure not in DISTRICT_MEASURES:
            raise KeyError(f"unknown district measure '{measure}'")
        d = self._district_columns
        codes = focus if focus is not None else self.focus_codes()
        rows = np.flatnonzero(np.isin(d["lad_code"], codes))
        rows = rows[np.argsort(d[RANK_OF[measure]][rows], kind="stable")]
        ranks, lsoas = self._whole(RANK_OF[measure], rows), self._whole("lsoas", rows)
        return [RankedDistrict(str(d["lad_code"][i]), str(d["lad_name"][i]), float(d[measure][i]), rank,
                               len(d["lad_code"]), count) for i, rank, count in zip(rows, ranks, lsoas)]

    def borough_rank(self, measure: str = "imd_average_score") -> tuple[int, int]:
        """St Helens' rank among all districts on ``measure`` and the number of districts."""
        d = self._district_columns
        return self._whole(RANK_OF[measure], np.flatnonzero(d["lad_code"] == BOROUGH_CODE)[:1])[0], len(d["lad_code"])

    def _whole(self, column: str, rows: np.ndarray) -> list[int]:
        """The whole numbers (ranks, LSOA counts) of some districts; PackError naming the column and the
        first district without one."""
        values = self._district_columns[column][rows]
        missing = rows[np.isnan(values)]
        if len(missing):
            raise PackError(self.pack.path, f"damaged data pack: column '{column}' of layer 'districts' has no value "
                                            f"for {self._district_columns['lad_code'][missing[0]]}")
        return [int(v) for v in values]

    def ranking_statement(self) -> str:
        rank, n = self.borough_rank()
        return (f"St Helens ranks {rank} of {n} districts on average IMD 2019 score (1 = most deprived): "
                f"population-weighted mean of its LSOA scores, as MHCLG summarises districts, computed from "
                f"IoD2019 Files 1, 6 and the LSOA scores.")


def _is_number(cell) -> bool:
    try:
        np.array(cell, dtype=float)
    except (ValueError, TypeError):
        return False
    return True


def plain_name(name: str) -> str:
    """A district name for matching: lower case, "St." as "St", commas and extra spaces dropped."""
    return " ".join(str(name).lower().replace("st.", "st").replace(",", " ").split())

