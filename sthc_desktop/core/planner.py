"""The planner: an open data pack plus the locality assignment in use.

Everything a screen or an export asks about the St Helens data goes through a
:class:`Planner`, built in three layers, each on the one before:
:class:`LocalityAssignment` (which locality each small area and practice is in, and the
localities' outlines), :class:`IndicatorValues` (the indicator layer for a view and its classes,
under that assignment, and the indicators a user adds) and :class:`Planner` (what the details
panel says of one area or practice). Search is :mod:`.search`. Qt-free; the GUI observes it.
"""

from __future__ import annotations

from functools import cached_property

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from . import catchments
from . import localities as loc
from .classes import Classes, classify
from .datapack import DataPack
from .indicators import AREA_GEOGRAPHIES, IndicatorLayer, indicator_layer, value_is_count
from .view import MapView
from .vocabulary import Indicator


#: How much of a view's width and height a locality's bounds fill when the view is zoomed to it.
ZOOMED_FILL = 0.85


class LocalityAssignment:
    """The pack with the locality assignment in use (a pack method, a supplied lookup or a what-if)."""

    def __init__(self, pack: DataPack, assignments: dict[str, loc.Assignment] | None = None,
                 practice_networks: pd.Series | None = None, scenario=None):
        """``practice_networks`` (ODS code -> network) and ``scenario`` (its name and changes, see
        :mod:`.scenarios`) are set for a what-if; by default the pack's networks and no scenario."""
        self.pack = pack
        self.scenario = scenario
        self._practice_networks = practice_networks
        if assignments is None and "best_method" in pack.info:  # a pack with validated methods
            assignments = loc.pack_assignments(pack)
        if assignments is None:
            assignments = {}
            for vintage in AREA_GEOGRAPHIES:
                layer = pack.layer(vintage)
                assignments[vintage] = loc.Assignment(
                    pack.info.get("assignment_method", loc.NEAREST_PRACTICE), pack.assignment_statement,
                    pd.Series(layer["locality"].to_numpy(), index=layer["code"].to_numpy()))
        self.assignments = assignments
        self._outlines: dict[str, gpd.GeoDataFrame] = {}

    @property
    def assignment_statement(self) -> str:
        return self.assignments["lsoa21"].statement

    @cached_property
    def practice_networks(self) -> pd.Series:
        """Each practice's network (ODS code -> network), as the pack holds it or as a what-if moved it
        (made once: every practice aggregation and map layer asks)."""
        if self._practice_networks is not None:
            return self._practice_networks
        p = self.pack.practices
        p = p[p["ods_code"].notna()]
        return pd.Series(p["network"].to_numpy(), index=p["ods_code"].to_numpy())

    @cached_property
    def practice_shares(self) -> pd.DataFrame:
        """Each practice's share (0 or 1) in each locality: rows ODS codes, columns the networks."""
        return loc.whole_area_shares(self.practice_networks)

    @property
    def localities(self) -> dict[str, pd.Series]:
        return {v: a.localities for v, a in self.assignments.items()}

    def locality_outlines(self, vintage: str = "lsoa21") -> gpd.GeoDataFrame:
        if vintage not in self._outlines:
            self._outlines[vintage] = loc.locality_outlines(self.pack.layer(vintage), self.localities[vintage],
                                                            "code")
        return self._outlines[vintage]

    def locality_bounds(self, locality: str) -> tuple[float, float, float, float]:
        outlines = self.locality_outlines()
        shape = outlines[outlines["locality"] == locality]
        if shape.empty:
            raise KeyError(f"unknown locality '{locality}'")
        return tuple(float(b) for b in shape.total_bounds)

    @property
    def borough_bounds(self) -> tuple[float, float, float, float]:
        return tuple(float(b) for b in self.pack.layer("borough").total_bounds)

    def locality_shown(self, view: MapView) -> str | None:
        """The locality a map of ``view`` describes: the one it focuses on, or the one it is zoomed to.

        Zoomed to means the extent holds the locality's bounds and they fill most of it, as "Zoom to"
        sets it or with a printed page's margin round it; a wider view shows several localities."""
        if view.focus is not None:
            return view.focus
        if view.extent is None:
            return None
        x0, y0, x1, y1 = view.extent
        for name in loc.NETWORKS:
            if name not in set(self.localities["lsoa21"]):
                continue
            a0, b0, a1, b1 = self.locality_bounds(name)
            inside = x0 - 1 <= a0 and y0 - 1 <= b0 and a1 <= x1 + 1 and b1 <= y1 + 1
            if inside and (a1 - a0) >= ZOOMED_FILL * (x1 - x0) and (b1 - b0) >= ZOOMED_FILL * (y1 - y0):
                return name
        return None

    def locality_shares(self, geography: str, code: str) -> dict[str, float]:
        """An LSOA's share in each locality (largest first, shares above 0.05%) under the assignment."""
        shares = self.assignments[geography].shares
        if code not in shares.index:
            return {}
        row = shares.loc[code].sort_values(ascending=False, kind="stable")
        return {k: float(v) for k, v in row.items() if v > 0.0005}


class IndicatorValues(LocalityAssignment):
    """Indicator values on the locality assignment: a view's layer and classes, cached, and the
    indicators a user adds."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._layer_cache: dict[tuple, IndicatorLayer] = {}
        self._layer_areas: dict = {}  # each geography's areas with their localities, for the layers
        self._classes_cache: dict[tuple, Classes] = {}
        self._summary_cache: dict[tuple, pd.Series] = {}
        self._memo: dict[tuple, object] = {}

    def memo(self, key: tuple, make):
        """``make()`` once per planner: derived tables that depend only on the pack and the assignment."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def layer_for(self, view: MapView) -> IndicatorLayer:
        key = (view.indicator_id, view.period)
        if key not in self._layer_cache:
            self._layer_cache[key] = indicator_layer(self.pack, self.localities, view.indicator_id, view.period,
                                                     self.practice_networks, self._layer_areas)
        return self._layer_cache[key]

    def classes_for(self, view: MapView) -> Classes:
        layer = self.layer_for(view)
        key = (layer.indicator_id, layer.period, view.scheme, view.classes)
        if key not in self._classes_cache:
            self._classes_cache[key] = classify(layer.frame["value"], layer.meta, view.scheme, view.classes,
                                                suppressed=layer.frame["suppressed"])
        classes = self._classes_cache[key]
        locality = self.locality_shown(view)
        if locality is not None:  # a locality's map counts its own areas in the legend
            return classes.counted_within(layer.frame["locality"].eq(locality).to_numpy(), locality)
        return classes

    def sources_for(self, indicator_id: str) -> list[str]:
        return [self.pack.indicator(indicator_id).dataset]

    def add_indicator(self, meta: Indicator, values: pd.DataFrame, dataset) -> None:
        """Add a user's imported indicator (see core.imports.build) so the picker, map and exports see it."""
        self.pack.add_indicator(meta, values, dataset)
        self._memo.clear()
        self._layer_cache.clear()
        self._classes_cache.clear()
        self._summary_cache.clear()


class Planner(IndicatorValues):
    """The planner every screen and export asks: indicator values on the locality assignment, and what
    the details panel and the map's key say of one area or practice."""

    def practice_key(self) -> pd.DataFrame:
        """The practices by map key, as the plan numbers them, with their status now (a copy of the table
        made once: every page's key asks)."""
        def make():
            p = self.pack.practices.copy()
            p["map_key"] = p["map_key"].astype("Int64")
            return p.drop(columns="geometry").sort_values(["map_key", "ods_code"], na_position="last")
        return self.memo(("practice key",), make).copy()

    # -- details -------------------------------------------------------------------------
    def area_at(self, view: MapView, x: float, y: float) -> dict | None:
        """The small area under a map point, with the view's indicator value (None outside the borough).

        For a practice indicator the area is the LSOA 2021 under the point, without a value."""
        layer = self.layer_for(view)
        if layer.is_area:
            frame, geography = layer.frame, layer.geography
        else:
            frame, geography = self.pack.layer("lsoa21"), "lsoa21"
        idx = frame.sindex.query(Point(x, y), predicate="intersects")
        if len(idx) == 0:
            return None
        row = frame.iloc[int(idx[0])].to_dict()
        row.pop("geometry", None)
        row["locality"] = self.localities[geography].get(row["code"])
        row.update(self._membership(geography, row["code"]))
        return {"geography": geography, **row}

    def area(self, geography: str, code: str, view: MapView | None = None) -> dict:
        """One small area as the details panel describes it (with the view's value when it has one)."""
        layer = self.layer_for(view) if view is not None else None
        if layer is not None and layer.geography == geography:
            row = layer.row(code)
        else:
            frame = self.pack.layer(geography)
            row = frame[frame["code"] == code].iloc[0].to_dict()
        row.pop("geometry", None)
        row["locality"] = self.localities[geography].get(code)
        row.update(self._membership(geography, code))
        return {"geography": geography, **row}

    def _membership(self, geography: str, code: str) -> dict:
        """An LSOA's locality shares (and their words) and its estimated split across practices."""
        shares = self.locality_shares(geography, code)
        split = catchments.lsoa_split_text(self.pack, code, self.practice_networks) \
            if catchments.has_model(self.pack) else ""
        return {"locality_shares": shares, "locality_shares_text": loc.shares_text(shares), "catchment_text": split}

    def practice_details(self, ods_code: str, view: MapView | None = None) -> dict:
        """One practice as the map and details panel describe it, with the view's value if it is a
        practice indicator."""
        p = self.pack.practices
        r = p[p["ods_code"] == ods_code].iloc[0]
        status = r["status"]
        status_text = {"active": "Active", "dormant": "Dormant (ODS status)",
                       "closed": f"Closed {r['closed_date'] or ''}".strip()}.get(status, status)
        if status == "dormant":
            # Whether it has a list now is read from the pack's registered list sizes, with their date.
            held = sorted(self.pack.indicator_values("practice_list_size", "practice")
                          .groupby("period")["area_code"].agg(set).items())
            if held and ods_code not in held[-1][1]:
                status_text += f"; no registered list in the {held[-1][0]} list sizes"
        out = {"geography": "practice", "code": ods_code, "name": r["name"], "plan_name": r["plan_name"],
               "map_key": r["map_key"], "locality": self.practice_networks.get(ods_code, r["network"]),
               "status": status, "status_text": status_text,
               "list_size": r["list_size"], "list_size_date": r["list_size_date"],
               "catchment_text": catchments.practice_summary(self.pack, ods_code)
               if catchments.has_model(self.pack) else ""}
        if view is not None:
            layer = self.layer_for(view)
            if not layer.is_area:
                row = layer.row(ods_code) or {}
                out.update({k: row.get(k) for k in ("value", "lower_ci", "upper_ci", "suppressed")})
        return out

    def area_details(self, geography: str, code: str) -> pd.DataFrame:
        """Every indicator held for one area or practice (latest period), with St Helens and England
        for the same period where they can be had (aggregated as METHODS.md says, or published)."""
        from .aggregate import BOROUGH, ENGLAND, aggregate  # aggregate builds on the planner
        from .comparison import publishable

        area_type = "practice" if geography == "practice" else geography
        v = self.pack.values
        columns = ["indicator_id", "indicator", "theme", "period", "value", "lower_ci", "upper_ci", "unit",
                   "borough", "england", "suppressed"]
        mine = v[(v["area_type"] == area_type) & (v["area_code"] == code)]
        if mine.empty:
            return pd.DataFrame(columns=columns)
        latest = mine.sort_values("period").groupby("indicator_id").tail(1)
        # Disclosure control as on the map: the same periods for every area of this kind, each in its
        # locality, so a cell hidden with a neighbour (complementary) is hidden here too.
        wanted = pd.MultiIndex.from_frame(latest[["indicator_id", "period"]])
        peers = v[(v["area_type"] == area_type)
                  & pd.MultiIndex.from_frame(v[["indicator_id", "period"]]).isin(wanted)]
        homes = (self.practice_networks if area_type == "practice"
                 else self.localities.get(geography, pd.Series(dtype=object)))
        counts = [i for i in wanted.get_level_values(0) if value_is_count(self.pack.indicator(i))]
        peers = peers.assign(code=peers["area_code"], locality=peers["area_code"].map(homes),
                             numerator=peers["numerator"].where(~peers["indicator_id"].isin(counts) |
                                                                peers["numerator"].notna(), peers["value"]))
        peers = publishable(peers, mark=None)
        latest = peers[peers["area_code"] == code]
        out = []
        for r in latest.itertuples():
            meta = self.pack.indicator(r.indicator_id)
            key = (r.indicator_id, r.period)
            if key not in self._summary_cache:
                self._summary_cache[key] = publishable(aggregate(self, r.indicator_id, r.period),
                                                       mark=None).set_index("area")["value"]
            summary = self._summary_cache[key]
            out.append({"indicator_id": r.indicator_id, "indicator": meta.name, "theme": meta.theme,
                        "period": r.period, "value": r.value, "lower_ci": r.lower_ci, "upper_ci": r.upper_ci,
                        "unit": meta.unit, "borough": summary.get(BOROUGH, float("nan")),
                        "england": summary.get(ENGLAND, float("nan")), "suppressed": bool(r.suppressed)})
        return pd.DataFrame(out, columns=columns).sort_values(["theme", "indicator"]).reset_index(drop=True)
