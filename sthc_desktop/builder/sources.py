"""Checked readers for the official source files.

Every reader records the file and its SHA-256 in the :class:`Sources` register (so the
manifest can cite it) and turns any problem into a one-line :class:`SourceError` naming
the file, row and column, never a traceback.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
import tempfile
import zlib
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from sthc_desktop.core.errors import SourceError


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Sources:
    """The source folder, and the register of every file the build read."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        if not self.root.is_dir():
            raise SourceError(self.root, "source folder not found")
        self.used: dict[str, str] = {}

    def path(self, relative: str) -> Path:
        path = self.root / relative
        if not path.is_file():
            raise SourceError(path, "source file is missing")
        self.used.setdefault(relative, sha256(path))
        return path

    def files(self, relatives: list[str]) -> list[dict]:
        """Manifest entries (path and checksum) for files already read."""
        return [{"path": rel, "sha256": self.used[rel]} for rel in relatives if rel in self.used]

    def csv(self, relative: str, columns: list[str], *, key: str | None = None,
            dtype: dict | None = None) -> pd.DataFrame:
        """Read a CSV (plain or gzipped), check its columns and, if given, that ``key`` is unique."""
        path = self.path(relative)
        try:
            frame = pd.read_csv(path, dtype=dtype, encoding="utf-8-sig", low_memory=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError,
                EOFError, OSError, zlib.error, gzip.BadGzipFile) as exc:
            raise SourceError(path, f"cannot be read as CSV ({_first_line(exc)})") from None
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
                        shutil.copyfileobj(packed, fh, 1 << 20)
                    frame = pyogrio.read_dataframe(plain, layer=layer)
            else:
                frame = pyogrio.read_dataframe(path, layer=layer)
        except Exception as exc:  # pyogrio raises several GDAL error types for a damaged file
            raise SourceError(path, f"not a readable GeoPackage layer '{layer}' ({_first_line(exc)})") from None
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise SourceError(path, f"missing column '{missing[0]}' in layer '{layer}'")
        if frame.crs is None or frame.crs.to_epsg() != 27700:
            raise SourceError(path, f"layer '{layer}' is not in EPSG:27700 (found {frame.crs})")
        return frame


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
