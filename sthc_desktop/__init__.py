"""St Helens Cares locality planner.

``core`` holds the Qt-free model (data pack, indicators, localities, statistics),
``builder`` turns the official source files into the bundled data pack,
``render`` draws maps and charts with matplotlib, ``export`` writes briefing files,
and ``ui`` is the thin PySide6 layer that wires user actions to the core.
"""

__version__ = "0.1.0"
