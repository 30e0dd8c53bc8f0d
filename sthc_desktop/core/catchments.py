"""Estimated registrations: where each practice's registered patients are likely to live.

No patients-by-LSOA file is available offline, so this module estimates one with the
spatial-interaction model of METHODS.md ("Estimated registrations"). Residents of LSOA i
choose practice j with weight ``S_j · exp(−β·d_ij)`` (``S_j = list size^α``; d in km between
the LSOA's representative point and the practice's postcode centroid; practices beyond the
reach get no weight), normalised over the practices in reach (Huff). The LSOAs of
neighbouring districts are origins too, but their residents also have practices outside
St Helens that the pack does not hold, so their normalisation adds a fitted term
``κ·mean(S)`` for those unseen practices. The flows are then scaled so each practice's
estimated patients add up to its list size (destination-constrained).

:func:`fit` chooses β, α and κ on a fixed grid by the mean absolute error of the implied
practice IMD 2019 scores against Fingertips 93553; because every grid point's implied
scores are kept, leave-one-practice-out (refit without practice k, predict k) and
leave-one-network-out cost nothing more. :func:`validation_rows` gives the figures every
method is judged on. Qt-free; the builder stores the fit and its validation in the pack.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from .datapack import Dataset
from .errors import PackError
from .localities import ESTIMATED_REGISTRATIONS, NETWORKS, Assignment, main_localities, method_label
from .vocabulary import Aggregation, Geography, Indicator, Polarity, ValueType


#: Columns of the pack's ``catchment_origins`` table (one row per LSOA 2011 in reach).
ORIGIN_COLUMNS = ("code", "name", "district", "x", "y", "population", "imd_score", "in_borough")
#: Columns of the pack's ``method_validation`` table: one row per method, level and area.
VALIDATION_COLUMNS = ("method", "level", "fit", "area", "published", "implied", "abs_error")

#: The grid :func:`fit` searches (β per km, α, κ); reach is fixed.
BETAS = tuple(round(0.5 + 0.1 * i, 1) for i in range(21))
ALPHAS = (0.0, 0.5, 1.0)
KAPPAS = (0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 1000.0)
REACH_KM = 12.0


@dataclass(frozen=True)
class Model:
    """The fitted parameters of the estimated-registrations model."""

    beta_per_km: float
    alpha: float
    outside_competition: float
    reach_km: float = REACH_KM

    def describe(self) -> str:
        size = f" × list size^{self.alpha:g}" if self.alpha else ", size adding no pull"
        return (f"weight exp(−{self.beta_per_km:g}·km){size}, within {self.reach_km:g} km; practices outside "
                f"St Helens weigh κ = {self.outside_competition:g} for neighbouring districts' residents")

    def as_info(self) -> dict[str, str]:
        return {f"catchment_{k}": repr(float(v)) for k, v in asdict(self).items()}

    @classmethod
    def from_info(cls, info: dict[str, str]) -> "Model":
        return cls(**{k: float(info[f"catchment_{k}"]) for k in asdict(cls(0, 0, 0))})


def distances_km(origins: pd.DataFrame, practices: pd.DataFrame) -> np.ndarray:
    """Straight-line distances (km, British National Grid) from each origin to each practice."""
    dx = origins["x"].to_numpy(float)[:, None] - practices["x"].to_numpy(float)[None, :]
    dy = origins["y"].to_numpy(float)[:, None] - practices["y"].to_numpy(float)[None, :]
    return np.hypot(dx, dy) / 1000.0


def _flows(d: np.ndarray, population: np.ndarray, outside: np.ndarray, sizes: np.ndarray,
           model: Model) -> np.ndarray:
    attraction = sizes ** model.alpha
    kernel = np.where(d <= model.reach_km, attraction[None, :] * np.exp(-model.beta_per_km * d), 0.0)
    total = kernel.sum(axis=1) + model.outside_competition * attraction.mean() * outside
    chosen = np.divide(kernel, total[:, None], out=np.zeros_like(kernel), where=total[:, None] > 0)
    flows = population[:, None] * chosen
    drawn = flows.sum(axis=0)
    # A practice no resident can reach keeps no patients rather than dividing by zero.
    return flows * np.divide(sizes, drawn, out=np.zeros_like(drawn), where=drawn > 0)[None, :]


def estimate(origins: pd.DataFrame, practices: pd.DataFrame, model: Model,
             d: np.ndarray | None = None) -> pd.DataFrame:
    """Estimated registered patients: rows the origins' codes, columns the practices' ODS codes.

    ``origins`` has :data:`ORIGIN_COLUMNS`; ``practices`` has ``ods_code``, ``x``, ``y`` and
    ``list_size``. Each column sums to the practice's list size (0 if no origin is in reach)."""
    d = distances_km(origins, practices) if d is None else d
    flows = _flows(d, origins["population"].to_numpy(float), ~origins["in_borough"].to_numpy(bool),
                   practices["list_size"].to_numpy(float), model)
    return pd.DataFrame(flows, index=pd.Index(origins["code"].to_numpy(), name="code"),
                        columns=pd.Index(practices["ods_code"].to_numpy(), name="ods_code"))


def implied_scores(estimates: pd.DataFrame, scores: pd.Series) -> pd.Series:
    """Each practice's IMD score implied by its estimated patients (METHODS.md "Practice deprivation")."""
    s = scores.reindex(estimates.index).to_numpy(float)
    e = estimates.to_numpy(float)
    total = e.sum(axis=0)
    value = np.divide((e * s[:, None]).sum(axis=0), total, out=np.full(total.shape, np.nan), where=total > 0)
    return pd.Series(value, index=estimates.columns)


def locality_shares(estimates: pd.DataFrame, networks: pd.Series) -> pd.DataFrame:
    """Share of each origin's estimated patients registered with each network (rows sum to 1).

    ``networks`` maps ODS code -> network; the columns are the networks in first-seen order.
    Origins with no estimated patient get a row of zeros."""
    names = list(dict.fromkeys(networks.reindex(estimates.columns)))
    by_network = estimates.T.groupby(networks.reindex(estimates.columns).to_numpy()).sum().T
    by_network = by_network.reindex(columns=names, fill_value=0.0)
    total = by_network.sum(axis=1)
    return by_network.div(total.where(total > 0), axis=0).fillna(0.0)


def locality_scores(shares: pd.DataFrame, population: pd.Series, scores: pd.Series) -> pd.Series:
    """Locality score with fractional membership (METHODS.md): Σ w·pop·s / Σ w·pop per column."""
    w = shares.mul(population.reindex(shares.index), axis=0)
    return w.mul(scores.reindex(shares.index), axis=0).sum() / w.sum()


def nearest_practices(origins: pd.DataFrame, practices: pd.DataFrame) -> pd.DataFrame:
    """Each origin whole to its nearest practice (ties to the first column), as an estimates-shaped table."""
    d = distances_km(origins, practices)
    one_hot = np.zeros_like(d)
    one_hot[np.arange(len(d)), np.argmin(d, axis=1)] = origins["population"].to_numpy(float)
    return pd.DataFrame(one_hot, index=pd.Index(origins["code"].to_numpy(), name="code"),
                        columns=pd.Index(practices["ods_code"].to_numpy(), name="ods_code"))


def network_published(published: pd.Series, practices: pd.DataFrame) -> pd.Series:
    """The networks' registered-patient IMD: published practice scores weighted by list size."""
    p = practices.set_index("ods_code")
    w = p["list_size"] * published.reindex(p.index).notna()
    return (published.reindex(p.index) * w).groupby(p["network"]).sum() / w.groupby(p["network"]).sum()


@dataclass(frozen=True)
class Fit:
    model: Model
    practices: pd.DataFrame  # ods_code, network, list_size, published, fitted, loo (leave-one-practice-out)
    networks: pd.DataFrame   # network, published, fitted, lono (leave-one-network-out)


def fit(origins: pd.DataFrame, practices: pd.DataFrame, published: pd.Series) -> Fit:
    """Fit β, α, κ on the grid to the published practice scores; keep in-sample and held-out predictions.

    ``practices`` (ods_code, x, y, list_size, network) are the destinations; ``published`` maps
    ODS code -> published IMD 2019 score (every practice needs one). The network figure is the
    locality average of the borough's LSOAs with the model's shares, as the app shows it."""
    origins = origins.reset_index(drop=True)
    practices = practices.reset_index(drop=True)
    target = published.reindex(practices["ods_code"]).to_numpy(float)
    d = distances_km(origins, practices)
    scores = pd.Series(origins["imd_score"].to_numpy(float), index=origins["code"])
    borough = origins[origins["in_borough"].astype(bool)]
    networks = practices.set_index("ods_code")["network"]
    network_target = network_published(published, practices)
    names = list(network_target.index)
    grid = [Model(b, a, k) for b, a, k in itertools.product(BETAS, ALPHAS, KAPPAS)]
    implied = np.empty((len(grid), len(practices)))
    localities = np.empty((len(grid), len(names)))
    for g, model in enumerate(grid):
        est = estimate(origins, practices, model, d)
        implied[g] = implied_scores(est, scores).to_numpy()
        shares = locality_shares(est.loc[borough["code"]], networks)
        localities[g] = locality_scores(shares, borough.set_index("code")["population"],
                                        scores).reindex(names).to_numpy()
    errors = np.abs(implied - target[None, :])
    best = int(np.argmin(errors.mean(axis=1)))  # the first on ties: the grid's order is fixed
    loo = np.array([implied[int(np.argmin(np.delete(errors, k, axis=1).mean(axis=1))), k]
                    for k in range(len(practices))])
    lono = []
    for i, name in enumerate(names):
        keep = (practices["network"] != name).to_numpy()
        lono.append(localities[int(np.argmin(errors[:, keep].mean(axis=1))), i])
    table = practices[["ods_code", "network", "list_size"]].assign(published=target, fitted=implied[best],
                                                                   loo=loo)
    nets = pd.DataFrame({"network": names, "published": network_target.to_numpy(),
                         "fitted": localities[best], "lono": lono})
    return Fit(grid[best], table, nets)


def _rows(method: str, level: str, how: str, areas, published, implied) -> list[dict]:
    return [dict(method=method, level=level, fit=how, area=a, published=float(p), implied=float(v),
                 abs_error=abs(float(v) - float(p)) if pd.notna(v) else np.nan)
            for a, p, v in zip(areas, published, implied)]


def validation_rows(result: Fit, nearest_practice: pd.Series, nearest_network: pd.Series) -> pd.DataFrame:
    """The per-area validation rows of :data:`VALIDATION_COLUMNS` for estimated registrations (in-sample,
    leave-one-practice-out, leave-one-network-out) and the nearest-practice method (practice scores
    implied by the LSOAs nearest each practice; locality averages)."""
    p, n = result.practices, result.networks
    rows = (_rows(ESTIMATED_REGISTRATIONS, "practice", "in-sample", p["ods_code"], p["published"], p["fitted"])
            + _rows(ESTIMATED_REGISTRATIONS, "practice", "leave-one-practice-out", p["ods_code"], p["published"],
                    p["loo"])
            + _rows(ESTIMATED_REGISTRATIONS, "network", "list-weighted leave-one-practice-out", n["network"],
                    n["published"], network_published(p.set_index("ods_code")["loo"], p).reindex(n["network"]))
            + _rows(ESTIMATED_REGISTRATIONS, "network", "in-sample", n["network"], n["published"], n["fitted"])
            + _rows(ESTIMATED_REGISTRATIONS, "network", "leave-one-network-out", n["network"], n["published"],
                    n["lono"])
            + _rows("nearest practice", "practice", "no fitting", p["ods_code"], p["published"],
                    nearest_practice.reindex(p["ods_code"]).to_numpy())
            + _rows("nearest practice", "network", "no fitting", n["network"], n["published"],
                    nearest_network.reindex(n["network"]).to_numpy()))
    return pd.DataFrame(rows, columns=list(VALIDATION_COLUMNS))


def mean_errors(rows: pd.DataFrame) -> pd.DataFrame:
    """Mean absolute error per method, level and fit, with how many areas it covers."""
    return (rows.groupby(["method", "level", "fit"], sort=False)["abs_error"]
            .agg(mae="mean", areas="count").reset_index())


# -- the pack's model: today's practices, both LSOA vintages ---------------------------------------

ORIGINS_LAYER = "catchment_origins"
VALIDATION_LAYER = "method_validation"


def current_practices(practices) -> pd.DataFrame:
    """Today's practices as destinations: active, located, with their latest registered list size."""
    p = practices[(practices["status"] == "active") & practices.geometry.notna() & practices["list_size"].notna()]
    return pd.DataFrame({"ods_code": p["ods_code"].to_numpy(), "x": p.geometry.x.to_numpy(),
                         "y": p.geometry.y.to_numpy(), "list_size": p["list_size"].to_numpy(float),
                         "network": p["network"].to_numpy()}).sort_values("ods_code").reset_index(drop=True)


def pack_cached(pack, key: str, make):
    """``make()`` once per pack: what depends only on the pack's own rows (a what-if re-uses it)."""
    cache = pack.__dict__.setdefault("_catchment_cache", {})
    if key not in cache:
        cache[key] = make()
    return cache[key]


def pack_estimates(pack) -> pd.DataFrame:
    """Estimated patients of today's practices by LSOA 2011 (St Helens and neighbours)."""
    return pack_cached(pack, "estimates", lambda: estimate(pack.layer(ORIGINS_LAYER), pack_practices(pack),
                                                           Model.from_info(pack.info)))


def pack_practices(pack) -> pd.DataFrame:
    """:func:`current_practices` of the pack's practices (made once per pack)."""
    return pack_cached(pack, "practices", lambda: current_practices(pack.practices))


def method_errors(rows: pd.DataFrame) -> dict[str, float]:
    """Each method's held-out network error from validation rows: mean absolute difference, in IMD 2019
    points, between its locality averages and the networks' registered-patient IMD (leave-one-network-out
    when fitted; a method's first such row)."""
    s = mean_errors(rows)
    s = s[(s["level"] == "network") & s["fit"].isin(["leave-one-network-out", "no fitting"])]
    return {m: float(e) for m, e in zip(s["method"].to_numpy()[::-1], s["mae"].to_numpy()[::-1])}


def method_error(rows: pd.DataFrame, method: str) -> float:
    """One method's held-out network error (:func:`method_errors`; NaN without one)."""
    return method_errors(rows).get(method, float("nan"))


def best_method(rows: pd.DataFrame, errors: dict[str, float] | None = None) -> str:
    """The method with the smallest held-out network error (by name on a tie); ``errors`` as
    :func:`method_errors` gives them, if already made."""
    errors = method_errors(rows) if errors is None else errors
    return min(sorted(set(rows["method"])), key=lambda m: (errors.get(m, float("nan")), m))


def validation_text(rows: pd.DataFrame, method: str, error: float | None = None) -> str:
    """One sentence naming a method's validation error beside the other methods' (for method notes and
    the method chooser); ``error`` is given for an assignment judged now (a lookup) rather than in the
    pack's rows."""
    by_method = method_errors(rows)
    error = by_method.get(method, float("nan")) if error is None else error
    if np.isnan(error):
        return ""
    details = []
    errors = mean_errors(rows).set_index(["method", "level", "fit"])["mae"]
    if method == ESTIMATED_REGISTRATIONS and (method, "practice", "leave-one-practice-out") in errors.index:
        details += ["mean, leave-one-network-out",
                    f"practices {errors[(method, 'practice', 'leave-one-practice-out')]:.1f}, leave-one-out"]
    details += [f"{m} {by_method.get(m, float('nan')):.1f}" for m in dict.fromkeys(rows["method"]) if m != method]
    return (f"{'Best validated' if best_method(rows, by_method) == method else 'Validation'}: Care Community IMD 2019 "
            f"averages {error:.1f} points from the registered-patient values "
            f"({'; '.join(['Fingertips 93553', *details])}).")


def statement(rows: pd.DataFrame) -> str:
    """The method statement outputs print: what the method does and its validation error."""
    return ("Estimated registrations: LSOA residents shared among Care Communities by the patients a distance-"
            "decay model estimates today's practices register from each (totals = list sizes); 2021 LSOAs "
            "take their 2011 LSOA's shares. "
            f"{validation_text(rows, ESTIMATED_REGISTRATIONS)}")


def vintage_shares(est: pd.DataFrame, networks: pd.Series, lsoa11_codes, links: pd.DataFrame) -> dict:
    """Locality shares of the borough's LSOAs 2011 and 2021 (a 2021 LSOA takes its 2011 parent's shares;
    ``links`` has the lsoa21 layer's ``code`` and ``lsoa11_code``)."""
    shares = locality_shares(est.loc[list(lsoa11_codes)], networks).reindex(columns=list(NETWORKS),
                                                                           fill_value=0.0)
    shares.index.name = "code"
    shares21 = shares.reindex(links["lsoa11_code"].to_numpy()).set_axis(pd.Index(links["code"], name="code"))
    return {"lsoa11": shares, "lsoa21": shares21}


def assignments(pack, networks: pd.Series | None = None) -> dict:
    """Estimated-registrations assignments of both LSOA vintages, with fractional shares.

    ``networks`` (ODS code -> network) overrides the practices' networks, for a what-if."""
    if networks is None:
        networks = pack_cached(pack, "networks", lambda: pack_practices(pack).set_index("ods_code")["network"])
    shares = vintage_shares(pack_estimates(pack), networks, pack.layer("lsoa11")["code"],
                            pack.layer("lsoa21")[["code", "lsoa11_code"]])
    text = pack_cached(pack, "statement", lambda: statement(pack.layer(VALIDATION_LAYER)))
    title = method_label(pack, ESTIMATED_REGISTRATIONS)
    return {v: Assignment(ESTIMATED_REGISTRATIONS, text, main_localities(s), s, title) for v, s in shares.items()}


def network_errors(pack, assignment11) -> pd.Series:
    """A locality assignment of LSOAs 2011 judged as the pack's methods are: each Care Community's IMD 2019
    average (fractional shares as METHODS.md) minus its registered-patient value; index the networks."""
    rows = pack.layer(VALIDATION_LAYER)
    target = rows[(rows["level"] == "network") & (rows["fit"] == "no fitting")].set_index("area")["published"]
    origins = pack.layer(ORIGINS_LAYER).set_index("code")
    shares = assignment11.shares
    implied = locality_scores(shares, origins["population"], origins["imd_score"])
    return (implied.reindex(target.index) - target).rename("error")


def method_validation(pack, assignment11, method: str) -> str:
    """The validation sentence of an assignment: the pack's figure for its own methods, else (a lookup)
    the mean absolute network error of :func:`network_errors`. Empty for a pack without the tables."""
    try:
        rows = pack.layer(VALIDATION_LAYER)
    except PackError:
        return ""
    if method in set(rows["method"]):
        return validation_text(rows, method)
    return validation_text(rows, method, float(network_errors(pack, assignment11).abs().mean()))


# -- the catchment view: one practice's patients, one LSOA's split ----------------------------------

def has_model(pack) -> bool:
    """Whether the pack holds the estimated-registrations tables (packs built before them do not)."""
    return "catchment_beta_per_km" in pack.info


def practice_catchment(pack, ods_code: str) -> pd.DataFrame:
    """Where a practice's estimated patients live: code, name, district, in_borough, estimated patients
    and their share of the list, largest first (today's practices; empty for a practice with no list now)."""
    est = pack_estimates(pack)
    if ods_code not in est.columns:
        return pd.DataFrame(columns=["code", "name", "district", "in_borough", "patients", "share"])
    origins = pack.layer(ORIGINS_LAYER).set_index("code")
    patients = est[ods_code]
    frame = origins.loc[patients.index, ["name", "district", "in_borough"]].assign(
        patients=patients.to_numpy(), share=(patients / patients.sum()).to_numpy())
    return frame[frame["patients"] > 0].sort_values("patients", ascending=False).rename_axis("code").reset_index()


def practice_summary(pack, ods_code: str) -> str:
    """One line for the details panel: estimated against published IMD 2019, and where the list lives."""
    catchment = practice_catchment(pack, ods_code)
    if catchment.empty:
        return "No registered list today, so no estimated catchment."
    scores = pack.layer(ORIGINS_LAYER).set_index("code")["imd_score"]
    implied = float(implied_scores(pack_estimates(pack)[[ods_code]], scores).iloc[0])
    published = pack.indicator_values("practice_imd_score", "practice", "IMD2019")
    published = published[published["area_code"] == ods_code]["value"]
    pub = f"published {published.iloc[0]:.1f} (Fingertips 93553)" if len(published) else "no published score"
    inside = catchment.loc[catchment["in_borough"].astype(bool), "share"].sum()
    outside = catchment[~catchment["in_borough"].astype(bool)].groupby("district")["share"].sum()
    others = ", ".join(f"{d} {v:.1%}" for d, v in outside.sort_values(ascending=False).items() if v >= 0.001)
    return (f"Estimated registrations: IMD 2019 of its estimated patients {implied:.1f}, {pub}; "
            f"{inside:.1%} live in St Helens{'; ' + others if others else ''}.")


def lsoa_split(pack, code: str, networks: pd.Series | None = None) -> pd.DataFrame:
    """An LSOA 2011's estimated registered patients by practice (today's practices): ods_code, name,
    network, patients, share; largest first. A 2021 LSOA reads its 2011 parent."""
    est = pack_estimates(pack)
    if code not in est.index:
        links = pack.layer("lsoa21").set_index("code")["lsoa11_code"]
        code = links.get(code, code)
    if code not in est.index:
        return pd.DataFrame(columns=["ods_code", "name", "network", "patients", "share"])
    row = est.loc[code]
    names = pack.practices.set_index("ods_code")["name"]
    networks = networks if networks is not None else pack.practices.set_index("ods_code")["network"]
    frame = pd.DataFrame({"ods_code": row.index, "name": names.reindex(row.index).to_numpy(),
                          "network": networks.reindex(row.index).to_numpy(), "patients": row.to_numpy(),
                          "share": (row / row.sum()).to_numpy() if row.sum() > 0 else 0.0})
    return frame.sort_values("patients", ascending=False).reset_index(drop=True)


def lsoa_split_text(pack, code: str, networks: pd.Series | None = None, shown: int = 4) -> str:
    split = lsoa_split(pack, code, networks)
    if split.empty:
        return ""
    top = [f"{r.name} {r.share:.0%}" for r in split.head(shown).itertuples() if r.share >= 0.005]
    return f"Estimated registrations: {', '.join(top)} (of {split['patients'].sum():,.0f} estimated patients)."


def catchment_indicator(pack, ods_code: str) -> tuple[Indicator, pd.DataFrame, object]:
    """A practice's estimated patients by St Helens LSOA 2011 as a mappable derived indicator (catalogue
    row, values, provenance), so the map, legend, hover and exports show its catchment like any other."""
    name = pack.practices.set_index("ods_code")["name"].get(ods_code, ods_code)
    catchment = practice_catchment(pack, ods_code)
    borough = catchment[catchment["in_borough"].astype(bool)]
    ind = f"catchment_{ods_code}"
    model = Model.from_info(pack.info)
    caveat = (f"Estimated, not counted: the estimated-registrations model ({model.describe()}) spreads the "
              f"practice's list over the LSOAs its patients are likely to live in. "
              f"{practice_summary(pack, ods_code)}")
    meta = Indicator(id=ind, name=f"Estimated patients of {name} ({ods_code})",
                     short_name=f"{name}: estimated patients", theme="Catchments", unit="estimated patients",
                     polarity=Polarity.NO_JUDGEMENT, geography=Geography.LSOA11, dataset="estimated_registrations",
                     value_type=ValueType.COUNT, aggregation=Aggregation.SUM, caveats=caveat,
                     periods=("today's lists",), period="today's lists",
                     source="Estimated registrations (this tool's model of the pack's open data)",
                     england_method="no England value")
    values = pd.DataFrame({"indicator_id": ind, "area_type": "lsoa11", "area_code": borough["code"].to_numpy(),
                           "period": "today's lists", "value": borough["patients"].to_numpy(float),
                           "numerator": np.nan, "denominator": np.nan, "lower_ci": np.nan, "upper_ci": np.nan})
    dataset = Dataset("estimated_registrations", "Estimated registrations by LSOA",
                      "This tool's spatial-interaction model, from ONS, MHCLG, NHS England and OHID open data",
                      "today's lists", "Open Government Licence v3.0 (the inputs)",
                      "Estimated from ONS, MHCLG, NHS England and OHID data, Open Government Licence v3.0", ())
    return meta, values, dataset

