"""Opening a file the app is given (an import, a lookup, a workspace, a data pack, a builder
source): it must be a regular file of a sane size before a byte is read.

A named pipe, a device or a folder is refused from ``os.stat`` alone, so a pipe with no writer
can never block the app; a file over its limit is refused before it is read, and a file that
grows while it is read stops at the limit. Each refusal is one :class:`DataError` line naming
the file and the limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import DataError

MB = 1 << 20


def size_words(size: int) -> str:
    return f"{size / MB:,.0f} MB" if size >= MB else f"{size / 1024:,.0f} kB" if size >= 1024 else f"{size} bytes"


def regular_file(path: str | Path, limit: int, action: str = "read", error=DataError) -> int:
    """The size of ``path``, after checking it is a regular file of at most ``limit`` bytes."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise error(path, f"cannot be {action} ({exc.strerror or exc})") from None
    if not stat.S_ISREG(info.st_mode):
        kind = ("a folder" if stat.S_ISDIR(info.st_mode) else "a named pipe" if stat.S_ISFIFO(info.st_mode)
                else "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else "a socket")
        raise error(path, f"cannot be {action}: it is {kind}, not a file")
    if info.st_size > limit:
        raise error(path, f"cannot be {action}: {size_words(info.st_size)} is over the limit of "
                          f"{size_words(limit)}")
    return info.st_size


def file_bytes(path: str | Path, limit: int, action: str = "read", error=DataError) -> bytes:
    """A regular file's bytes (at most ``limit`` of them), or ``error`` saying why it cannot be ``action``."""
    regular_file(path, limit, action, error)
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise error(path, f"cannot be {action} ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise error(path, f"cannot be {action}: it grew past the limit of {size_words(limit)} while being read")
    return data
