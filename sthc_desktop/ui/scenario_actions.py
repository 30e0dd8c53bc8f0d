"""The What-if menu: move a practice to another network or an LSOA to another locality, name the
scenario, undo the last change, clear it; and show a practice's estimated catchment on the map.

Wiring only: the choices come from the planner, the scenario is a
:class:`~sthc_desktop.core.scenarios.Scenario` and the document
(:class:`~sthc_desktop.ui.document.Document`) applies it, so every map, table and chart
re-aggregates from the same planner.
"""

from __future__ import annotations

import pandas as pd
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog

from sthc_desktop.core import catchments
from sthc_desktop.core.localities import NETWORKS
from sthc_desktop.core.scenarios import Scenario

FIRST_NAME = "What-if 1"


def add_menu(window) -> dict[str, QAction]:
    """Add the What-if menu to ``window`` (which has ``model`` and ``_action``); returns its actions."""
    menu = window.menuBar().addMenu("&What-if")
    model = window.model
    actions = {
        "practice": window._action(menu, "Move a &practice to another network…", lambda: move_practice(window)),
        "lsoa": window._action(menu, "Move an &LSOA to another locality…", lambda: move_lsoa(window)),
        "name": window._action(menu, "&Name the scenario…", lambda: rename(window)),
        "undo": window._action(menu, "&Undo the last what-if change", model.undo_scenario, QKeySequence.Undo),
        "clear": window._action(menu, "&Clear the scenario (back to the pack's networks)",
                                lambda: model.set_scenario(None)),
    }

    menu.addSeparator()
    actions["catchment"] = window._action(menu, "Show a practice's estimated &catchment on the map…",
                                          lambda: show_catchment(window))

    def enable(_planner=None):
        actions["undo"].setEnabled(model.history.can_undo)
        actions["clear"].setEnabled(model.scenario is not None)
        actions["name"].setEnabled(model.scenario is not None)

    model.plannerChanged.connect(enable)
    enable()
    return actions


def _scenario(window) -> Scenario | None:
    """The scenario in use, or a new one named by the user (None if they cancel)."""
    if window.model.scenario is not None:
        return window.model.scenario
    name, ok = QInputDialog.getText(window, "Name the what-if scenario", "Scenario name:", text=FIRST_NAME)
    return Scenario(name.strip()) if ok and name.strip() else None


def _network(window, title: str, current: str | None) -> str | None:
    choices = [n for n in NETWORKS if n != current]
    name, ok = QInputDialog.getItem(window, title, "Move to:", choices, 0, False)
    return name if ok else None


def move_practice(window) -> None:
    planner = window.model.planner
    key = planner.practice_key()
    key = key[key["ods_code"].notna() & (key["status"] == "active")]
    networks = planner.practice_networks
    labels = {f"{'' if pd.isna(r.map_key) else f'{int(r.map_key)}: '}{r.name} ({r.ods_code}) — "
              f"{networks.get(r.ods_code, r.network)}": r.ods_code for r in key.itertuples()}
    _move(window, "Move a practice", "Practice:", labels, networks.get,
          lambda scenario, code, network: scenario.move_practice(code, network))


def move_lsoa(window) -> None:
    layer = window.model.planner.pack.layer("lsoa21")
    main = window.model.planner.localities["lsoa21"]
    labels = {f"{r.code} {r.name} — {main.get(r.code)}": r.code for r in layer.sort_values("code").itertuples()}
    _move(window, "Move an LSOA", "LSOA 2021:", labels, main.get,
          lambda scenario, code, network: scenario.move_lsoa(code, network))


def _move(window, title: str, prompt: str, labels: dict[str, str], current, move) -> None:
    """Ask which item (``labels``: shown text -> code) goes to which network, then apply ``move``."""
    label, ok = QInputDialog.getItem(window, title, prompt, list(labels), 0, False)
    if not ok:
        return
    code = labels[label]
    network = _network(window, title, current(code))
    scenario = _scenario(window) if network else None
    if scenario is not None:
        window.model.set_scenario(move(scenario, code, network))


def show_catchment(window) -> None:
    """Map where a practice's estimated patients live (a derived indicator of the planner) and select it,
    so the details panel gives its estimated against published IMD and its list size."""
    planner = window.model.planner
    today = set(catchments.current_practices(planner.pack.practices)["ods_code"])
    key = planner.practice_key()
    labels = {f"{'' if pd.isna(r.map_key) else f'{int(r.map_key)}: '}{r.name} ({r.ods_code})": r.ods_code
              for r in key.itertuples() if r.ods_code in today}
    label, ok = QInputDialog.getItem(window, "Practice catchment", "Practice:", list(labels), 0, False)
    if not ok:
        return
    code = labels[label]
    window.model.add_indicator(*catchments.catchment_indicator(planner.pack, code))  # the picker lists it
    window.model.set_indicator(f"catchment_{code}")
    window.model.select(planner.practice_details(code, window.model.view))


def rename(window) -> None:
    scenario = window.model.scenario
    if scenario is None:
        return
    name, ok = QInputDialog.getText(window, "Name the what-if scenario", "Scenario name:", text=scenario.name)
    if ok and name.strip():
        window.model.set_scenario(scenario.renamed(name.strip()))
