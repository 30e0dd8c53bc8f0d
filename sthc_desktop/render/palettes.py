"""Colours: colour-blind-safe sequential palettes oriented so that worse is always darker."""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import to_hex

from sthc_desktop.core.vocabulary import Polarity, ValueType

NO_DATA_COLOUR = "#ffffff"
#: A practice whose value is suppressed (disclosure control): grey, no class.
SUPPRESSED_COLOUR = "#9e9e9e"
NEUTRAL_FILL = "#f4f4f1"

# ColorBrewer sequential schemes are safe for the common colour-vision deficiencies.
JUDGED = "YlOrRd"
UNJUDGED = "Blues"


def class_colours(k: int, polarity: Polarity, value_type: ValueType | str = "") -> list[str]:
    """``k`` colours, class 0 (lowest values) first; darker means worse."""
    if k <= 0:
        return []
    cmap = colormaps[UNJUDGED if polarity == Polarity.NO_JUDGEMENT else JUDGED]
    ramp = [to_hex(cmap(t)) for t in np.linspace(0.12, 0.95, k)]
    # Higher is better (ranks, deciles): the lowest values are the worst, so darkest first.
    return ramp[::-1] if polarity == Polarity.HIGHER_IS_BETTER else ramp
