"""What-if scenarios: move a practice to another network, or an LSOA to another locality.

A :class:`Scenario` has a name and two sets of changes. :func:`apply` turns it into a
:class:`~sthc_desktop.core.planner.Planner` on which every figure re-aggregates: a moved
practice takes its estimated patients (or, under nearest practice, the LSOAs nearest it) and
its own practice figures to the new network; a moved LSOA goes whole to its new locality (a
2011 LSOA takes its 2021 parts with it). The planner's method statement and title name the
scenario, so every screen and export made under it says so. :class:`History` is the plain
undo list the document model keeps; :func:`read_file` / :meth:`Scenario.to_dict` are the small
JSON format of ``--scenario FILE`` and of workspaces. Qt-free.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from . import localities as loc
from .errors import DataError
from .input_files import file_bytes

#: Longest scenario file read (bytes): a scenario is a few lines.
MAX_FILE_BYTES = 1_000_000


@dataclass(frozen=True)
class Scenario:
    name: str
    practices: dict[str, str] = field(default_factory=dict)  # ODS code -> network
    lsoas: dict[str, str] = field(default_factory=dict)      # LSOA 2011 or 2021 code -> locality

    @property
    def empty(self) -> bool:
        return not self.practices and not self.lsoas

    def describe(self, pack=None) -> str:
        """The changes in words: "N83017 Hall Street Medical Centre to North; E01006802 to South"."""
        names = {}
        if pack is not None:
            p = pack.practices
            names = dict(zip(p["ods_code"], p["name"]))
        parts = [f"practice {c}{' ' + names[c] if c in names else ''} to {n}" for c, n in sorted(self.practices.items())]
        parts += [f"LSOA {c} to {n}" for c, n in sorted(self.lsoas.items())]
        return "; ".join(parts) if parts else "no changes"

    def statement(self, pack=None) -> str:
        return f"What-if scenario '{self.name}': {self.describe(pack)}."

    def move_practice(self, ods_code: str, network: str) -> "Scenario":
        return replace(self, practices={**self.practices, ods_code: network})

    def move_lsoa(self, code: str, locality: str) -> "Scenario":
        return replace(self, lsoas={**self.lsoas, code: locality})

    def renamed(self, name: str) -> "Scenario":
        return replace(self, name=name)

    def to_dict(self) -> dict:
        return {"name": self.name, "move_practices": dict(sorted(self.practices.items())),
                "move_lsoas": dict(sorted(self.lsoas.items()))}


def from_dict(data, source=None, known_practices=(), known_lsoas=()) -> Scenario:
    """A scenario from its JSON form, checked: a name, known practices and LSOAs, the four networks.

    Raises :class:`DataError` naming ``source`` and the problem."""
    if not isinstance(data, dict):
        raise DataError(source, "a scenario must be a JSON object with name, move_practices and move_lsoas")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise DataError(source, "the scenario needs a name (text of 1 to 200 characters)", column="name")
    found = {}
    for key, known in (("move_practices", set(known_practices)), ("move_lsoas", set(known_lsoas))):
        moves = data.get(key, {})
        if not isinstance(moves, dict):
            raise DataError(source, f"'{key}' must map codes to Care Community names", column=key)
        checked = {}
        for code, target in moves.items():
            network = loc.network_name(target) if isinstance(target, str) else None
            if network is None:
                raise DataError(source, f"unknown Care Community '{target}' for {code} (expected one of "
                                        f"{', '.join(loc.NETWORKS)})", column=key)
            if known and code not in known:
                what = "practice ODS code" if key == "move_practices" else "St Helens LSOA code"
                raise DataError(source, f"unknown {what} '{code}'", column=key)
            checked[str(code)] = network
        found[key] = checked
    return Scenario(name.strip(), found["move_practices"], found["move_lsoas"])


def read_file(path, pack) -> Scenario:
    """A scenario JSON file (see README), checked against the pack's practices and LSOAs."""
    path = Path(path)
    raw = file_bytes(path, MAX_FILE_BYTES)  # a regular file of sane size: never blocks on a pipe
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise DataError(path, f"cannot be read ({str(exc).splitlines()[0]})") from None
    except json.JSONDecodeError as exc:
        raise DataError(path, f"is not JSON ({exc.msg} at line {exc.lineno})", row=exc.lineno) from None
    except RecursionError:
        raise DataError(path, "is nested too deeply to be a scenario file") from None
    return from_dict(data, path, *known_codes(pack))


def known_codes(pack) -> tuple[set, set]:
    lsoas = set(pack.layer("lsoa11")["code"]) | set(pack.layer("lsoa21")["code"])
    return set(pack.practices["ods_code"].dropna()), lsoas


def apply(pack, scenario: Scenario | None, method: str | None = None,
          base: dict[str, loc.Assignment] | None = None):
    """A planner with the scenario's changes on top of a method (or of ``base``, e.g. a supplied lookup)."""
    from .planner import Planner

    if scenario is None:
        return Planner(pack, base if base is not None else loc.pack_assignments(pack, method) if method else None)
    p = pack.practices
    p = p[p["ods_code"].notna()]
    networks = pd.Series(p["network"].to_numpy(), index=p["ods_code"].to_numpy())
    networks.update(pd.Series(scenario.practices, dtype=object))
    assignments = base if base is not None else loc.pack_assignments(pack, method, networks)
    if scenario.lsoas:
        assignments = _move_lsoas(pack, assignments, scenario.lsoas)
    text = scenario.statement(pack)
    assignments = {v: loc.Assignment(a.method, f"{a.statement} {text}", a.localities, a.weights,
                                     f"{a.name}; what-if '{scenario.name}'") for v, a in assignments.items()}
    return Planner(pack, assignments, practice_networks=networks, scenario=scenario)


def _move_lsoas(pack, assignments: dict[str, loc.Assignment], moves: dict[str, str]) -> dict[str, loc.Assignment]:
    links = pack.layer("lsoa21")[["code", "lsoa11_code"]]
    targets = {"lsoa11": {}, "lsoa21": {}}
    for code, network in moves.items():
        if code in set(links["lsoa11_code"]):
            targets["lsoa11"][code] = network
            for child in links.loc[links["lsoa11_code"] == code, "code"]:
                targets["lsoa21"].setdefault(child, network)
        if code in set(links["code"]):
            targets["lsoa21"][code] = network
    out = {}
    for vintage, a in assignments.items():
        shares = a.shares.copy()
        for code, network in targets.get(vintage, {}).items():
            shares.loc[code] = 0.0
            shares.loc[code, network] = 1.0
        out[vintage] = loc.Assignment(a.method, a.statement, loc.main_localities(shares), shares, a.title)
    return out


class History:
    """The scenario in use and the steps back to the last: a plain undo list for the document model."""

    def __init__(self, scenario: Scenario | None = None):
        self.current = scenario
        self._undo: list[Scenario | None] = []

    def push(self, scenario: Scenario | None) -> None:
        self._undo.append(self.current)
        self.current = scenario

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> Scenario | None:
        self.current = self._undo.pop()
        return self.current


def command_planner(pack, lookup=None, scenario=None, method: str | None = None):
    """The planner a command runs on: the pack's default method (or ``method``), or a supplied
    ``lookup`` CSV, with a ``scenario`` JSON file's changes on top. A bad file raises one
    :class:`DataError` naming it."""
    base = loc.lookup_assignments(pack, lookup) if lookup is not None else None
    return apply(pack, read_file(scenario, pack) if scenario is not None else None, method, base)
