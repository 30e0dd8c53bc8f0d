"""Spine charts and practice funnel plots: the numbers the core computes, checked against the formulas
(binomial and Poisson control limits, percentiles) computed here, and the drawn artists' data."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from matplotlib.figure import Figure
from scipy import stats as sps

from sthc_desktop.core import funnel as fn
from sthc_desktop.core.comparison import compare, publishable
from sthc_desktop.core.spine import spine_rows
from sthc_desktop.core.view import MapView
from sthc_desktop.render.funnel import funnel_plot
from sthc_desktop.render.spine import spine_chart

SPINE = ["iod19_income_score", "qof_obesity", "pop20_65_plus_pct"]


@pytest.mark.parametrize("n,p0", [(5172, 0.1388), (350, 0.2), (40, 0.05)])
def test_proportion_limits_are_the_binomial_quantiles_in_beta_form(n, p0):
    for alpha in (0.05, 0.002):
        lo, hi = fn.proportion_limit_counts(n, p0, alpha)
        # P(X >= hi) = alpha/2 and P(X <= lo) = alpha/2 in the continuous (beta) form of Bin(n, p0).
        assert sps.beta.cdf(p0, hi, n - hi + 1) == pytest.approx(alpha / 2, abs=1e-9)
        if lo > 0:
            assert 1 - sps.beta.cdf(p0, lo + 1, n - lo) == pytest.approx(alpha / 2, abs=1e-9)
        # and they lie within one count of the discrete binomial quantiles
        assert abs(hi - sps.binom.ppf(1 - alpha / 2, n, p0)) <= 1.0
        assert abs(lo - sps.binom.ppf(alpha / 2, n, p0)) <= 1.0 or lo == 0


@pytest.mark.parametrize("expected", [3.2, 160.0, 2400.0])
def test_rate_limits_are_the_exact_poisson_quantiles(expected):
    for alpha in (0.05, 0.002):
        lo, hi = fn.poisson_limit_counts(expected, alpha)
        assert sps.gamma.cdf(expected, hi) == pytest.approx(alpha / 2, abs=1e-9)  # P(X >= hi) = P(hi, E)
        if lo > 0:
            assert sps.gamma.sf(expected, lo + 1) == pytest.approx(alpha / 2, abs=1e-9)  # P(X <= lo) = Q(lo+1, E)
        assert abs(hi - sps.poisson.ppf(1 - alpha / 2, expected)) <= 1.0


def _one_root(f, lo: float, hi: float) -> float:
    """The limits' definition, one limit at a time: scipy's root search (0 where the count is 0 already)."""
    from scipy.optimize import brentq
    return lo if f(lo) >= 0 else brentq(f, lo, hi, xtol=1e-10)


def _proportion_limits_one_by_one(n: float, p0: float, alpha: float) -> tuple[float, float]:
    from scipy.special import betainc
    tail = alpha / 2
    return (_one_root(lambda r: (1 - betainc(r + 1, n - r, p0)) - tail, 0.0, n - 1e-9),
            _one_root(lambda r: tail - betainc(r, n - r + 1, p0), 1e-9, n + 1 - 1e-9))


def _poisson_limits_one_by_one(expected: float, alpha: float) -> tuple[float, float]:
    from scipy.special import gammainc, gammaincc
    tail, hi = alpha / 2, expected + 20 * math.sqrt(expected) + 20
    return (_one_root(lambda r: gammaincc(r + 1, expected) - tail, 0.0, hi),
            _one_root(lambda r: tail - gammainc(r, expected), 1e-9, hi))


#: Denominators from a single patient (lower limit 0, counts below 1) to a large practice list.
DENOMINATORS = [1, 2, 3, 4.5, 10, 40, 350, 5172, 20000, 60000]


@pytest.mark.parametrize("p0", [0.001, 0.05, 0.1388, 0.5, 0.95])
def test_limits_of_all_denominators_at_once_are_each_one_searched_alone(p0):
    lo, hi = fn.proportion_limit_counts(np.array(DENOMINATORS), p0, np.array([[0.05], [0.002]]))
    assert lo.shape == hi.shape == (2, len(DENOMINATORS))
    for i, alpha in enumerate((0.05, 0.002)):
        for j, n in enumerate(DENOMINATORS):
            want = _proportion_limits_one_by_one(n, p0, alpha)
            assert (lo[i, j], hi[i, j]) == pytest.approx(want, abs=1e-9), (n, alpha)
            assert 0 <= lo[i, j] < hi[i, j] <= n + 1
    assert (lo[:, 0] == 0).all() and (lo[1] <= lo[0]).all() and (hi[1] >= hi[0]).all()  # 99.8% wider
    curve = fn.control_limits(DENOMINATORS, p0 * 100, 100, rate=False)
    assert list(curve.columns) == ["denominator", "lower_95", "upper_95", "lower_998", "upper_998"]
    assert curve["upper_998"].to_numpy() == pytest.approx(hi[1] / np.array(DENOMINATORS) * 100, abs=1e-12)


def test_poisson_limits_at_once_are_each_one_searched_alone():
    expected = np.array([1e-6, 0.01, 0.5, 3.2, 160.0, 2400.0, 1e5])
    lo, hi = fn.poisson_limit_counts(expected, np.array([[0.05], [0.002]]))
    for i, alpha in enumerate((0.05, 0.002)):
        for j, e in enumerate(expected):
            assert (lo[i, j], hi[i, j]) == pytest.approx(_poisson_limits_one_by_one(e, alpha), abs=1e-9), (e, alpha)
    assert (lo[:, :3] == 0).all()  # an expected count below 1: no count is too few
    assert isinstance(fn.poisson_limit_counts(3.2, 0.05)[1], float)


def test_funnel_limits_need_no_root_finder_module():
    """The limits are found by bisection on arrays: scipy.optimize (0.2 s to import) is not loaded."""
    code = ("import sys; from sthc_desktop.core import funnel as fn; "
            "fn.control_limits([10, 500, 9000], 13.9, 100, rate=False); fn.control_limits([10, 500], 80, 1000, rate=True); "
            "print('scipy.optimize' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_obesity_funnel_places_each_practice_against_limits_around_england(planner):
    f = fn.funnel(planner, "qof_obesity")
    england = compare(planner, ["qof_obesity"]).set_index("area").loc["England", "value"]
    assert f.benchmark == "England" and f.benchmark_value == pytest.approx(england)
    layer = planner.layer_for(MapView(indicator_id="qof_obesity")).frame.set_index("code")
    assert len(f.practices) == layer["value"].notna().sum() >= 25
    for p in f.practices.itertuples():
        n, p0 = p.denominator, england / 100
        z998_hi = sps.binom.ppf(1 - 0.001, n, p0) / n * 100
        assert abs(p.upper_998 - z998_hi) <= 100 / n + 1e-9
        assert p.value == pytest.approx(layer.loc[p.code, "value"])
        outside = p.value > p.upper_998 or p.value < p.lower_998
        assert outside == (p.position in (fn.ABOVE_998, fn.BELOW_998))
    fig = Figure()
    drawn = funnel_plot(fig.add_subplot(), f, "higher is worse")
    line = drawn["limits"]["upper_95"]
    for n, y in zip(line.get_xdata()[::20], line.get_ydata()[::20]):
        hi = fn.proportion_limit_counts(n, england / 100, 0.05)[1]
        assert sps.beta.cdf(england / 100, hi, n - hi + 1) == pytest.approx(0.025, abs=1e-9)
        assert y == pytest.approx(hi / n * 100)
    assert set(drawn["points"]) == set(f.practices["code"])
    first = f.practices.iloc[0]
    assert tuple(drawn["points"][first["code"]].get_xydata()[0]) == (first["denominator"], first["value"])


def test_a_rate_funnel_uses_poisson_limits(planner):
    f = fn.funnel(planner, "ae_attendances_0_4")
    p = f.practices.iloc[0]
    expected = p.denominator * f.benchmark_value / 1000
    assert p.upper_998 == pytest.approx(fn.poisson_limit_counts(expected, 0.002)[1] / p.denominator * 1000)
    assert "Poisson" in f.method


def test_spine_rows_range_percentiles_and_marker_positions(planner):
    rows = spine_rows(planner, ["North"], SPINE).set_index("indicator_id")
    compared = publishable(compare(planner, SPINE), mark=None).set_index(["indicator_id", "area"])
    for ind in SPINE:
        r = rows.loc[ind]
        values = planner.layer_for(MapView(indicator_id=ind, period=r["period"])).frame["value"].dropna()
        low, q25, q75, high = np.percentile(values, [0, 25, 75, 100])
        polarity = planner.pack.indicator(ind).polarity
        worst, best = (high, low) if polarity == "higher is worse" else (low, high)
        assert (r["worst"], r["q25"], r["q75"], r["best"]) == pytest.approx((worst, q25, q75, best))
        assert r["value"] == pytest.approx(compared.loc[(ind, "North"), "value"])
        assert r["comparison"] == compared.loc[(ind, "North"), "comparison"]
        bench = compared.loc[(ind, "England"), "value"]
        reach = max(abs(v - bench) for v in (worst, best, r["value"]))
        sign = -1 if polarity == "higher is worse" else 1
        assert r["pos_value"] == pytest.approx(0.5 + sign * (r["value"] - bench) / (2 * reach))
        assert r["pos_worst"] <= 0.5 <= r["pos_best"] or polarity == "no judgement"
    fig = Figure()
    drawn = spine_chart(fig.add_subplot(), rows.reset_index())
    for i, ind in enumerate(SPINE):
        x, y = drawn["markers"][ind].get_xydata()[0]
        assert x == pytest.approx(rows.loc[ind, "pos_value"]) and y == len(SPINE) - 1 - i
        assert tuple(drawn["benchmarks"][ind].get_xdata()) == (0.5, 0.5)


def test_a_suppressed_locality_value_has_no_spine_marker(tmp_path_factory):
    from test_disclosure import OBESITY, small_count_pack
    from sthc_desktop.core.datapack import DataPack
    from sthc_desktop.core.planner import Planner
    path, practice = small_count_pack(tmp_path_factory.mktemp("spine_small"), 3)
    planner = Planner(DataPack(path))
    rows = spine_rows(planner, ["Central"], [OBESITY])
    assert math.isnan(rows.iloc[0]["value"]) and math.isnan(rows.iloc[0]["pos_value"])
    drawn = spine_chart(Figure().add_subplot(), rows)
    assert OBESITY not in drawn["markers"]
    assert practice not in set(fn.funnel(planner, OBESITY).practices["code"])


def test_the_pack_has_a_spine_chart_page_and_a_funnel_page(planner):
    from sthc_desktop.render.locality_pack import pack_pages
    from sthc_desktop.render.locality_pack.spine_funnel import FUNNEL_PAGE, SPINE_PAGE
    pages = dict(pack_pages(planner, ["North"], SPINE))
    spine = pages[SPINE_PAGE]()
    texts = [t.get_text() for t in spine.texts]
    assert "North" in texts and any(t.startswith("Spine chart: each row") for t in texts)
    rows = spine_rows(planner, ["North"], SPINE)
    markers = [line for ax in spine.axes for line in ax.lines if line.get_marker() == "o"]
    assert sorted(m.get_xdata()[0] for m in markers) == pytest.approx(sorted(rows["pos_value"]))
    funnels = pages[FUNNEL_PAGE]()
    titles = [ax.get_title(loc="left") for ax in funnels.axes]
    assert any(t.startswith("Obesity: QOF prevalence") for t in titles)
    assert any(t.startswith("Smoking prevalence") for t in titles)


def test_the_comparison_view_shows_the_spine_chart_and_the_funnel_plot(qtbot, planner):
    from sthc_desktop.core.comparison import indicator_ids
    from sthc_desktop.ui.comparison_view import ComparisonView
    from sthc_desktop.ui.fingertips_charts import FUNNEL_TAB, SPINE_TAB
    from sthc_desktop.ui.document import Document
    view = ComparisonView(Document(planner, MapView()))
    qtbot.addWidget(view)
    view.show()
    view.refresh()
    tab = {view.tabs.tabText(i): view.tabs.widget(i) for i in range(view.tabs.count())}
    view.tabs.setCurrentWidget(tab[SPINE_TAB])
    view.spine.chooser.setCurrentText("South")
    rows = spine_rows(planner, ["South"], indicator_ids(planner.pack, view.indicator_spec())).set_index("indicator_id")
    assert view.spine.drawn["markers"] and set(view.spine.drawn["markers"]) <= set(rows.index)
    for ind, marker in view.spine.drawn["markers"].items():
        assert marker.get_xdata()[0] == pytest.approx(rows.loc[ind, "pos_value"])
    view.tabs.setCurrentWidget(tab[FUNNEL_TAB])
    view.funnel.chooser.setCurrentIndex(view.funnel.chooser.findData("qof_smoking"))
    f = fn.funnel(planner, "qof_smoking")
    assert set(view.funnel.drawn["points"]) == set(f.practices["code"])
    assert "99.8%" in view.funnel.note.text()


def test_spine_page_text_is_readable_on_the_sheet_and_never_overlaps(planner):
    from conftest import measured_as_output
    from sthc_desktop.core.localities import NETWORKS
    from sthc_desktop.export.request import DEFAULT_INDICATORS
    from sthc_desktop.render.locality_pack import pack_pages
    from sthc_desktop.render.locality_pack.spine_funnel import SPINE_PAGE
    fig = dict(pack_pages(planner, list(NETWORKS), list(DEFAULT_INDICATORS)))[SPINE_PAGE]()
    texts = [t for ax in fig.axes for t in ax.texts if t.get_text().strip()]
    assert len(texts) > 4 * len(DEFAULT_INDICATORS) * 5 and min(t.get_fontsize() for t in texts) >= 7
    with measured_as_output(fig) as renderer:
        boxes = [t.get_window_extent(renderer) for t in texts]
    for b in boxes:
        assert b.x0 >= fig.bbox.x0 and b.x1 <= fig.bbox.x1 and b.y0 >= fig.bbox.y0 and b.y1 <= fig.bbox.y1
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (min(a.x1, b.x1) - max(a.x0, b.x0) > 0.5 and min(a.y1, b.y1) - max(a.y0, b.y0) > 0.5), (a, b)


def test_funnel_points_outside_the_limits_are_green_when_better_and_red_when_worse(planner):
    from test_map_furniture import is_green, is_red
    f = fn.funnel(planner, "qof_obesity")  # higher is worse
    drawn = funnel_plot(Figure().add_subplot(), f, "higher is worse")
    position = f.practices.set_index("code")["position"]
    above, below = (list(position.index[position == p]) for p in (fn.ABOVE_998, fn.BELOW_998))
    assert above and below  # practices on both sides of England's 99.8% limits
    for code in above:
        assert is_red(drawn["points"][code].get_markerfacecolor()), code
    for code in below:
        assert is_green(drawn["points"][code].get_markerfacecolor()), code


def test_spine_markers_are_green_when_better_and_red_when_worse(planner):
    from test_map_furniture import is_green, is_red
    seen = set()
    for locality in ("Central", "North"):
        rows = spine_rows(planner, [locality], SPINE)
        drawn = spine_chart(Figure().add_subplot(), rows)
        for r in rows.itertuples():
            if r.comparison in ("better", "worse"):
                seen.add(r.comparison)
                colour = drawn["markers"][r.indicator_id].get_color()
                assert (is_green if r.comparison == "better" else is_red)(colour), (locality, r.indicator_id)
    assert seen == {"better", "worse"}
