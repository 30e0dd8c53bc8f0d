"""An indicator's definition as the app shows it beside the numbers: what it measures, how small
areas are combined into localities (its numerator and denominator where the pack names them), its
source, period, polarity, England's figure and caveats, all read from the pack's catalogue."""

from __future__ import annotations

from sthc_desktop.core.datapack import DataPack


def definition(pack: DataPack, indicator_id: str) -> list[tuple[str, str]]:
    """(label, text) rows for ``indicator_id``; rows the catalogue leaves blank are left out."""
    r = pack.indicator(indicator_id)
    dataset = pack.datasets.get(r.dataset)
    combined = str(r.aggregation) + (f", weighted by {r.weight}" if r.weight else "")
    rows = [("Measures", f"{r.name} ({r.unit})"),
            ("Combined into localities", combined),
            ("Direction", str(r.polarity)),
            ("Period", r.period),
            ("Source", r.source),
            ("Publisher", dataset.publisher if dataset else ""),
            ("England", r.england_method),
            ("St Helens", r.borough_method),
            ("Caveats", r.caveats)]
    return [(label, text) for label, text in rows if text.strip()]
