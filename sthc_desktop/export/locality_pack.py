"""Export the locality pack: cover, borough overview, one page per Care Community and notes,
as one multi-page PDF written page by page (with progress and a cancel check between pages)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from sthc_desktop.content.pack import PACK_TITLE
from sthc_desktop.core.comparison import indicator_ids
from sthc_desktop.core.errors import DataError, ExportError
from sthc_desktop.core.files import check_target
from sthc_desktop.core.localities import NETWORKS
from sthc_desktop.core.planner import Planner
from sthc_desktop.render.locality_pack import pack_pages

from .files import Progress, write_pdf
from .formats import PACK_FORMATS, SLIDES, SPREADSHEET, output_format

#: The pack's key indicators when none are chosen: deprivation, health, obesity, smoking and
#: admissions, each with an England value to compare against.
DEFAULT_INDICATORS = ("iod19_imd_score", "iod19_income_score", "iod19_employment_score", "iod19_cidr",
                      "iod19_acute_morbidity", "qof_obesity", "qof_smoking", "ae_attendances_0_4",
                      "pop20_65_plus_pct")
#: More rows than this would not fit the key-indicators table of a locality page.
MAX_INDICATORS = 16


def choose_indicators(planner: Planner, spec: str | Iterable[str] | None, *, out=None) -> list[str]:
    """Indicator ids from a comma-separated list, a theme name, or None for the key indicators.

    A theme keeps its headline values (scores, rates, percentages), not the rank and decile
    versions of the same measure."""
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


def export_pack(planner: Planner, out: str | Path, *, localities: Iterable[str] = NETWORKS,
                indicators: Iterable[str] | None = None, progress: Progress | None = None,
                cancelled: Callable[[], bool] | None = None, produced: date | None = None,
                overwrite: bool = False, fmt: str | None = None) -> Path:
    """Write the locality pack PDF: cover + overview + one page per locality + notes; or, by ``fmt`` or
    ``out``'s suffix, its tables as a workbook (xlsx) or a slide deck (pptx).

    ``progress(done, total, label)`` is called after each page and ``cancelled()`` asked before
    each; a cancel raises :class:`~sthc_desktop.export.files.ExportCancelled` and writes nothing.
    An existing ``out`` is replaced only with ``overwrite``; that is checked before any page is built.
    """
    kind = output_format(out, fmt, PACK_FORMATS, "locality pack")
    check_target(out, overwrite=overwrite)
    localities = [n for n in NETWORKS if n in set(localities)]
    if not localities:
        raise ExportError(out, "no localities chosen for the pack")
    empty = [n for n in localities if n not in set(planner.localities["lsoa21"])]
    if empty:  # a supplied lookup may leave a Care Community without small areas
        raise ExportError(out, f"{empty[0]} has no LSOAs under the locality assignment in use "
                               f"({planner.assignments['lsoa21'].method}); leave it out of the pack")
    ids = choose_indicators(planner, list(indicators) if indicators is not None else None, out=out)
    if kind == SPREADSHEET:
        from .spreadsheet import export_pack_workbook
        return export_pack_workbook(planner, out, localities, ids, overwrite=overwrite)
    if kind == SLIDES:
        from .slides import export_pack_slides
        return export_pack_slides(planner, out, localities, ids, produced=produced or date.today(),
                                  progress=progress, cancelled=cancelled, overwrite=overwrite)
    pages = pack_pages(planner, localities, ids, produced=produced or date.today())
    return write_pdf(pages, out, title=PACK_TITLE, progress=progress, cancelled=cancelled, overwrite=overwrite)
