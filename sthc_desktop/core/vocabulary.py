"""The domain's vocabulary, typed: an :class:`Indicator` (one catalogue row), the closed sets of
words its fields take (polarity, geography, value type, aggregation) and the classification
schemes a map's classes are made by.

Each set is a ``StrEnum`` whose values are the words the data pack stores, so tables and files
keep their text while code compares members; a misspelt member fails at import time. A word
outside a set is refused by :func:`parse` with one line naming the field and the value.
Pure Python: no Qt, matplotlib or pandas.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Mapping, TypeVar


class VocabularyError(ValueError):
    """A word outside its set (or a missing field), said in one line naming the field and the value."""


class _Labelled(StrEnum):
    """A word with the name users see (``label``): each member is written ``ID = "word", "Label"``."""

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


class Polarity(StrEnum):
    """Whether a higher value is better, worse, or neither (then comparisons say higher / lower)."""

    HIGHER_IS_BETTER = "higher is better"
    HIGHER_IS_WORSE = "higher is worse"
    NO_JUDGEMENT = "no judgement"


class Geography(_Labelled):
    """The areas an indicator's values describe in the pack's catalogue."""

    LSOA11 = "lsoa11", "LSOA 2011"
    LSOA21 = "lsoa21", "LSOA 2021"
    PRACTICE = "practice", "GP practice"
    BOROUGH = "borough", "St Helens borough"

    @property
    def is_area(self) -> bool:
        """Small areas (LSOAs), drawn as filled boundaries; practices are points."""
        return self in (Geography.LSOA11, Geography.LSOA21)


class ValueType(StrEnum):
    """What one value is."""

    COUNT = "count"
    PROPORTION = "proportion"
    RATE = "rate"
    SCORE = "score"
    RANK = "rank"
    DECILE = "decile"
    PLAN_MEASURE = "plan measure"


class Aggregation(StrEnum):
    """How a locality's value is made from its small areas or practices (METHODS.md)."""

    SUM = "sum"
    RATIO_OF_SUMS = "ratio of sums"
    POPULATION_WEIGHTED = "population-weighted mean"
    LIST_WEIGHTED = "list-weighted mean"
    NOT_AGGREGATED = "not aggregated"          # ranks and deciles are relative
    DEPRIVATION_PROFILE = "deprivation profile"  # shares of residents or LSOAs in national deciles


class Scheme(_Labelled):
    """A classification scheme, by the id saved in workspaces and settings (its label is what users see)."""

    NATIONAL_DECILES = "national_deciles", "National deciles"
    QUANTILES = "quantiles", "Quantiles"
    NATURAL_BREAKS = "natural_breaks", "Natural breaks (Fisher-Jenks)"
    EQUAL_INTERVAL = "equal_interval", "Equal interval"

    @classmethod
    def read(cls, saved: str) -> "Scheme":
        """The scheme a saved text names: its id, or its label (what files saved before ids held);
        VocabularyError naming the value for anything else."""
        scheme = next((s for s in cls if saved in (s.value, s.label)), None)
        if scheme is None:
            shown = str(saved) if len(str(saved)) <= 40 else str(saved)[:39] + "…"
            raise VocabularyError(f"'{shown}' is not one of: {', '.join(cls)}")
        return scheme


E = TypeVar("E", bound=StrEnum)


def parse(kind: type[E], value, field: str) -> E:
    """``value`` as a member of ``kind``; VocabularyError naming ``field`` and the value otherwise."""
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise VocabularyError(f"{field} '{value}' is not one of: {allowed}") from None


@dataclass(frozen=True)
class Indicator:
    """One indicator as the catalogue describes it (the pack's ``indicators`` table, or an import)."""

    id: str
    name: str
    short_name: str
    theme: str
    unit: str
    polarity: Polarity
    geography: Geography
    dataset: str
    value_type: ValueType
    aggregation: Aggregation
    periods: tuple[str, ...]
    period: str                 # the latest period
    caveats: str = ""
    weight: str = ""            # the indicator whose values weight a population-weighted mean
    multiplier: float = 1.0     # value = numerator / denominator × multiplier
    england_method: str = ""    # how the pack's England row was made
    borough_method: str = ""    # how a published St Helens row was made, where it names the publication
    source: str = ""            # the publisher and dataset, as the catalogue cites them

    @classmethod
    def from_row(cls, row: Mapping) -> "Indicator":
        """The indicator a catalogue row describes; VocabularyError naming the first bad field."""
        missing = [f.name for f in fields(cls)[:10] if _text(row.get(f.name)) == ""]
        if missing:
            raise VocabularyError(f"{missing[0]} is missing")
        multiplier = row.get("multiplier")
        multiplier = 1.0 if multiplier is None or _is_nan(multiplier) else float(multiplier)
        periods = row.get("periods")
        periods = tuple(p for p in _text(periods).split("|") if p) if not isinstance(periods, (tuple, list)) \
            else tuple(periods)
        return cls(id=_text(row["id"]), name=_text(row["name"]), short_name=_text(row["short_name"]),
                   theme=_text(row["theme"]), unit=_text(row["unit"]),
                   polarity=parse(Polarity, row["polarity"], "polarity"),
                   geography=parse(Geography, row["geography"], "geography"), dataset=_text(row["dataset"]),
                   value_type=parse(ValueType, row["value_type"], "value_type"),
                   aggregation=parse(Aggregation, row["aggregation"], "aggregation"),
                   periods=periods, period=_text(row.get("period")) or (periods[-1] if periods else ""),
                   caveats=_text(row.get("caveats")), weight=_text(row.get("weight")), multiplier=multiplier,
                   england_method=_text(row.get("england_method")),
                   borough_method=_text(row.get("borough_method")), source=_text(row.get("source")))

    def to_row(self) -> dict:
        """The catalogue row: the pack's words as plain text, periods joined by '|'."""
        row = {f.name: getattr(self, f.name) for f in fields(self)}
        row.update({k: str(row[k]) for k in ("polarity", "geography", "value_type", "aggregation")})
        row["periods"] = "|".join(self.periods)
        return row

    @property
    def is_area(self) -> bool:
        return self.geography.is_area

    @property
    def has_national_deciles(self) -> bool:
        """Ranks and deciles: classed by England's deciles, so maps of any area and edition compare."""
        return self.value_type in (ValueType.DECILE, ValueType.RANK)


def _is_nan(value) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _text(value) -> str:
    return "" if value is None or _is_nan(value) else str(value)
