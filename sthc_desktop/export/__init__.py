"""The export engine: briefing maps (PDF, SVG, PNG), locality packs (multi-page PDF) and the data
behind them, written atomically. The GUI's Export dialog and ``python main.py export`` both describe
what they want as an :class:`ExportRequest` and run it through :func:`export` (on a worker thread,
:class:`ExportJob`), so a button and a command give the same file; :func:`export_map` and
:func:`export_pack` are the same engine called with a view or a list of localities.

Each is imported when first asked for: a command that writes one map does not load every pack
page's modules (and their scipy) before it starts."""

from importlib import import_module

from .files import DEFAULT_DPI, FORMATS, MAX_DPI, MIN_DPI, PRINT_DPI, ExportCancelled

_ENGINES = {"export_map": ".briefing_map", "export_pack": ".locality_pack", "export": ".jobs",
            "ExportJob": ".jobs", "ExportRequest": ".request"}

__all__ = ["export", "ExportJob", "ExportRequest", "export_map", "export_pack", "ExportCancelled", "FORMATS",
           "DEFAULT_DPI", "PRINT_DPI", "MIN_DPI", "MAX_DPI"]


def __getattr__(name: str):
    if name in _ENGINES:
        return getattr(import_module(_ENGINES[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
