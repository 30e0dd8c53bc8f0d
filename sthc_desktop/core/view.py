"""The current view: which indicator, period, classification, layers, locality focus and
extent a planner is looking at.

A plain dataclass, so the map widget, the export engine, the command line and a saved
workspace all describe a view the same way. The Qt layer wraps it in an observable model.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

from .vocabulary import Scheme

LAYERS = ("lsoa_fill", "localities", "wards", "practices", "borough", "neighbours")
LAYER_NAMES = {
    "lsoa_fill": "Indicator fill (LSOAs)",
    "localities": "Care Community boundaries",
    "wards": "Ward outlines (2022)",
    "practices": "GP practices (map key)",
    "borough": "Borough outline",
    "neighbours": "Neighbouring boroughs",
}
DEFAULT_INDICATOR = "iod19_imd_decile"  # the headline deprivation map: national deciles


@dataclass(frozen=True)
class MapView:
    indicator_id: str = DEFAULT_INDICATOR
    period: str | None = None          # None: the latest period of the indicator
    scheme: Scheme | None = None       # None: the indicator's default (national deciles or quantiles)
    classes: int = 5
    layers: dict = field(default_factory=lambda: {name: True for name in LAYERS})
    focus: str | None = None           # a locality to highlight (others dimmed)
    extent: tuple[float, float, float, float] | None = None  # xmin, ymin, xmax, ymax; None = whole borough

    def with_(self, **changes) -> "MapView":
        return replace(self, **changes)

    def with_layer(self, name: str, visible: bool) -> "MapView":
        if name not in LAYERS:
            raise KeyError(name)
        return replace(self, layers={**self.layers, name: bool(visible)})

    def to_dict(self) -> dict:
        d = asdict(self)
        d["extent"] = list(self.extent) if self.extent else None
        return d
