"""A map view read back from a file (a workspace, or the settings restored at launch), checked
before the app draws it.

:func:`view_from_dict` checks the saved fields against their declared shape (types, classes
2–9, a known classification scheme, an extent of four finite numbers); a scheme is saved by its id,
and the label files saved before ids were is read as that scheme; :func:`fit_view` then checks them against the pack
open now (an indicator that can be mapped, one of its periods, a classification it allows,
a Care Community, an extent on or near the borough). A bad field falls back to its default
with a one-line note naming the file and the field, so a saved view can never stop the map
drawing or the app starting.
"""

from __future__ import annotations

import json
import math

from .indicators import mappable
from .localities import NETWORKS
from .schema import Field, note, problem_with, read_fields
from .view import DEFAULT_INDICATOR, LAYERS, MapView
from .vocabulary import Scheme, VocabularyError

#: The number of classes a map may have (the panel's range).
CLASS_RANGE = (2, 9)
#: How far (in borough widths) a saved extent may reach beyond the borough.
EXTENT_MARGIN = 1.0
#: Longest saved view accepted from the settings (characters).
SETTINGS_LIMIT = 100_000

_FIELDS = {
    "indicator_id": Field("text", DEFAULT_INDICATOR, optional=False),
    "period": Field("text"),
    "scheme": Field("text"),
    "classes": Field("int", 5, optional=False, low=CLASS_RANGE[0], high=CLASS_RANGE[1]),
    "layers": Field("object"),
    "focus": Field("text", allowed=tuple(NETWORKS)),
    "extent": Field("list"),
}


def view_from_dict(d, path, where: str = "view") -> tuple[MapView, list[str]]:
    """The view ``d`` describes, with every bad field at its default, and a note per bad field."""
    if not isinstance(d, dict):
        problem = "is missing" if d is None else "is not an object"
        return MapView(), [note(path, where, f"{problem}; the default view is used")]
    values, notes = read_fields(d, _FIELDS, where, path)
    if values["scheme"] is not None:
        try:
            values["scheme"] = Scheme.read(values["scheme"])
        except VocabularyError as exc:
            notes.append(note(path, f"{where}.scheme", f"{exc}; the default is used instead"))
            values["scheme"] = None
    layers = {name: True for name in LAYERS}
    for name, shown in (values.pop("layers") or {}).items():
        if name not in LAYERS:
            continue  # a layer this version does not draw
        if isinstance(shown, bool):
            layers[name] = shown
        else:
            notes.append(note(path, f"{where}.layers.{name}", "is not true/false; the layer is shown"))
    extent = values.pop("extent")
    if extent is not None:
        problem = _extent_problem(extent)
        if problem:
            notes.append(note(path, f"{where}.extent", problem + "; the whole borough is shown"))
            extent = None
    return MapView(**values, layers=layers, extent=tuple(float(x) for x in extent) if extent else None), notes


def restored_view(raw, planner, path) -> tuple[MapView | None, list[str]]:
    """The view saved in the settings as JSON text, checked and fitted to ``planner``; None (with the
    reason) if the text is not a view at all."""
    if not isinstance(raw, str) or len(raw) > SETTINGS_LIMIT:
        return None, [note(path, "view/state", "is not a saved view; the default view is used")]
    try:
        d = json.loads(raw)
    except (ValueError, RecursionError):
        return None, [note(path, "view/state", "is not valid JSON; the default view is used")]
    view, notes = view_from_dict(d, path, "view/state")
    view, fit_notes = fit_view(view, planner, path, "view/state")
    return view, notes + fit_notes


def _extent_problem(extent: list) -> str | None:
    if len(extent) != 4:
        return f"has {len(extent)} numbers, not 4 (xmin, ymin, xmax, ymax)"
    for x in extent:
        problem = problem_with(x, Field("number", optional=False))
        if problem:
            return problem
    x0, y0, x1, y1 = extent
    if not (x0 < x1 and y0 < y1):
        return "is not xmin, ymin, xmax, ymax with each minimum below its maximum"
    return None


def fit_view(view: MapView, planner, path, where: str = "view") -> tuple[MapView, list[str]]:
    """``view`` made drawable on ``planner``'s pack: each field it cannot draw back to its default."""
    notes = []
    cat = mappable(planner.pack)
    if view.indicator_id not in set(cat["id"]):
        notes.append(note(path, f"{where}.indicator_id", f"'{view.indicator_id}' is not an indicator of this "
                                                         "pack that the map can draw; the default map is shown"))
        view = view.with_(indicator_id=DEFAULT_INDICATOR if DEFAULT_INDICATOR in set(cat["id"])
                          else cat["id"].iloc[0], period=None, scheme=None)
    meta = planner.pack.indicator(view.indicator_id)
    periods = planner.pack.periods(view.indicator_id)
    if view.period is not None and view.period not in periods:
        notes.append(note(path, f"{where}.period", f"'{view.period}' is not a period of {view.indicator_id} "
                                                   f"({', '.join(periods)}); the latest is shown"))
        view = view.with_(period=None)
    if view.scheme == Scheme.NATIONAL_DECILES and not meta.has_national_deciles:
        notes.append(note(path, f"{where}.scheme", f"national deciles do not apply to {view.indicator_id}; "
                                                   "its default classification is used"))
        view = view.with_(scheme=None)
    if view.extent is not None and not _near(view.extent, planner.borough_bounds):
        notes.append(note(path, f"{where}.extent", "lies far outside the borough; the whole borough is shown"))
        view = view.with_(extent=None)
    return view, notes


def _near(extent, bounds) -> bool:
    bx0, by0, bx1, by1 = bounds
    mx, my = (bx1 - bx0) * EXTENT_MARGIN, (by1 - by0) * EXTENT_MARGIN
    x0, y0, x1, y1 = extent
    inside = bx0 - mx <= x0 and bx1 + mx >= x1 and by0 - my <= y0 and by1 + my >= y1
    return inside and math.isfinite(x1 - x0) and x1 - x0 > 1 and y1 - y0 > 1
