"""Quantile and equal-interval breaks are mapclassify's to the last bit, without importing it
(natural breaks still go through mapclassify)."""

from __future__ import annotations

import subprocess
import sys

import mapclassify
import numpy as np
import pytest

from conftest import ROOT
from sthc_desktop.core.classes import classify
from sthc_desktop.core.indicators import mappable
from sthc_desktop.core.vocabulary import Scheme

REFERENCE = {Scheme.QUANTILES: mapclassify.Quantiles, Scheme.EQUAL_INTERVAL: mapclassify.EqualInterval}


@pytest.mark.filterwarnings("ignore:Not enough unique values")
@pytest.mark.parametrize("scheme", [Scheme.QUANTILES, Scheme.EQUAL_INTERVAL])
def test_breaks_of_every_mapped_indicator_are_mapclassifys(pack, scheme):
    checked = 0
    for indicator_id in mappable(pack)["id"]:
        values = pack.indicator_values(indicator_id)["value"].dropna().to_numpy(dtype=float)
        for k in range(2, min(10, len(np.unique(values))) + 1):
            ours = classify(values, pack.indicator(indicator_id), scheme, k)
            bins = REFERENCE[scheme](values, k=k).bins
            assert ours.k == len(bins), (indicator_id, k)
            assert np.array_equal(ours.class_of, np.minimum(np.searchsorted(bins, values, side="left"),
                                                            len(bins) - 1)), (indicator_id, k)
            checked += 1
    assert checked > 500


@pytest.mark.filterwarnings("ignore:Not enough unique values")
def test_ties_and_awkward_counts_give_mapclassifys_breaks():
    from sthc_desktop.core.classes import _equal_interval_bins, _quantile_bins
    made = np.random.default_rng(16)  # synthetic values, made by this test
    for n in (2, 3, 7, 10, 11, 99, 1001):
        for values in (made.normal(size=n) * 1e3, made.integers(0, 5, n).astype(float), made.random(n)):
            for k in range(2, min(12, len(np.unique(values))) + 1):
                assert np.array_equal(_quantile_bins(values, k), mapclassify.Quantiles(values, k=k).bins)
                assert np.array_equal(_equal_interval_bins(values, k), mapclassify.EqualInterval(values, k=k).bins)


def test_quantiles_do_not_import_mapclassify():
    code = ("import sys; from sthc_desktop.core.classes import classify; "
            "from sthc_desktop.core.datapack import DataPack; meta = DataPack().indicator('iod19_imd_score'); "
            "classify([1.0, 2.0, 3.0, 5.0, 8.0], meta, 'quantiles', 3); "
            "classify([1.0, 4.0, 9.0], meta, 'equal_interval', 2); print('mapclassify' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
