"""An indicator's definition as the app shows it beside the numbers: what it measures, how small
areas are combined into localities (its numerator and denominator where the pack names them), its
source, period, polarity, England's figure and caveats, all read from the pack's catalogue."""

from __future__ import annotations

from sthc_desktop.core.datapack import DataPack


def definition(pack: DataPack, indicator_id: str) -> list[tuple[str, str]]:
    """(label, text) rows for ``indicator_id``; rows the catalogue leaves blank are left out."""
    r = pack.indicator(indicator_id)
    dataset = pack.datasets.get(r.get("dataset"))
    combined = r.get("aggregation") or ""
    if r.get("weight"):
        combined += f", weighted by {r['weight']}"
    rows = [("Measures", f"{r['name']} ({r['unit']})"),
            ("Combined into localities", combined),
            ("Direction", r.get("polarity") or ""),
            ("Period", r.get("period") or ""),
            ("Source", r.get("source") or ""),
            ("Publisher", dataset.publisher if dataset else ""),
            ("England", r.get("england_method") or ""),
            ("St Helens", r.get("borough_method") or ""),
            ("Caveats", r.get("caveats") or "")]
    return [(label, str(text)) for label, text in rows if isinstance(text, str) and text.strip()]
