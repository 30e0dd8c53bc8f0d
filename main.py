"""Run the St Helens Cares locality planner: ``python main.py`` opens the app;
``python main.py --help`` lists the commands (build-geodata, indicators, …)."""

import sys

from sthc_desktop.cli import console

if __name__ == "__main__":
    sys.exit(console())
