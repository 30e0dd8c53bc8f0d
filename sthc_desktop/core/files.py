"""Writing a file so that it is either complete or not there at all, and never replaced unasked.

Every file the app writes (briefing maps, locality packs, comparison tables, workspaces, the autosave,
the builder's pack and manifest) goes through :func:`atomic_path` or :func:`write_bytes`::

    with atomic_path(out, overwrite=False) as tmp:   # refuses a target it may not replace
        frame.to_csv(tmp)                            # write the whole file to tmp (same folder)
    # now out is the new file, flushed to disk; on any error out is untouched and tmp is gone

    write_bytes(out, data, overwrite=True)          # the same for bytes already in memory

Before any work is done the target is checked: a symbolic link, a folder, a pipe or a device is
refused, and so is a read-only file; an existing file is replaced only with ``overwrite=True`` (the
command line's ``--overwrite``, or after the app has asked). The new file is written beside the target
under a hidden name, flushed and fsynced, then renamed over it (atomic within a folder), so a crash or
a full disk leaves the old file whole. It gets the user's usual permissions (the umask), not 0600.
Hidden leftovers of earlier crashed writes in the folder are removed. Every refusal or failure is a
:class:`WriteError`, one line naming the file and saying whether the old file was kept.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import shutil
import stat
import time
from contextlib import contextmanager
from pathlib import Path

from .errors import DataError, ExportError

#: Temporary names are ``.<target stem>.<process id>.<random>.part<target suffix>`` (GDAL and other
#: writers choose a format by the suffix).
SUFFIX = ".part"
_OURS = re.compile(r"^\..+\.(\d+)\.[0-9a-f]{12}\.part(\.[^.]+)?$")
#: Earlier versions' temporary names (mkstemp's eight random characters), removed for their own target.
_EARLIER = r"^\.{name}\.[a-z0-9_]{{8}}\.(part|tmp)$"
#: Less space than this left beside a failed write means the disk filled up.
FULL_BELOW = 256 * 1024
#: No temporary file of this process is older than this module.
_LOADED = time.time()


class WriteError(ExportError):
    """A file could not be written, or was not replaced; the old file, if any, is kept."""


def check_target(out: str | Path, *, overwrite: bool = False) -> Path:
    """``out`` if it may be written, else :class:`WriteError`; call before long work, to fail early."""
    out = Path(out)
    if not out.parent.is_dir():
        raise WriteError(out, f"the folder {out.parent} does not exist; nothing was written")
    try:
        st = os.lstat(out)
    except FileNotFoundError:
        return out
    except OSError as exc:
        raise WriteError(out, _problem(exc, False)) from None
    kind = ("a symbolic link" if stat.S_ISLNK(st.st_mode) else "a folder" if stat.S_ISDIR(st.st_mode)
            else None if stat.S_ISREG(st.st_mode) else "not a regular file (a pipe or a device)")
    if kind:
        raise WriteError(out, f"is {kind}; it was not replaced (choose another file name)")
    # Renaming over a file needs only the folder's permission, so a read-only file is refused here.
    if not st.st_mode & 0o222 or not os.access(out, os.W_OK):
        raise WriteError(out, "is read-only; it was not replaced (choose another file name)")
    if not overwrite:
        raise WriteError(out, "already exists; it was not replaced (choose another name, or replace it "
                              "with --overwrite)")
    return out


@contextmanager
def atomic_path(out: str | Path, *, overwrite: bool = False):
    """Yield a path beside ``out`` to write the whole file to; on success it replaces ``out``.

    The path does not exist yet (writers such as SQLite/GDAL must create the file themselves). On any
    error, or if nothing was written to it, ``out`` is left as it was and the temporary file removed.
    """
    out = check_target(out, overwrite=overwrite)
    existed = os.path.lexists(out)
    remove_leftovers(out)
    tmp = out.with_name(f".{out.stem}.{os.getpid()}.{secrets.token_hex(6)}{SUFFIX}{out.suffix}")
    try:
        # Prove the folder is writable before the caller does the work; the writer makes the file anew,
        # so it gets the umask's permissions.
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        os.unlink(tmp)
    except OSError as exc:
        raise WriteError(out, _problem(exc, existed)) from None
    try:
        yield tmp
        _sync(tmp)
        check_target(out, overwrite=overwrite)  # nothing appeared at the target meanwhile
        os.replace(tmp, out)
        _sync_folder(out.parent)
    except OSError as exc:
        _discard(tmp)
        raise WriteError(out, _problem(exc, existed)) from None
    except Exception as exc:
        # Writers report a full disk in their own words (GDAL "Failed to commit transaction", zlib
        # "inconsistent stream state"): tell it by the exception chain or the space left.
        full = not isinstance(exc, DataError) and _disk_full(exc, tmp.parent)
        _discard(tmp)
        if full:
            raise WriteError(out, _problem(OSError(errno.ENOSPC, "No space left on device"), existed)) from None
        raise
    except BaseException:
        _discard(tmp)
        raise


def write_bytes(out: str | Path, data: bytes | str, *, overwrite: bool = False) -> Path:
    """Write ``data`` (text is written as UTF-8) to ``out`` atomically; see :func:`atomic_path`."""
    with atomic_path(out, overwrite=overwrite) as tmp:
        with open(tmp, "xb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(out)


def remove_leftovers(out: str | Path) -> list[Path]:
    """Remove the hidden temporary files that crashed writes (of an earlier run) left in ``out``'s folder.

    Only this module's own names are touched, only those older than this process, and on POSIX only
    those whose writing process is gone; earlier versions' names only for ``out`` itself."""
    out = Path(out)
    earlier = re.compile(_EARLIER.format(name=re.escape(out.name)))
    removed = []
    try:
        entries = list(os.scandir(out.parent))
    except OSError:
        return removed
    for entry in entries:
        ours = _OURS.match(entry.name)
        if not (ours or earlier.match(entry.name)):
            continue
        try:
            if not entry.is_file(follow_symlinks=False) or entry.stat(follow_symlinks=False).st_mtime >= _LOADED:
                continue
            if ours and _running(int(ours.group(1))):
                continue
            os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _running(pid: int) -> bool:
    if os.name != "posix" or pid == os.getpid():
        return False  # Windows has no harmless signal 0; the age test alone decides there
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    return True


def _disk_full(exc: BaseException, folder: Path) -> bool:
    seen = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        seen = seen.__cause__ or seen.__context__
    try:
        return shutil.disk_usage(folder).free < FULL_BELOW
    except OSError:
        return False


def _sync(path: Path) -> None:
    """Flush the written file to the disk, so the rename never exposes a file still in memory."""
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    """Flush the rename itself (POSIX only; a folder cannot be opened on Windows)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the file itself is already on disk
    finally:
        os.close(fd)


def _discard(tmp: Path) -> None:
    try:
        tmp.unlink(missing_ok=True)
    except OSError:
        pass


def _problem(exc: OSError, existed: bool) -> str:
    kept = "the existing file is kept" if existed else "nothing was written"
    if isinstance(exc, FileNotFoundError):
        return f"nothing was written to it ({exc.strerror or exc}); {kept}"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write here: the folder is read-only or you do not have permission; {kept}"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"the disk is full; {kept}"
    return f"cannot be written ({exc.strerror or exc}); {kept}"
