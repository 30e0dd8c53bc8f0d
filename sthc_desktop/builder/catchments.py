"""The pack's estimated-registrations tables: the LSOAs in reach of St Helens practices and the fit.

Writes ``catchment_origins`` (every England LSOA 2011 within the model's reach of a St Helens
practice, St Helens' own and its neighbours': representative point, district, IoD2019 mid-2015
population and IMD 2019 score) and ``method_validation`` (the per-practice and per-network
errors of each assignment method against Fingertips 93553), and returns the fitted parameters
and the best-validated method for ``pack_info``. The model itself is
:mod:`sthc_desktop.core.catchments`.
"""

from __future__ import annotations

import pandas as pd

from sthc_desktop.core import catchments as cm
from sthc_desktop.core.errors import SourceError

from .england import FILE1, GEO_FILE
from .sources import Sources, numeric

#: The practice figures the model is fitted to, and the list sizes of the same time.
FIT_SCORE = ("practice_imd_score", "IMD2019")
FIT_LIST = ("practice_list_size", "2021-01-01")


def origins(src: Sources, iod2019: pd.DataFrame, practices, borough_codes) -> pd.DataFrame:
    """England LSOAs 2011 within reach of any located practice, with :data:`~cm.ORIGIN_COLUMNS`."""
    boundaries = src.layer(GEO_FILE, "lsoa11", ["lsoa11cd", "lsoa11nm"])
    file1 = src.csv(FILE1, ["LSOA code (2011)", "Local Authority District name (2019)"], key="LSOA code (2011)")
    points = boundaries.geometry.representative_point()
    frame = pd.DataFrame({"code": boundaries["lsoa11cd"].to_numpy(), "name": boundaries["lsoa11nm"].to_numpy(),
                          "x": points.x.round(1).to_numpy(), "y": points.y.round(1).to_numpy()})
    located = practices[practices.geometry.notna()]
    near = cm.distances_km(frame, pd.DataFrame({"x": located.geometry.x, "y": located.geometry.y}))
    frame = frame[near.min(axis=1) <= cm.REACH_KM]
    nat = iod2019.set_index("code")
    path = src.root / "indicators"
    frame["district"] = frame["code"].map(file1.set_index("LSOA code (2011)")["Local Authority District name (2019)"])
    frame["population"] = frame["code"].map(nat["pop2015"])
    frame["imd_score"] = frame["code"].map(
        numeric(nat.reset_index(), "Index of Multiple Deprivation (IMD) Score", path).set_axis(nat.index))
    missing = frame[frame[["district", "population", "imd_score"]].isna().any(axis=1)]
    if len(missing):
        raise SourceError(src.root / GEO_FILE, f"LSOA {missing['code'].iloc[0]} has no IoD2019 population, "
                                               f"score or district")
    frame["in_borough"] = frame["code"].isin(set(borough_codes))
    if frame["in_borough"].sum() != len(borough_codes):
        raise SourceError(src.root / GEO_FILE, "not every St Helens LSOA 2011 is within reach of a practice")
    return frame.sort_values("code").reset_index(drop=True)[list(cm.ORIGIN_COLUMNS)]


def fit_practices(practices, values: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """The practices the model is fitted on (a published IMD 2019 score, a 2021 list and a location)."""
    def series(indicator, period):
        rows = values[(values["indicator_id"] == indicator) & (values["area_type"] == "practice")
                      & (values["period"] == period)]
        return pd.Series(rows["value"].to_numpy(float), index=rows["area_code"].to_numpy())

    published, sizes = series(*FIT_SCORE), series(*FIT_LIST)
    p = practices[practices.geometry.notna() & practices["ods_code"].isin(published.index)
                  & practices["ods_code"].isin(sizes.index)]
    frame = pd.DataFrame({"ods_code": p["ods_code"].to_numpy(), "x": p.geometry.x.to_numpy(),
                          "y": p.geometry.y.to_numpy(), "list_size": p["ods_code"].map(sizes).to_numpy(),
                          "network": p["network"].to_numpy()})
    return frame.sort_values("ods_code").reset_index(drop=True), published


def catchment_tables(origin_frame: pd.DataFrame, practices, values: pd.DataFrame,
                     nearest_localities: pd.Series, links: pd.DataFrame):
    """Fit and validate the model; return the validation rows, the ``pack_info`` entries (fitted
    parameters, best-validated method, its statement) and the best method's locality shares of both
    vintages (None when nearest practice validates better).

    ``nearest_localities`` is the nearest-practice assignment of the borough's LSOAs 2011."""
    fit_on, published = fit_practices(practices, values)
    result = cm.fit(origin_frame, fit_on, published)
    borough = origin_frame[origin_frame["in_borough"]]
    scores = origin_frame.set_index("code")["imd_score"]
    nearest = cm.implied_scores(cm.nearest_practices(borough, fit_on), scores)
    one_hot = pd.get_dummies(nearest_localities).astype(float)
    nearest_net = cm.locality_scores(one_hot, borough.set_index("code")["population"], scores)
    rows = cm.validation_rows(result, nearest, nearest_net)
    info = {**result.model.as_info(), "catchment_fit_on": f"{FIT_SCORE[0]} {FIT_SCORE[1]}; list sizes {FIT_LIST[1]}",
            "best_method": cm.best_method(rows)}
    shares = None
    if info["best_method"] == cm.ESTIMATED_REGISTRATIONS:
        today = cm.current_practices(practices)
        est = cm.estimate(origin_frame, today, result.model)
        shares = cm.vintage_shares(est, today.set_index("ods_code")["network"], borough["code"], links)
        info["assignment_method"] = cm.ESTIMATED_REGISTRATIONS
        info["assignment_statement"] = cm.statement(rows)
    return rows, info, shares
