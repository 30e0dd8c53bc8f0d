"""What an export is asked to make, and the one check of it that both doors share.

An :class:`ExportRequest` is a plain description of one export: a briefing map, a locality pack
or a national map; the indicator, period, classification, layers, zoom and focus of a map; the
localities and indicators of a pack; the paper, orientation, format, resolution and target file;
and the locality method, supplied lookup and what-if scenario it is made under. The Export dialog
fills one in from its widgets and the document, ``python main.py export`` from its options.

:func:`check` is the only place either door's choices are checked: an unknown indicator, period,
scheme, locality, layer, paper, orientation, format or method, a resolution out of range or a target
that may not be written gives one :class:`~sthc_desktop.core.errors.ExportError` line naming the
field and the bad value. Every export function checks its request before it draws anything, so a
request that fails here never becomes a file. Qt-free.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sthc_desktop.core.errors import DataError, ExportError
from sthc_desktop.core.files import check_target
from sthc_desktop.core.networks import NETWORKS, PACK_METHODS
from sthc_desktop.core.view import LAYERS, MapView
from sthc_desktop.core.vocabulary import Scheme, VocabularyError

from sthc_desktop.render.paper import ORIENTATIONS, PAPER_SIZES

from .files import DEFAULT_DPI, MAX_DPI, MIN_DPI
from .formats import MAP_FORMATS, PACK_FORMATS, PAGE_FORMATS, output_format

if TYPE_CHECKING:
    from sthc_desktop.core.scenarios import Scenario

MAP, PACK, NATIONAL_MAP = "map", "pack", "national map"
KINDS = (MAP, PACK, NATIONAL_MAP)
#: The number of classes a map may have (the classification panel's range).
CLASS_RANGE = (2, 9)

#: The pack's key indicators when none are chosen: deprivation, health, obesity, smoking and
#: admissions, each with an England value to compare against.
DEFAULT_INDICATORS = ("iod19_imd_score", "iod19_income_score", "iod19_employment_score", "iod19_cidr",
                      "iod19_acute_morbidity", "qof_obesity", "qof_smoking", "ae_attendances_0_4",
                      "pop20_65_plus_pct")
#: More rows than this would not fit the key-indicators table of a locality page.
MAX_INDICATORS = 16


@dataclass(frozen=True)
class ExportRequest:
    """One export as a planner asks for it, from the dialog or the command line."""

    kind: str
    out: Path
    format: str | None = None             # None: from ``out``'s suffix
    # -- a map: what it shows ("Zoom to" is ``zoom``; a view panned by hand keeps its ``extent``)
    indicator: str | None = None
    period: str | None = None             # None: the indicator's latest
    scheme: str | None = None             # a scheme's id (or label); None: the indicator's default
    classes: int = 5
    layers: Mapping[str, bool] | None = None  # None: every layer shown
    zoom: str | None = None               # a Care Community the map is zoomed to
    focus: str | None = None              # a Care Community highlighted, the others dimmed
    extent: tuple[float, float, float, float] | None = None
    area: str | None = None               # a national map: "England" or a district's name
    # -- the page
    paper: str = "A4"
    orientation: str = "portrait"
    dpi: int = DEFAULT_DPI
    # -- a pack: the Care Communities and the indicators (ids, a theme, or None for the key ones)
    localities: tuple[str, ...] = tuple(NETWORKS)
    indicators: str | tuple[str, ...] | None = None
    # -- the locality setup it is made under
    method: str | None = None             # None: the pack's best-validated method
    lookup: Mapping | None = None         # a supplied lookup's assignments, used instead of the method
    scenario: Scenario | None = None
    produced: date | None = None          # the "Produced" date printed; None: today
    overwrite: bool = False

    def with_(self, **changes) -> "ExportRequest":
        return replace(self, **changes)

    @property
    def classification(self) -> Scheme | None:
        """The scheme the request names (checked by :func:`check`)."""
        return Scheme.read(self.scheme) if self.scheme is not None else None

    def view(self, planner) -> MapView:
        """The map view the request draws: zoomed to its locality (its bounds on ``planner``) or extent."""
        extent = planner.locality_bounds(self.zoom) if self.zoom else self.extent
        layers = {name: True for name in LAYERS} | dict(self.layers or {})
        return MapView(indicator_id=self.indicator, period=self.period, scheme=self.classification,
                       classes=self.classes, layers=layers, focus=self.focus, extent=extent)


def map_request(view: MapView, out: str | Path, **page) -> ExportRequest:
    """The request for a briefing map of ``view`` (the screen's view, as it is now)."""
    return ExportRequest(MAP, Path(out), indicator=view.indicator_id, period=view.period, scheme=view.scheme,
                         classes=view.classes, layers=dict(view.layers), focus=view.focus, extent=view.extent,
                         **page)


def national_map_request(view, out: str | Path, **page) -> ExportRequest:
    """The request for a national map of ``view`` (the England tab's :class:`NationalView`, as it is now)."""
    return ExportRequest(NATIONAL_MAP, Path(out), indicator=view.indicator_id, scheme=view.scheme,
                         classes=view.classes, area=view.district, **page)


def planner_for(request: ExportRequest, pack):
    """The planner ``request`` is made on: its method or lookup, with its what-if on top."""
    from sthc_desktop.core import scenarios
    _check_method(request)
    return scenarios.apply(pack, request.scenario, request.method, request.lookup)


def check(request: ExportRequest, source) -> ExportRequest:
    """``request`` made definite (format and indicator ids chosen) if ``source`` can make it, else one
    :class:`ExportError` line naming the target file, the field and the bad value.

    ``source`` is the :class:`~sthc_desktop.core.planner.Planner` for a map or a pack, the
    :class:`~sthc_desktop.core.england.England` of an England-scale pack for a national map."""
    out = request.out
    if request.kind not in KINDS:
        raise _unknown(out, "export kind", request.kind, KINDS)
    if request.kind == PACK:
        fmt = output_format(out, request.format, PACK_FORMATS, "locality pack")
        checked = request.with_(format=fmt, localities=_pack_localities(request, source),
                                indicators=tuple(choose_indicators(source, request.indicators, out=out)))
    elif request.kind == MAP:
        fmt = output_format(out, request.format, MAP_FORMATS, "briefing map")
        _check_map(request, source)
        checked = request.with_(format=fmt)
    else:
        fmt = output_format(out, request.format, PAGE_FORMATS, "national map")
        _check_national_map(request, source)
        checked = request.with_(format=fmt)
    _check_method(request)
    if fmt in PAGE_FORMATS:
        if request.paper not in PAPER_SIZES:
            raise _unknown(out, "paper", request.paper, tuple(PAPER_SIZES))
        if request.orientation not in ORIENTATIONS:
            raise _unknown(out, "orientation", request.orientation, ORIENTATIONS)
        if not MIN_DPI <= request.dpi <= MAX_DPI:
            raise ExportError(out, f"resolution {request.dpi} dpi is outside {MIN_DPI}–{MAX_DPI} dpi")
    check_target(out, overwrite=request.overwrite)  # before any page is built, not after
    return checked


def choose_indicators(planner, spec: str | Iterable[str] | None, *, out=None) -> list[str]:
    """Indicator ids from a comma-separated list, a theme name, or None for the key indicators.

    A theme keeps its headline values (scores, rates, percentages), not the rank and decile
    versions of the same measure."""
    from sthc_desktop.core.comparison import indicator_ids  # borough requests only: a national map needs no pandas

    if spec is None:
        known = set(planner.pack.catalogue["id"])
        return [i for i in DEFAULT_INDICATORS if i in known]
    try:
        ids = indicator_ids(planner.pack, spec)  # the same choice rules as `compare`
    except DataError as exc:
        raise ExportError(out, exc.problem) from None
    if len(ids) > MAX_INDICATORS:
        raise ExportError(out, f"{len(ids)} indicators chosen; a pack holds at most {MAX_INDICATORS} "
                               "(list the ones you need with --indicators ID,ID,...)")
    return ids


def _check_method(request: ExportRequest) -> None:
    if request.lookup is not None:
        return  # a supplied lookup's assignments stand in for any method
    if request.method is not None and request.method not in PACK_METHODS:
        raise _unknown(request.out, "method", request.method, PACK_METHODS)


def _unknown(out, field: str, value, choices: Iterable[str]) -> ExportError:
    return ExportError(out, f"unknown {field} '{value}' (choose {', '.join(map(str, choices))})")


def _known_locality(out, field: str, name: str, planner) -> None:
    if name not in NETWORKS:
        raise _unknown(out, field, name, NETWORKS)
    if name not in set(planner.localities["lsoa21"]):  # a supplied lookup may leave one without small areas
        raise ExportError(out, f"{field}: {name} has no LSOAs under the locality assignment in use "
                               f"({planner.assignments['lsoa21'].method})")


def _check_map(request: ExportRequest, planner) -> None:
    from sthc_desktop.core.indicators import mappable

    out, indicator = request.out, request.indicator
    if indicator not in set(planner.pack.catalogue["id"]):
        raise ExportError(out, f"unknown indicator '{indicator}' (see `python main.py indicators`)")
    if indicator not in set(mappable(planner.pack)["id"]):
        raise ExportError(out, f"indicator '{indicator}' is a borough figure and cannot be mapped "
                               f"(use `python main.py compare` or a locality pack)")
    periods = planner.pack.periods(indicator)
    if request.period is not None and request.period not in periods:
        raise ExportError(out, f"unknown period '{request.period}' of indicator '{indicator}' "
                               f"(it has {', '.join(periods)})")
    _check_classes(request)
    for name in request.layers or {}:
        if name not in LAYERS:
            raise _unknown(out, "layer", name, LAYERS)
    for field, name in (("locality", request.zoom), ("focus", request.focus)):
        if name is not None:
            _known_locality(out, field, name, planner)


def _check_classes(request: ExportRequest) -> None:
    try:
        request.classification
    except VocabularyError:
        raise _unknown(request.out, "scheme", request.scheme, Scheme) from None
    low, high = CLASS_RANGE
    if not low <= request.classes <= high:
        raise ExportError(request.out, f"classes {request.classes} is outside {low}–{high}")


def _pack_localities(request: ExportRequest, planner) -> tuple[str, ...]:
    chosen = set(request.localities)
    for name in request.localities:
        _known_locality(request.out, "locality", name, planner)
    if not chosen:
        raise ExportError(request.out, "no localities chosen for the pack")
    return tuple(n for n in NETWORKS if n in chosen)  # in the borough's order, whatever order they came in


def _check_national_map(request: ExportRequest, england) -> None:
    from sthc_desktop.core.england import ENGLAND
    for field, value in (("locality", request.zoom), ("focus", request.focus), ("period", request.period)):
        if value is not None:  # Care Communities are St Helens-only; national maps show IoD2019
            raise ExportError(request.out, f"a national map has no {field} ('{value}' given)")
    try:
        england.meta(request.indicator)
        if request.area is not None and request.area.strip().lower() != ENGLAND.lower():
            england.extent(england.district_name(request.area))
    except KeyError as exc:
        raise ExportError(request.out, exc.args[0]) from None
