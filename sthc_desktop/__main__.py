"""``python -m sthc_desktop [COMMAND] …``: the same as the ``sthc-desktop`` command."""

import sys

from sthc_desktop.cli import console

sys.exit(console())
