"""The sheets a page is printed on: paper sizes and orientations. Plain Python, no matplotlib: the
command line lists them in its help before it loads anything."""

from __future__ import annotations

#: Paper sizes in inches (width × height, portrait), as ISO 216 defines them.
PAPER_SIZES = {"A4": (8.27, 11.69), "A3": (11.69, 16.54)}

ORIENTATIONS = ("portrait", "landscape")


def page_size(paper: str, orientation: str) -> tuple[float, float]:
    """Width and height of the sheet in inches."""
    if paper not in PAPER_SIZES:
        raise ValueError(f"unknown paper size {paper!r}; choose {' or '.join(PAPER_SIZES)}")
    if orientation not in ORIENTATIONS:
        raise ValueError(f"unknown orientation {orientation!r}; choose portrait or landscape")
    w, h = PAPER_SIZES[paper]
    return (w, h) if orientation == "portrait" else (h, w)
