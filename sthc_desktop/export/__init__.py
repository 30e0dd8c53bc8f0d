"""The export engine: briefing maps (PDF, SVG, PNG) and locality packs (multi-page PDF),
written atomically. The GUI's Export dialog and ``python main.py export`` both call
:func:`export_map` and :func:`export_pack`, so a button and a command give the same file."""

from .briefing_map import export_map
from .files import DEFAULT_DPI, FORMATS, MAX_DPI, MIN_DPI, PRINT_DPI, ExportCancelled
from .locality_pack import export_pack

__all__ = ["export_map", "export_pack", "ExportCancelled", "FORMATS", "DEFAULT_DPI", "PRINT_DPI",
           "MIN_DPI", "MAX_DPI"]
