"""Checked readers for the official source files.

Every reader records the file and its SHA-256 in the :class:`Sources` register (so the
manifest can cite it) and turns any problem into a one-line :class:`SourceError` naming
the file, row and column, never a traceback. A source must be a regular file under
:data:`SIZE_LIMIT`; where the previous build's manifest knows its checksum, a file that has
changed since is refused (a damaged or replaced copy) unless the build accepts changed
sources; a plain CSV whose last line is cut short, a damaged gzip, or a cell of the wrong type
is refused. Every source is read before anything is written, so a refusal leaves no output.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import tempfile
import zlib
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from sthc_desktop.core.errors import SourceError
from sthc_desktop.core.input_files import MB, file_bytes, regular_file, size_words

#: Largest source file read (the biggest official file is a few MB; England boundaries ~50 MB).
SIZE_LIMIT = 1024 * MB
#: Largest a gzipped GeoPackage may unpack to.
UNPACKED_LIMIT = 2048 * MB
MANIFEST_LIMIT = 16 * MB


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_checksums(manifest: Path) -> dict[str, str]:
    """Each source path's SHA-256 as a previous build's manifest records it ({} if there is none)."""
    if not manifest.is_file():
        return {}
    try:
        d = json.loads(file_bytes(manifest, MANIFEST_LIMIT, error=SourceError))
        return {str(f["path"]): str(f["sha256"]) for ds in d["datasets"] for f in ds["files"]}
    except (ValueError, KeyError, TypeError, RecursionError):
        raise SourceError(manifest, "the previous build's manifest is damaged; move it away to build afresh") \
            from None


class Sources:
    """The source folder, and the register of every file the build read.

    ``known`` maps source paths to the SHA-256 a previous build recorded; a file that no longer
    matches is refused unless ``accept_changed``."""

    def __init__(self, root: str | Path, known: dict[str, str] | None = None, accept_changed: bool = False):
        self.root = Path(root)
        if not self.root.is_dir():
            raise SourceError(self.root, "source folder not found")
        self.used: dict[str, str] = {}
        self.known = known or {}
        self.accept_changed = accept_changed

    def path(self, relative: str) -> Path:
        path = self.root / relative
        if not path.exists():
            raise SourceError(path, "source file is missing")
        regular_file(path, SIZE_LIMIT, "read as a source", SourceError)
        if relative not in self.used:
            digest = sha256(path)
            expected = self.known.get(relative)
            if expected and digest != expected and not self.accept_changed:
                raise SourceError(path, f"has changed since the last build (SHA-256 {digest[:12]}…, the manifest "
                                        f"records {expected[:12]}…): a damaged or replaced copy? Nothing was "
                                        "written; restore the file, or build with --accept-changed-sources")
            self.used[relative] = digest
        return path

    def files(self, relatives: list[str]) -> list[dict]:
        """Manifest entries (path and checksum) for files already read."""
        return [{"path": rel, "sha256": self.used[rel]} for rel in relatives if rel in self.used]

    def csv(self, relative: str, columns: list[str], *, key: str | None = None,
            dtype: dict | None = None, names: dict[int, str] | None = None) -> pd.DataFrame:
        """Read a CSV (plain or gzipped), check its columns and, if given, that ``key`` is unique.

        ``names`` (column position -> name) reads a file without a header row (ODS epraccur), as text."""
        path = self.path(relative)
        try:
            if names is not None:
                frame = pd.read_csv(path, header=None, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                                    low_memory=False).rename(columns=names)
            else:
                frame = pd.read_csv(path, dtype=dtype, encoding="utf-8-sig", low_memory=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError,
                EOFError, OSError, zlib.error, gzip.BadGzipFile) as exc:
            raise SourceError(path, f"cannot be read as CSV ({_first_line(exc)})") from None
        except (ValueError, TypeError) as exc:  # a cell not of the type ``dtype`` asks for
            raise SourceError(path, f"a cell is not of its column's type ({_first_line(exc)})") from None
        if path.suffix != ".gz":  # a gzip's own checksum catches a cut; a plain file's last line shows it
            _refuse_cut_short(path, len(frame.columns), len(frame) + 1)
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise SourceError(path, f"missing column '{missing[0]}'"
                              f" (the file has {len(frame.columns)} columns; is it the right file?)")
        if key is not None:
            dup = frame[key].duplicated(keep="first")
            if dup.any():
                first = int(dup.to_numpy().nonzero()[0][0])
                raise SourceError(path, f"duplicated {key} '{frame[key].iloc[first]}'",
                                  row=first + 2, column=key)
        return frame

    def layer(self, relative: str, layer: str, columns: list[str]) -> gpd.GeoDataFrame:
        """Read one layer of a GeoPackage in EPSG:27700 and check its columns."""
        path = self.path(relative)
        try:
            if path.suffix == ".gz":
                # A GeoPackage is SQLite and needs random access: unpack it to a temporary file first.
                with tempfile.TemporaryDirectory() as tmp:
                    plain = Path(tmp) / path.stem
                    with gzip.open(path, "rb") as packed, open(plain, "wb") as fh:
                        _copy_bounded(packed, fh, path)
                    frame = pyogrio.read_dataframe(plain, layer=layer)
            else:
                frame = pyogrio.read_dataframe(path, layer=layer)
        except SourceError:
            raise
        except Exception as exc:  # pyogrio raises several GDAL error types for a damaged file
            raise SourceError(path, f"not a readable GeoPackage layer '{layer}' ({_first_line(exc)})") from None
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise SourceError(path, f"missing column '{missing[0]}' in layer '{layer}'")
        if frame.crs is None or frame.crs.to_epsg() != 27700:
            raise SourceError(path, f"layer '{layer}' is not in EPSG:27700 (found {frame.crs})")
        return frame


def _copy_bounded(packed, fh, path: Path) -> None:
    written = 0
    for block in iter(lambda: packed.read(1 << 20), b""):
        written += len(block)
        if written > UNPACKED_LIMIT:
            raise SourceError(path, f"unpacks to more than {size_words(UNPACKED_LIMIT)} (damaged or not the "
                                    "right file)")
        fh.write(block)


def _refuse_cut_short(path: Path, columns: int, lines: int) -> None:
    """SourceError if the file's last line has fewer cells than its header (the file was cut short)."""
    with open(path, "rb") as fh:
        fh.seek(max(0, path.stat().st_size - 65536))
        tail = fh.read().decode("utf-8", errors="replace").splitlines()
    last = next((line for line in reversed(tail) if line.strip()), "")
    cells = next(csv.reader([last]), [])
    if len(cells) < columns:
        raise SourceError(path, f"the last line has {len(cells)} of the header's {columns} cells: the file was "
                                "cut short (truncated copy?)", row=lines)


def numeric(frame: pd.DataFrame, column: str, path: str | Path, *, allow_missing: bool = True) -> pd.Series:
    """A column as numbers; thousands separators (``"29,199"``) are removed first.

    A cell that is not a number raises a :class:`SourceError` naming its row.
    """
    raw = frame[column]
    text = raw.astype("string").str.replace(",", "", regex=False).str.strip()
    values = pd.to_numeric(text, errors="coerce")
    bad = values.isna() & text.notna() & (text != "") & (text.str.upper() != "NA")
    if not allow_missing:
        bad |= values.isna()
    if bad.any():
        first = int(bad.to_numpy().nonzero()[0][0])
        raise SourceError(path, f"'{raw.iloc[first]}' is not a number", row=first + 2, column=column)
    return values.astype("float64")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
