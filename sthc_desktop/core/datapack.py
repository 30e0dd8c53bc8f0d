"""The data pack: one GeoPackage holding boundaries, practices, the indicator catalogue,
indicator values and the provenance of every dataset.

:class:`DataPack` opens a pack (the bundled ``geodata/st_helens.gpkg`` by default),
checks that it has what the app relies on (through SQLite, without pandas), and hands out layers
and values as pandas / geopandas frames, or as plain rows and ring arrays where a national map needs
no more. It knows nothing of Qt.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .bundled_pack import bundled_pack
from .errors import PackError
from .input_files import MB, regular_file
from .rings import RINGS_COLUMNS, RINGS_TABLE, RingArrays, from_geopackage, wkb_of
from .vocabulary import Indicator, VocabularyError

if TYPE_CHECKING:  # frames are made where they are asked for: opening a pack and a national map need no pandas
    import geopandas as gpd
    import pandas as pd

PACK_FORMAT = 1
BOROUGH_CODE = "E08000013"
ENGLAND_CODE = "E92000001"
AREA_TYPES = ("lsoa11", "lsoa21", "practice", "pcn", "borough", "england")
VALUE_COLUMNS = ("indicator_id", "area_type", "area_code", "period", "value", "numerator",
                 "denominator", "lower_ci", "upper_ci")
SPATIAL_LAYERS = ("lsoa11", "lsoa21", "msoa11", "msoa21", "wards", "borough", "neighbours", "practices")
#: In an England-scale pack only (``scope`` "england"): every England LSOA 2011 with its district.
ENGLAND_LAYER = "england_lsoa11"
#: The same LSOAs simplified for drawing all England at once.
ENGLAND_OVERVIEW = "england_lsoa11_overview"
#: Regional benchmarks (North West, Liverpool City Region, Cheshire & Merseyside): the indicator values
#: columns with the benchmark's name, whether the value is published or derived, and how it was made.
BENCHMARK_COLUMNS = ("benchmark", "area_code", "indicator_id", "period", "value", "numerator", "denominator",
                     "lower_ci", "upper_ci", "status", "method")
#: Each benchmark area: its official code, what it holds and from which file, what cannot be built.
BENCHMARK_AREA_COLUMNS = ("benchmark", "area_code", "members", "membership", "not_available")
TABLES = ("networks", "indicators", "indicator_values", "datasets", "key_measures", "pack_info")

#: The columns the app relies on, in each layer or table that must have rows.
REQUIRED_COLUMNS = {
    "lsoa11": ("code", "msoa_code"),
    "lsoa21": ("code", "msoa_code", "ward_code", "lsoa11_code", "change_2011"),
    "msoa11": ("code",), "msoa21": ("code",), "wards": ("code", "name"), "borough": ("code", "name"),
    "practices": ("map_key", "ods_code", "name", "network"),
    "networks": ("network",),
    "indicators": ("id", "name", "short_name", "theme", "unit", "polarity", "geography", "dataset", "value_type",
                   "aggregation", "periods", "period"),
    "indicator_values": VALUE_COLUMNS,
    "datasets": ("dataset", "name", "publisher", "period", "licence", "attribution", "files"),
    "pack_info": ("key", "value"),
}
#: Columns that must hold numbers (their declared type is checked on opening).
NUMERIC_COLUMNS = {"indicator_values": VALUE_COLUMNS[4:], "practices": ("map_key",),
                   "benchmarks": BENCHMARK_COLUMNS[4:9]}
#: SQLite column types GDAL writes for numbers.
NUMERIC_TYPES = ("REAL", "FLOAT", "DOUBLE", "INTEGER", "INT", "MEDIUMINT", "SMALLINT", "TINYINT", "BOOLEAN")
#: Largest pack opened (an England-scale pack is about 60 MB).
SIZE_LIMIT = 4 * 1024 * MB

#: The pack shipped with the app.
BUNDLED_PACK = bundled_pack()


@dataclass(frozen=True)
class Dataset:
    """Provenance of one source dataset, as every screen and export cites it."""

    key: str
    name: str
    publisher: str
    period: str
    licence: str
    attribution: str
    files: tuple[dict, ...]


class DataPack:
    """A read-only view of a data pack file."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else BUNDLED_PACK
        #: Latest key-measure values the user imported this session (see core.plan_progress).
        self.plan_progress: dict[str, dict] = {}
        if not self.path.exists():
            raise PackError(self.path, "data pack not found")
        regular_file(self.path, SIZE_LIMIT, "opened as a data pack", PackError)
        self._layers: dict[str, gpd.GeoDataFrame | pd.DataFrame] = {}
        self._local = threading.local()
        # Checked through SQLite, which a GeoPackage is (GDAL would open the file once for every layer), on
        # one connection.
        with self._connected():
            found = {name for (name,) in self._sql("SELECT table_name FROM gpkg_contents", "not a readable GeoPackage")}
            self._found = found
            missing = [n for n in SPATIAL_LAYERS + TABLES if n not in found]
            if missing:
                raise PackError(self.path, f"not a St Helens data pack: layer '{missing[0]}' is missing")
            for name, columns in REQUIRED_COLUMNS.items():
                self._check_layer(name, columns)
            if self.scope == "england" and ENGLAND_LAYER not in found:
                raise PackError(self.path, f"England-scale pack without its '{ENGLAND_LAYER}' layer")
            if self.scope == "england" and RINGS_TABLE not in found:
                raise PackError(self.path, f"England-scale pack without its '{RINGS_TABLE}' table (built by an earlier "
                                           f"version: build it again with `build-geodata --scope england`)")
            fmt = self.info.get("format")
            if fmt != str(PACK_FORMAT):
                raise PackError(self.path, f"pack format {fmt} is not the format this version reads ({PACK_FORMAT})")
            self._pack_datasets  # checked now, so a damaged table is refused on opening, not mid-export
            self._pack_indicators

    def _check_layer(self, name: str, columns: tuple[str, ...]) -> None:
        """PackError naming the layer unless it has rows and every column the app relies on."""
        quoted = _quoted(name)
        cannot = f"layer '{name}' cannot be read"
        declared = self._sql(f"PRAGMA table_info({quoted})", cannot)
        types = {column: kind.upper() for _, column, kind, *_ in declared}
        if not self._sql(f"SELECT EXISTS (SELECT 1 FROM {quoted})", cannot)[0][0]:
            raise PackError(self.path, f"damaged data pack: layer '{name}' is empty")
        absent = [c for c in columns if c not in types]
        if absent:
            raise PackError(self.path, f"damaged data pack: layer '{name}' has no column '{absent[0]}'")
        for column in NUMERIC_COLUMNS.get(name, ()):
            if types[column] not in NUMERIC_TYPES:
                raise PackError(self.path, f"damaged data pack: column '{column}' of layer '{name}' holds "
                                           f"{types[column].lower() or 'untyped'} values, not numbers")

    # -- raw layers -------------------------------------------------------------------
    def layer(self, name: str) -> gpd.GeoDataFrame | pd.DataFrame:
        """A layer or table by name, read once and cached (with its shapes if it is a map layer)."""
        if name not in self._layers:
            self._layers[name] = self.read(name, geometry=name in SPATIAL_LAYERS + (ENGLAND_LAYER, ENGLAND_OVERVIEW))
        return self._layers[name]

    def read(self, name: str, *, columns: list[str] | None = None, bbox=None,
             geometry: bool = True) -> gpd.GeoDataFrame | pd.DataFrame:
        """A layer, or some of its columns, or the features meeting ``bbox``, read afresh (not cached).

        Read straight from the file's SQLite tables in feature order, each column typed as GDAL's
        GeoPackage driver types it (:func:`_column`), shapes from their GeoPackage blobs: GDAL would
        open the file again for each read (5-15 ms a table). Only a ``bbox`` (the features its spatial
        index finds) or a column type this reader does not know goes through GDAL."""
        with self._connected():
            return self._read(name, columns, bbox, geometry)

    def _read(self, name: str, columns: list[str] | None, bbox, geometry: bool) -> gpd.GeoDataFrame | pd.DataFrame:
        import pandas as pd

        cannot = f"layer '{name}' cannot be read"
        declared = self._sql(f"PRAGMA table_info({_quoted(name)})", cannot)
        types = {column: kind.upper() for _, column, kind, _, _, pk in declared if not pk}
        key = next((column for _, column, _, _, _, pk in declared if pk), "rowid")
        shapes = self._geometry_columns.get(name) if geometry else None
        names = list(columns) if columns is not None else [c for c in types if c != self._geometry_columns.get(name)]
        if bbox is not None or any(_COLUMN_TYPES.get(types.get(c, "").split("(")[0]) is None for c in names):
            return self._gdal(name, columns=columns, bbox=bbox, read_geometry=geometry)
        selected = ", ".join(map(_quoted, names + ([shapes] if shapes else []))) or "NULL"
        rows = self._sql(f"SELECT {selected} FROM {_quoted(name)} ORDER BY {_quoted(key)}", cannot)
        values = list(zip(*rows)) if rows else [()] * (len(names) + bool(shapes))
        try:
            frame = pd.DataFrame({c: _column(v, types[c]) for c, v in zip(names, values)}, columns=names)
            if shapes is None:
                return frame
            import geopandas as gpd  # for map layers only: a command reading tables alone does without it

            return gpd.GeoDataFrame(frame, geometry=_shapes(values[-1]), crs=self._crs(name))
        except (ValueError, TypeError) as exc:  # a value that is not of its column's type, a damaged shape
            raise PackError(self.path, f"{cannot} ({_first_line(exc)})") from None

    def _gdal(self, name: str, **options) -> gpd.GeoDataFrame | pd.DataFrame:
        import pyogrio

        try:
            return pyogrio.read_dataframe(self.path, layer=name, **options)
        except Exception as exc:
            raise PackError(self.path, f"layer '{name}' cannot be read ({_first_line(exc)})") from None

    @cached_property
    def _geometry_columns(self) -> dict[str, str]:
        """Each map layer's column of shapes."""
        return dict(self._sql("SELECT table_name, column_name FROM gpkg_geometry_columns",
                              "not a readable GeoPackage (its geometry columns)"))

    def _crs(self, name: str) -> str | None:
        """A layer's coordinate reference system as GDAL names it: "EPSG:27700", else its WKT; None if undefined."""
        quoted = name.replace("'", "''")
        found = self._sql(f"SELECT s.organization, s.organization_coordsys_id, s.definition FROM gpkg_geometry_columns "
                          f"g JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id WHERE g.table_name = '{quoted}'",
                          f"layer '{name}' cannot be read (its coordinate reference system)")
        if not found:
            return None
        organisation, code, definition = found[0]
        if str(organisation).upper() == "EPSG":
            return f"EPSG:{code}"
        return definition if definition and definition != "undefined" else None

    def records(self, name: str, columns: list[str] | None = None) -> list[dict]:
        """A table's rows as dicts of its ``columns`` (default: all; NULL as None), in feature order,
        straight from SQLite: what opening a pack and a national map read, without pandas."""
        columns = columns or self.columns(name)
        rows = self._sql(f"SELECT {', '.join(map(_quoted, columns))} FROM {_quoted(name)} ORDER BY rowid",
                         f"layer '{name}' cannot be read")
        return [dict(zip(columns, row)) for row in rows]

    def outlines(self, name: str) -> RingArrays:
        """A map layer's (multi)polygons as ring arrays, read from their GeoPackage blobs with numpy (no
        shapely), one area a feature, in feature order."""
        cannot = f"layer '{name}' cannot be read"
        column = self._geometry_columns.get(name)
        if column is None:
            raise PackError(self.path, f"{cannot} (it has no shapes)")
        blobs = self._sql(f"SELECT {_quoted(column)} FROM {_quoted(name)} ORDER BY rowid", cannot)
        try:
            return from_geopackage(blob for (blob,) in blobs)
        except ValueError as exc:
            raise PackError(self.path, f"{cannot} ({_first_line(exc)})") from None

    def ring_rows(self) -> list[tuple]:
        """The rows of the England overview's rings table (see :mod:`~sthc_desktop.core.rings`)."""
        return self._sql(f'SELECT {", ".join(RINGS_COLUMNS)} FROM "{RINGS_TABLE}"',
                         f"layer '{RINGS_TABLE}' cannot be read")

    def _sql(self, sql: str, problem: str) -> list[tuple]:
        """The rows of one SQLite query on the pack, opened read-only; PackError "problem (why)" if it fails."""
        try:
            with self._connected():
                return self._local.connection.execute(sql).fetchall()
        except sqlite3.Error as exc:
            raise PackError(self.path, f"{problem} ({_first_line(exc)})") from None

    @contextmanager
    def _connected(self):
        """The queries inside share one read-only connection: each new one reads the file's schema (170
        tables, indexes and triggers) again, 1-3 ms. It is the calling thread's own and is closed on leaving,
        so no file is held open between reads."""
        if getattr(self._local, "connection", None) is not None:
            yield
            return
        try:
            self._local.connection = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
        except sqlite3.Error as exc:
            raise PackError(self.path, f"not a readable GeoPackage ({_first_line(exc)})") from None
        try:
            yield
        finally:
            self._local.connection.close()
            self._local.connection = None

    def columns(self, name: str) -> list[str]:
        """The attribute columns of a layer (not its feature id or geometry), without reading it."""
        quoted = name.replace("'", "''")
        rows = self._sql(f"SELECT name FROM pragma_table_info('{quoted}') WHERE pk = 0 AND name NOT IN "
                         f"(SELECT column_name FROM gpkg_geometry_columns WHERE table_name = '{quoted}') ORDER BY cid",
                         f"layer '{name}' cannot be read")
        return [column for (column,) in rows]

    @cached_property
    def info(self) -> dict[str, str]:
        return dict(self._sql('SELECT "key", "value" FROM "pack_info"', "pack information cannot be read"))

    # -- what the app asks for ----------------------------------------------------------
    @cached_property
    def practices(self) -> gpd.GeoDataFrame:
        p = self.layer("practices").copy()
        p["map_key"] = p["map_key"].astype("Int64")
        text = p.select_dtypes(include=["object", "string"]).columns
        p[text] = p[text].astype(object).where(p[text].notna(), None)
        return p

    @property
    def networks(self) -> pd.DataFrame:
        return self.layer("networks")

    @property
    def catalogue(self) -> pd.DataFrame:
        """The pack's indicator catalogue plus any indicators the user imported this session."""
        return self._overlay.catalogue if self._overlay.catalogue is not None else self.layer("indicators")

    @property
    def values(self) -> pd.DataFrame:
        return self._overlay.values if self._overlay.values is not None else self.layer("indicator_values")

    @property
    def key_measures(self) -> pd.DataFrame:
        return self.layer("key_measures")

    @cached_property
    def benchmarks(self) -> pd.DataFrame:
        """Regional benchmark values (:data:`BENCHMARK_COLUMNS`); none in a pack built before them."""
        return self._optional("benchmarks", BENCHMARK_COLUMNS)

    @cached_property
    def benchmark_areas(self) -> pd.DataFrame:
        """The regional benchmark areas (:data:`BENCHMARK_AREA_COLUMNS`); none in an older pack."""
        return self._optional("benchmark_areas", BENCHMARK_AREA_COLUMNS)

    def _optional(self, name: str, columns: tuple[str, ...]) -> pd.DataFrame:
        if name not in self._found:
            import pandas as pd
            return pd.DataFrame(columns=list(columns))
        self._check_layer(name, columns)
        return self.layer(name)

    @property
    def datasets(self) -> dict[str, Dataset]:
        return {**self._pack_datasets, **self._overlay.datasets}

    @cached_property
    def _pack_datasets(self) -> dict[str, Dataset]:
        datasets = {}
        for i, r in enumerate(self.records("datasets"), start=1):
            text = [r[c] for c in REQUIRED_COLUMNS["datasets"][:-1]]
            try:
                files = json.loads(r["files"]) if isinstance(r["files"], str) else None
            except (ValueError, RecursionError):
                files = None
            if not all(isinstance(t, str) for t in text) or not isinstance(files, list) \
                    or not all(isinstance(f, dict) for f in files):
                raise PackError(self.path, f"damaged data pack: row {i} of the 'datasets' table is not a dataset "
                                           "(text fields and a JSON list of files)")
            datasets[r["dataset"]] = Dataset(*text, tuple(files))
        return datasets

    @property
    def scope(self) -> str:
        """"borough" (the St Helens pack) or "england" (with every England LSOA and district)."""
        return self.info.get("scope", "borough")

    @property
    def assignment_statement(self) -> str:
        return self.info.get("assignment_statement", "")

    @cached_property
    def _pack_indicators(self) -> dict[str, Indicator]:
        indicators = {}
        for i, r in enumerate(self.records("indicators"), start=1):
            try:
                indicators[r["id"]] = Indicator.from_row(r)
            except VocabularyError as exc:
                raise PackError(self.path, f"damaged data pack: row {i} of the 'indicators' table: {exc}") from None
        return indicators

    def indicator(self, indicator_id: str) -> Indicator:
        """One indicator of the catalogue (the pack's, or one the user imported)."""
        found = self._overlay.indicators.get(indicator_id) or self._pack_indicators.get(indicator_id)
        if found is None:
            raise KeyError(f"unknown indicator '{indicator_id}'")
        return found

    def periods(self, indicator_id: str) -> list[str]:
        return list(self.indicator(indicator_id).periods)

    def indicator_values(self, indicator_id: str, area_type: str | None = None,
                         period: str | None = None) -> pd.DataFrame:
        """Values of one indicator, optionally for one area type and one period."""
        v = self.values
        cached = getattr(self, "_value_rows", (None, {}))  # row positions by indicator, as for indicator()
        if cached[0] is not v:
            groups: dict[str, dict[tuple, np.ndarray]] = {}
            for (ind, kind, when), rows in v.groupby(["indicator_id", "area_type", "period"], sort=False).indices.items():
                groups.setdefault(ind, {})[(kind, when)] = rows
            cached = (v, groups)
            self._value_rows = cached
        parts = [rows for (kind, when), rows in cached[1].get(indicator_id, {}).items()
                 if area_type in (None, kind) and period in (None, when)]
        return v.iloc[np.sort(np.concatenate(parts)) if parts else []]

    def attribution_lines(self, dataset_keys: list[str] | None = None) -> list[str]:
        """The attribution lines a published map must carry: boundaries always, plus the datasets used."""
        keys = ["ons_boundaries"] + [k for k in (dataset_keys or []) if k != "ons_boundaries"]
        return [self.datasets[k].attribution for k in dict.fromkeys(keys) if k in self.datasets]

    # -- indicators the user imported (held in memory; a workspace keeps their files) ------------
    def add_indicator(self, meta: Indicator, values: pd.DataFrame, dataset: Dataset) -> None:
        """Add (or replace) an imported indicator: its catalogue row, values and provenance.

        The pack file is never written; the overlay lasts as long as this object."""
        import pandas as pd

        official = self.layer("indicators")
        if (official["id"] == meta.id).any():
            raise ValueError(f"indicator '{meta.id}' is in the data pack and cannot be replaced")
        overlay = self._overlay
        cat = self.catalogue
        cat = cat[cat["id"] != meta.id]
        saved = meta.to_row()
        row = pd.DataFrame([{c: saved.get(c) for c in official.columns}]).astype(official.dtypes.to_dict())
        overlay.catalogue = pd.concat([cat, row], ignore_index=True)
        vals = self.values
        vals = vals[vals["indicator_id"] != meta.id]
        new = values.assign(indicator_id=meta.id)[list(VALUE_COLUMNS)]
        overlay.values = pd.concat([vals, new.astype(vals.dtypes.to_dict())], ignore_index=True)
        overlay.datasets[dataset.key] = dataset
        overlay.indicators[meta.id] = meta

    @cached_property
    def _overlay(self) -> "_Overlay":
        return _Overlay()


@dataclass
class _Overlay:
    """Imported indicators: the catalogue and values with them appended (None until the first import)."""

    catalogue: pd.DataFrame | None = None
    values: pd.DataFrame | None = None
    datasets: dict = field(default_factory=dict)
    indicators: dict = field(default_factory=dict)


#: How GDAL's GeoPackage driver gives each declared SQLite type (TEXT also as TEXT(n)), and so how
#: :meth:`DataPack.read` gives it: whole numbers and booleans as such unless a value is missing.
_COLUMN_TYPES = {"TEXT": object, "INTEGER": np.int64, "INT": np.int64, "REAL": float, "DOUBLE": float,
                 "BOOLEAN": bool}


def _column(values: tuple, kind: str) -> np.ndarray:
    """One column's values as GDAL gives them: text as strings (missing ones None), real numbers as
    float64, whole numbers as int64 and booleans as bool, or float64 (NaN where missing) once a value is
    missing."""
    dtype = _COLUMN_TYPES[kind.split("(")[0]]
    if dtype in (np.int64, bool) and None in values:
        dtype = float
    return np.array(values, dtype=dtype)


def _shapes(blobs: tuple) -> np.ndarray:
    """Shapes from GeoPackage geometry blobs ("GP", version, flags, SRS id, an envelope, then WKB); None
    stays None."""
    import shapely

    wkb = [None if blob is None else wkb_of(blob) for blob in blobs]
    try:
        return shapely.from_wkb(wkb)
    except shapely.errors.GEOSException as exc:
        raise ValueError(f"a shape cannot be read: {exc}") from None


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
