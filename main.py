"""Run the St Helens Cares locality planner: ``python main.py`` opens the app;
``python main.py --help`` lists the commands (build-geodata, indicators, …)."""

import signal
import sys

from sthc_desktop.cli import main

if __name__ == "__main__":
    # Piping a listing into `head` should just stop, not print a BrokenPipeError traceback.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
