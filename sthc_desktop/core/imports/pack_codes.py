"""What the pack knows for checking an import: every code of each level, the ONS 2011 -> 2021
LSOA lookup, which MSOA and ward each LSOA lies in, and the LSOA 2021 polygons for placing
postcode points; worked out once per pack."""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import pandas as pd

from ..datapack import DataPack


@dataclass(frozen=True)
class Codes:
    lsoa11: frozenset
    lsoa21: frozenset
    msoa11: frozenset
    msoa21: frozenset
    ward: frozenset
    practice: frozenset
    children: dict        # LSOA 2011 code -> [(LSOA 2021 code, change)] from the ONS lookup
    msoa_lsoa: dict       # "msoa11"/"msoa21" -> Series LSOA code -> MSOA code
    ward_lsoa: pd.Series  # LSOA 2021 code -> 2022 ward code
    lsoa21_frame: object  # LSOA 2021 polygons, for placing postcode points

    def level_sets(self) -> dict[str, frozenset]:
        return {"lsoa11": self.lsoa11, "lsoa21": self.lsoa21, "msoa": self.msoa11 | self.msoa21,
                "ward": self.ward, "practice": self.practice}


_KNOWN: "weakref.WeakKeyDictionary[DataPack, Codes]" = weakref.WeakKeyDictionary()


def codes(pack: DataPack) -> Codes:
    if pack not in _KNOWN:
        l11, l21 = pack.layer("lsoa11"), pack.layer("lsoa21")
        children: dict[str, list] = {}
        for r in l21[["code", "lsoa11_code", "change_2011"]].itertuples():
            children.setdefault(r.lsoa11_code, []).append((r.code, r.change_2011))
        _KNOWN[pack] = Codes(
            frozenset(l11["code"]), frozenset(l21["code"]), frozenset(pack.layer("msoa11")["code"]),
            frozenset(pack.layer("msoa21")["code"]), frozenset(pack.layer("wards")["code"]),
            frozenset(pack.practices["ods_code"].dropna()), children,
            {"msoa11": pd.Series(l11["msoa_code"].to_numpy(), index=l11["code"].to_numpy()),
             "msoa21": pd.Series(l21["msoa_code"].to_numpy(), index=l21["code"].to_numpy())},
            pd.Series(l21["ward_code"].to_numpy(), index=l21["code"].to_numpy()), l21[["code", "geometry"]])
    return _KNOWN[pack]

