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

import geopandas as gpd
import numpy as np
import pandas as pd

from .classes import Classes, classify, default_scheme
from .datapack import BOROUGH_CODE, ENGLAND_LAYER, ENGLAND_OVERVIEW, DataPack
from .errors import PackError
from .rings import RingArrays, from_rows
from .vocabulary import Indicator, Scheme

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


class England:
    """The national parts of an England-scale pack."""

    def __init__(self, pack: DataPack):
        if pack.scope != "england":
            raise PackError(pack.path, "not an England-scale pack (build one with `build-geodata --scope england`)")
        self.pack = pack
        self._classes: dict[tuple, Classes] = {}
        self._values: dict[str, pd.Series] = {}

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
        return {**self.areas.iloc[row[0]].to_dict(), **{k: v.iloc[at[0]] for k, v in self._values.items()}}

    def meta(self, indicator_id: str) -> Indicator:
        if indicator_id not in self._columns:
            raise KeyError(f"indicator '{indicator_id}' is not mapped nationally "
                           f"(national indicators: {', '.join(self.indicators()['id'])})")
        return self.pack.indicator(indicator_id)

    def values(self, indicator_id: str) -> pd.Series:
        """One indicator for every LSOA, in :attr:`codes` order (each column read once, when first asked)."""
        self.meta(indicator_id)
        if indicator_id not in self._values:
            column = self.pack.read(ENGLAND_LAYER, columns=["code", indicator_id], geometry=False)
            codes = pd.Series(self.codes, name="code")
            if not np.array_equal(column["code"].to_numpy(dtype=str), self.codes):
                column = column.set_index("code").reindex(codes).reset_index()
            self._values[indicator_id] = column[indicator_id]
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
    def mapped(self) -> pd.DataFrame:
        """The districts whose LSOAs this pack maps (all England unless built with ``--districts``)."""
        mapped = self.pack.info.get("england_districts", "all")
        if mapped == "all":
            return self.districts
        return self.districts[self.districts["lad_code"].isin(mapped.split(","))]

    def district_names(self) -> list[str]:
        """Names of the districts the map can zoom to."""
        return sorted(self.mapped["lad_name"])

    def district_code(self, name: str) -> str:
        """A district's code from its name or code (case and "St."/"St" insensitive); KeyError names close
        matches."""
        wanted = plain_name(name)
        d = self.districts
        match = d[(d["lad_name"].map(plain_name) == wanted) | (d["lad_code"].str.lower() == wanted)]
        if match.empty:
            close = [n for n in self.district_names() if wanted[:4] and wanted[:4] in plain_name(n)][:5]
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise KeyError(f"no local authority district called '{name}'{hint}")
        return str(match["lad_code"].iloc[0])

    def district_name(self, name: str) -> str:
        """A district's official name (as IoD2019 spells it) from any spelling :meth:`district_code` takes."""
        code = self.district_code(name)
        return str(self.districts.loc[self.districts["lad_code"] == code, "lad_name"].iloc[0])

    def focus_codes(self, district: str | None = None) -> list[str]:
        """St Helens, its neighbours and (if given) a district: the rows a ranking shows by default."""
        codes = [BOROUGH_CODE, *self.pack.layer("neighbours")["code"]]
        if district is not None and self.district_code(district) not in codes:
            codes.append(self.district_code(district))
        return codes

    @property
    def scope_name(self) -> str:
        """What the whole map shows: "England", or the districts a ``--districts`` pack maps."""
        names = self.district_names()
        return "England" if len(names) == len(self.districts) else ", ".join(names)

    def extent(self, district: str | None) -> tuple[float, float, float, float]:
        """The bounds of a district, or of all the pack maps when ``district`` is None."""
        if district is None:
            return self.rings.bounds()
        d = self.mapped[self.mapped["lad_code"] == self.district_code(district)]
        if d.empty:
            raise KeyError(f"district '{district}' is not mapped in this pack (built with --districts)")
        return (float(d["xmin"].min()), float(d["ymin"].min()), float(d["xmax"].max()), float(d["ymax"].max()))

    def ranking(self, measure: str = "imd_average_score", focus: list[str] | None = None) -> pd.DataFrame:
        """Districts ranked on one IoD2019 summary measure (rank 1 = most deprived of all 317).

        ``focus`` (district codes) keeps those rows only; by default :meth:`focus_codes`."""
        if measure not in DISTRICT_MEASURES:
            raise KeyError(f"unknown district measure '{measure}'")
        d = self.districts
        codes = focus if focus is not None else self.focus_codes()
        rows = d[d["lad_code"].isin(codes)].copy()
        rows["rank"] = rows[RANK_OF[measure]]
        rows["value"] = rows[measure]
        rows["of"] = len(d)
        return rows[["lad_code", "lad_name", "value", "rank", "of", "lsoas"]].sort_values("rank").reset_index(drop=True)

    def borough_rank(self, measure: str = "imd_average_score") -> tuple[int, int]:
        """St Helens' rank among all districts on ``measure`` and the number of districts."""
        d = self.districts
        return int(d.loc[d["lad_code"] == BOROUGH_CODE, RANK_OF[measure]].iloc[0]), len(d)

    def ranking_statement(self) -> str:
        rank, n = self.borough_rank()
        return (f"St Helens ranks {rank} of {n} districts on average IMD 2019 score (1 = most deprived): "
                f"population-weighted mean of its LSOA scores, as MHCLG summarises districts, computed from "
                f"IoD2019 Files 1, 6 and the LSOA scores.")


def plain_name(name: str) -> str:
    """A district name for matching: lower case, "St." as "St", commas and extra spaces dropped."""
    return " ".join(str(name).lower().replace("st.", "st").replace(",", " ").split())

