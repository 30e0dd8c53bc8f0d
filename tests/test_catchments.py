"""Estimated registrations: the spatial-interaction model, its fit and its validation figures."""

from __future__ import annotations

from math import exp

import numpy as np
import pandas as pd
import pytest

from sthc_desktop.core import catchments as cm


def synthetic_layout():
    """Synthetic: two practices 2 km apart and four small areas on a line (one outside the borough)."""
    origins = pd.DataFrame({"code": ["a1", "a2", "a3", "out"], "name": "synthetic", "district": "synthetic",
                            "x": [0.0, 1000.0, 2000.0, 3000.0], "y": 0.0, "population": [100.0, 200.0, 100.0, 50.0],
                            "imd_score": [10.0, 20.0, 40.0, 60.0], "in_borough": [True, True, True, False]})
    practices = pd.DataFrame({"ods_code": ["A", "B"], "x": [0.0, 2000.0], "y": 0.0, "list_size": [300.0, 100.0],
                              "network": ["North", "South"]})
    return origins, practices


def test_shares_on_a_small_layout_match_a_hand_calculation():
    origins, practices = synthetic_layout()
    model = cm.Model(beta_per_km=1.0, alpha=0.0, outside_competition=2.0, reach_km=10.0)
    est = cm.estimate(origins, practices, model)
    # Huff choice probabilities by hand: weight exp(-km) to each practice; the outside area's
    # residents also have unseen practices worth 2 x the mean attraction (1).
    to_a = {"a1": 1 / (1 + exp(-2)), "a2": 0.5, "a3": exp(-2) / (exp(-2) + 1), "out": exp(-3) / (exp(-3) + exp(-1) + 2)}
    to_b = {"a1": exp(-2) / (1 + exp(-2)), "a2": 0.5, "a3": 1 / (exp(-2) + 1), "out": exp(-1) / (exp(-3) + exp(-1) + 2)}
    pop = dict(zip(origins["code"], origins["population"]))
    flow_a = {k: pop[k] * v for k, v in to_a.items()}
    flow_b = {k: pop[k] * v for k, v in to_b.items()}
    for code in pop:  # scaled so each practice's patients add up to its list size
        assert est.loc[code, "A"] == pytest.approx(300 * flow_a[code] / sum(flow_a.values()))
        assert est.loc[code, "B"] == pytest.approx(100 * flow_b[code] / sum(flow_b.values()))
    shares = cm.locality_shares(est, practices.set_index("ods_code")["network"])
    a2 = est.loc["a2"]
    assert shares.loc["a2", "North"] == pytest.approx(a2["A"] / (a2["A"] + a2["B"]))
    implied = cm.implied_scores(est, origins.set_index("code")["imd_score"])
    assert implied["B"] == pytest.approx(sum(est.loc[c, "B"] * s for c, s in zip(origins["code"], origins["imd_score"]))
                                         / 100)


def test_estimated_patients_add_up_to_each_practice_list_size(pack):
    est = cm.pack_estimates(pack)
    today = cm.current_practices(pack.practices).set_index("ods_code")
    assert len(today) == 28
    np.testing.assert_allclose(est.sum(axis=0).to_numpy(), today.loc[est.columns, "list_size"].to_numpy(),
                               rtol=1e-9)
    # Neighbouring districts' LSOAs are origins too.
    origins = pack.layer(cm.ORIGINS_LAYER)
    assert {"Wigan", "Knowsley", "Warrington"} <= set(origins["district"])
    assert origins["in_borough"].sum() == 119


def test_validation_figures_are_recomputed_from_the_packs_own_rows(pack):
    """Refit from the pack's origins, practices and published scores: the stored rows come back."""
    from sthc_desktop.builder.catchments import catchment_tables
    from sthc_desktop.core.localities import nearest_practice
    nearest = nearest_practice(pack.layer("lsoa11"), "code", pack.practices).localities
    rows, info, _ = catchment_tables(pack.layer(cm.ORIGINS_LAYER), pack.practices, pack.values, nearest,
                                     pack.layer("lsoa21")[["code", "lsoa11_code"]])
    stored = pack.layer(cm.VALIDATION_LAYER)
    pd.testing.assert_frame_equal(rows.reset_index(drop=True), stored[list(rows.columns)], check_dtype=False)
    assert cm.Model.from_info(pack.info) == cm.Model.from_info(info)
    # The network targets are the published practice scores weighted by 2021 list size.
    published = pack.indicator_values("practice_imd_score", "practice", "IMD2019").set_index("area_code")["value"]
    sizes = pack.indicator_values("practice_list_size", "practice", "2021-01-01").set_index("area_code")["value"]
    nets = pack.practices.set_index("ods_code")["network"].reindex(published.index)
    target = (published * sizes).groupby(nets).sum() / sizes.reindex(published.index).groupby(nets).sum()
    net_rows = stored[(stored["level"] == "network") & (stored["fit"] == "no fitting")].set_index("area")
    np.testing.assert_allclose(net_rows.loc[target.index, "published"], target.to_numpy())
    # The figure the statement prints is the mean of the held-out rows.
    held = stored[(stored["method"] == cm.ESTIMATED_REGISTRATIONS) & (stored["fit"] == "leave-one-network-out")]
    assert f"averages {held['abs_error'].mean():.1f} points from" in cm.validation_text(stored,
                                                                                      cm.ESTIMATED_REGISTRATIONS)


def test_the_pack_opens_on_the_best_validated_method_and_names_its_error(pack, planner):
    rows = pack.layer(cm.VALIDATION_LAYER)
    errors = {m: cm.method_error(rows, m) for m in set(rows["method"])}
    best = min(errors, key=errors.get)
    assert pack.info["best_method"] == best == planner.assignments["lsoa21"].method
    assert f"averages {errors[best]:.1f} points from" in planner.assignment_statement
    assert "Best validated" in planner.assignment_statement


def test_fractional_aggregation_of_a_count_equals_the_hand_weighted_sum(pack, planner):
    from sthc_desktop.core.aggregate import aggregate
    shares = planner.assignments["lsoa21"].shares
    assert ((shares > 0) & (shares < 1)).any().any()  # the default method really is fractional
    residents = pack.indicator_values("census21_residents", "lsoa21").set_index("area_code")["value"]
    got = aggregate(planner, "census21_residents").set_index("area")
    for area in ("Central", "Newton & Haydock", "North", "South"):
        assert got.loc[area, "value"] == pytest.approx(sum(shares.loc[c, area] * v for c, v in residents.items()))
    assert sum(got.loc[a, "value"] for a in shares.columns) == pytest.approx(residents.sum())
    # A 2021 LSOA takes the shares of its 2011 parent.
    links = pack.layer("lsoa21").set_index("code")["lsoa11_code"]
    split = links[links.index != links.to_numpy()].index[0]
    assert shares.loc[split].to_dict() == planner.assignments["lsoa11"].shares.loc[links[split]].to_dict()


def test_catchment_view_of_a_practice_and_split_of_an_lsoa(pack, planner):
    est = cm.pack_estimates(pack)
    meta, values, _ = cm.catchment_indicator(pack, "N83019")
    origins = pack.layer(cm.ORIGINS_LAYER).set_index("code")
    inside = est["N83019"][origins.loc[est.index, "in_borough"].to_numpy()]
    assert values["value"].sum() == pytest.approx(inside[inside > 0].sum())
    assert meta.geography == "lsoa11" and "Estimated, not counted" in meta.caveats
    details = planner.practice_details("N83019")
    published = pack.indicator_values("practice_imd_score", "practice", "IMD2019").set_index("area_code")["value"]
    implied = cm.implied_scores(est[["N83019"]], origins["imd_score"]).iloc[0]
    assert f"estimated patients {implied:.1f}, published {published['N83019']:.1f}" in details["catchment_text"]
    split = cm.lsoa_split(pack, "E01006802")
    assert split["patients"].sum() == pytest.approx(est.loc["E01006802"].sum())
    assert split.iloc[0]["ods_code"] == "N83019"  # Billinge's own LSOA: most register at Billinge
    area = planner.area("lsoa21", "E01006802")
    assert area["catchment_text"].startswith("Estimated registrations: Billinge Medical Practice")
    assert area["locality_shares_text"].startswith("North ")


def test_deprivation_profile_counts_residents_by_their_shares(pack, planner):
    from sthc_desktop.core.deprivation import decile_populations
    shares = planner.assignments["lsoa11"].shares
    deciles = pack.indicator_values("iod19_imd_decile", "lsoa11").set_index("area_code")["value"]
    pop = pack.indicator_values("iod19_population_2015", "lsoa11").set_index("area_code")["value"]
    table = decile_populations(planner, "19")
    in_1 = deciles[deciles == 1].index
    for area in shares.columns:
        assert table.loc[area, 1] == pytest.approx((shares.loc[in_1, area] * pop[in_1]).sum())
    assert table.loc["St Helens", 1] == pytest.approx(pop[in_1].sum())
