"""The declared shape of what the app saves and reads back (workspaces, the settings restored at
launch): each field's JSON type, its allowed values or range, and what a bad value becomes.

A field that breaks its declaration is never passed on: :func:`read_fields` gives the field's
default instead and a one-line note naming the file, the field and the problem, so one bad
field costs that field, not the rest of the user's work.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

from .errors import DataError

#: Longest text accepted in a saved field (names, units, periods, column names).
TEXT_LIMIT = 500


@dataclass(frozen=True)
class Field:
    """One field: ``kind`` is "text", "int", "number", "bool", "list" or "object"; ``allowed``
    lists the values accepted (else any of the kind); ``low``/``high`` bound numbers; a
    ``check`` returns a problem for a value of the right kind, or None; ``limit`` caps text."""

    kind: str
    default: Any = None
    optional: bool = True          # None (JSON null) accepted
    allowed: tuple | None = None
    low: float | None = None
    high: float | None = None
    check: Callable[[Any], str | None] | None = None
    limit: int = TEXT_LIMIT        # longest text accepted


_KINDS = {"text": (str,), "int": (int,), "number": (int, float), "bool": (bool,), "list": (list,),
          "object": (dict,)}


def problem_with(value: Any, spec: Field) -> str | None:
    """What is wrong with ``value`` for ``spec``, or None if it is acceptable."""
    if value is None:
        return None if spec.optional else "is missing"
    if not isinstance(value, _KINDS[spec.kind]) or (spec.kind in ("int", "number") and isinstance(value, bool)):
        return f"is {_json_kind(value)}, not {_a(spec.kind)}"
    if spec.kind == "text" and len(value) > spec.limit:
        return f"is {len(value):,} characters long (at most {spec.limit:,})"
    if spec.kind == "number" and not math.isfinite(value):
        return f"is {value}, not a finite number"
    if spec.allowed is not None and value not in spec.allowed:
        return f"'{_short(value)}' is not one of: {', '.join(map(str, spec.allowed))}"
    if spec.low is not None and value < spec.low or spec.high is not None and value > spec.high:
        return f"{value} is outside {spec.low:g}–{spec.high:g}"
    return spec.check(value) if spec.check else None


def read_fields(d: dict, fields: dict[str, Field], where: str, path) -> tuple[dict, list[str]]:
    """Each declared field of ``d`` (its default where missing or bad) and a note per bad field."""
    values, notes = {}, []
    for key, spec in fields.items():
        raw = d.get(key, spec.default)
        problem = problem_with(raw, spec)
        if problem:
            notes.append(note(path, f"{where}.{key}", problem + (f"; {_default_words(spec)} is used instead"
                                                                  if spec.optional or spec.default is not None
                                                                  else "")))
            raw = spec.default
        values[key] = raw
    return values, notes


def note(path, field: str, problem: str) -> str:
    """The one line that names the file, the field and the problem."""
    return DataError(path, f"{field} {problem}").message


def _default_words(spec: Field) -> str:
    return "the default" if spec.default is None else f"'{spec.default}'"


def _json_kind(value: Any) -> str:
    return {bool: "true/false", int: "a whole number", float: "a number", str: "text", list: "a list",
            dict: "an object"}.get(type(value), type(value).__name__)


def _a(kind: str) -> str:
    return {"text": "text", "int": "a whole number", "number": "a number", "bool": "true/false",
            "list": "a list", "object": "an object"}[kind]


def _short(value: Any, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"
