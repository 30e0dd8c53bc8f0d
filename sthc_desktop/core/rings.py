"""Polygons in the form the maps draw them: flat vertex coordinates with the offsets where each
ring and each area (polygon or multipolygon) starts.

:func:`ring_arrays` makes them from shapely geometries. The builder stores the England overview's
in the pack (:data:`RINGS_TABLE`, one row per array, raw bytes), so the national map opens without
reading and converting 32,844 shapes: :func:`from_rows` hands them back with no conversion.
:func:`from_geopackage` reads a few outlines (the borough's) from their GeoPackage blobs with numpy,
so the national map needs no shapely.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

#: The England overview's rings, with the LSOA code of each area (``code``), in an England-scale pack.
RINGS_TABLE = "england_lsoa11_overview_rings"
#: Its columns: array name, numpy dtype, shape (JSON list) and the bytes.
RINGS_COLUMNS = ("name", "dtype", "shape", "data")


@dataclass(frozen=True)
class RingArrays:
    """``coords`` (n x 2); ring i has vertices ``ring_starts[i]`` to ``ring_starts[i + 1]``, area j
    vertices ``starts[j]`` to ``starts[j + 1]`` (rings oriented: outer anticlockwise, holes clockwise)."""

    coords: np.ndarray
    ring_starts: np.ndarray
    starts: np.ndarray

    def __len__(self) -> int:
        return len(self.starts) - 1

    def bounds(self) -> tuple[float, float, float, float]:
        (x0, y0), (x1, y1) = self.coords.min(axis=0), self.coords.max(axis=0)
        return float(x0), float(y0), float(x1), float(y1)

    def area_bounds(self) -> np.ndarray:
        """Each area's bounds, one row (x0, y0, x1, y1) an area; NaN for an area with no vertices (an
        empty shape), which so meets no view."""
        bounds = np.full((len(self), 4), np.nan)
        filled = np.flatnonzero(self.starts[1:] > self.starts[:-1])
        if len(filled):
            # Only the areas with vertices: reduceat gives an empty segment its first vertex's value.
            first = self.starts[filled]
            bounds[filled] = np.hstack([np.minimum.reduceat(self.coords, first),
                                        np.maximum.reduceat(self.coords, first)])
        return bounds

    def vertices_of(self, areas: np.ndarray) -> np.ndarray:
        """The indices of the vertices of ``areas`` (area numbers), area after area, each area's in order:
        a regrouping is one sort of the areas, not of their vertices."""
        lengths = self.starts[areas + 1] - self.starts[areas]
        ends = np.cumsum(lengths)
        total = int(ends[-1]) if len(ends) else 0
        return np.arange(total) + np.repeat(self.starts[areas] - (ends - lengths), lengths)


def ring_arrays(geometries, oriented: bool = False) -> RingArrays:
    """The rings of (multi)polygons, oriented here unless ``oriented`` says they already are."""
    import shapely

    geometries = np.asarray(geometries, dtype=object)
    if not oriented:
        geometries = shapely.orient_polygons(geometries)
    if not len(geometries):  # shapely cannot say what type an empty array is
        return RingArrays(np.empty((0, 2)), np.zeros(1, int), np.zeros(1, int))
    kind, coords, offsets = shapely.to_ragged_array(geometries)
    if kind == shapely.GeometryType.POLYGON:
        ring_starts, first_ring = offsets
    else:
        ring_starts, polygon_offsets, multi_offsets = offsets
        first_ring = polygon_offsets[multi_offsets]
    return RingArrays(coords, ring_starts, ring_starts[first_ring])


#: Bytes of the envelope after a GeoPackage geometry blob's 8-byte header, by the envelope code in its flags.
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def wkb_of(blob) -> bytes:
    """The WKB of a GeoPackage geometry blob ("GP", version, flags, SRS id, an envelope, then WKB);
    ValueError if it is not one."""
    if blob is None:
        raise ValueError("a shape is missing")
    header = isinstance(blob, bytes) and len(blob) >= 8 and blob[:2] == b"GP"
    envelope = _ENVELOPE_BYTES.get((blob[3] >> 1) & 7) if header else None
    if envelope is None:
        raise ValueError("a shape is not a GeoPackage geometry")
    return blob[8 + envelope:]


def from_geopackage(blobs) -> RingArrays:
    """The rings of GeoPackage (multi)polygon blobs (2D), read with numpy and oriented as
    :func:`ring_arrays` orients them: a map's few outlines without shapely. ValueError if a blob is not
    a 2D polygon or multipolygon."""
    rings: list[np.ndarray] = []
    outer: set[int] = set()   # the first ring of each polygon
    first_areas = []          # the first ring of each blob's shape
    for blob in blobs:
        wkb = wkb_of(blob)
        order, kind = _wkb_head(wkb, 0)
        starts = [0] if kind == 3 else None
        if kind == 6:
            at, starts = 9, []
            for _ in range(int(_numbers(wkb, order + "u4", 1, 5)[0])):
                starts.append(at)
                at = _polygon(wkb, at, [])
        if starts is None:
            raise ValueError("a shape is not a polygon or multipolygon")
        first_areas.append(len(rings))
        for start in starts:
            outer.add(len(rings))
            _polygon(wkb, start, rings)
    ring_starts = np.concatenate([[0], np.cumsum([len(r) for r in rings])]).astype(np.int64)
    # Outer rings anticlockwise, holes clockwise (the shoelace sum is positive anticlockwise).
    oriented = [r[::-1] if (_signed_area(r) < 0) == (i in outer) else r for i, r in enumerate(rings)]
    coords = np.concatenate(oriented) if oriented else np.empty((0, 2))
    return RingArrays(coords, ring_starts, ring_starts[first_areas + [len(rings)]])


def _wkb_head(blob: bytes, at: int) -> tuple[str, int]:
    order = "<" if _numbers(blob, "u1", 1, at)[0] == 1 else ">"
    return order, int(_numbers(blob, order + "u4", 1, at + 1)[0])


def _numbers(blob: bytes, dtype: str, count: int, at: int) -> np.ndarray:
    """``count`` numbers of ``dtype`` at offset ``at``; ValueError if the blob ends before them."""
    if at + count * np.dtype(dtype).itemsize > len(blob):
        raise ValueError("a shape is cut short")
    return np.frombuffer(blob, dtype, count, at)


def _polygon(blob: bytes, at: int, rings: list) -> int:
    """Append the rings of the WKB polygon at ``at`` to ``rings``; the offset after it."""
    order, kind = _wkb_head(blob, at)
    if kind != 3:
        raise ValueError("a shape is not a polygon or multipolygon")
    count = int(_numbers(blob, order + "u4", 1, at + 5)[0])
    at += 9
    for _ in range(count):
        points = int(_numbers(blob, order + "u4", 1, at)[0])
        rings.append(_numbers(blob, order + "f8", 2 * points, at + 4).reshape(points, 2).astype(float))
        at += 4 + 16 * points
    return at


def _signed_area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1])) / 2


def to_rows(rings: RingArrays, codes) -> list[tuple[str, str, str, bytes]]:
    """The rows of :data:`RINGS_TABLE` for ``rings`` and their areas' ``codes``."""
    arrays = {"code": np.asarray(codes, dtype=str), "coords": np.ascontiguousarray(rings.coords, dtype=float),
              "ring_starts": rings.ring_starts.astype(np.int64), "starts": rings.starts.astype(np.int64)}
    return [(name, a.dtype.str, json.dumps(list(a.shape)), a.tobytes()) for name, a in arrays.items()]


def from_rows(rows) -> tuple[RingArrays, np.ndarray]:
    """The rings and area codes stored by :func:`to_rows` (ValueError if a row is missing or damaged)."""
    arrays = {}
    for name, dtype, shape, data in rows:
        arrays[name] = np.frombuffer(data, dtype=np.dtype(dtype)).reshape(json.loads(shape))
    missing = {"code", "coords", "ring_starts", "starts"} - set(arrays)
    if missing:
        raise ValueError(f"no '{sorted(missing)[0]}' array")
    rings = RingArrays(arrays["coords"], arrays["ring_starts"], arrays["starts"])
    if len(rings) != len(arrays["code"]) or not rings.starts[-1] == rings.ring_starts[-1] == len(rings.coords):
        raise ValueError("arrays of different lengths")
    return rings, arrays["code"]
