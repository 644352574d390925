"""The chart geometry behind the console's SVG charts (pure functions)."""

from __future__ import annotations

import pytest

from palier.console import charts
from palier.console.charts import Reference, Series


@pytest.mark.parametrize(("top", "integer", "ticks"), [
    (3, True, [0, 1, 2, 3]), (7, True, [0, 2, 4, 6, 8]), (10, False, [0, 2.5, 5, 7.5, 10]),
    (10, True, [0, 5, 10]), (0.3, False, [0, 0.1, 0.2, 0.3]), (0, True, [0, 1])])
def test_ticks_are_round_and_reach_the_top(top, integer, ticks):
    assert charts.nice_ticks(top, integer=integer) == ticks


def test_a_step_chart_draws_each_value_across_its_hour_and_breaks_on_gaps():
    chart = charts.time_chart("k", "Staff", x_label="Hour", y_label="Agents",
                              labels=["a", "b", "c", "d"], step=True, integer=True,
                              series=[Series("Required", [2, 4, None, 1], area=True)])
    plot, (drawn,) = chart["plot"], chart["series"]
    slot = plot["width"] / 4
    left, top, bottom = float(plot["left"]), plot["top"], plot["bottom"]
    middle = (top + bottom) / 2
    assert [t["value"] for t in chart["y_ticks"]] == [0, 1, 2, 3, 4]
    assert drawn["path"].count("M") == 2  # the missing hour breaks the line
    assert drawn["path"].startswith(f"M{left},{middle}L{left + slot},{middle}")
    assert drawn["area"].endswith(f"L{left + 4 * slot},{bottom}Z")
    assert chart["peaks"] == [{"name": "Required", "value": 4, "label": "b"}]
    assert chart["table"] == {"head": ["Hour", "Required"],
                              "rows": [["a", 2], ["b", 4], ["c", None], ["d", 1]]}


def test_percent_charts_scale_shares_and_the_reference_line():
    chart = charts.time_chart("k", "SLA", x_label="Hour", y_label="Met", labels=["a", "b"],
                              series=[Series("Met", [0.5, 1.0])], percent=True,
                              reference=Reference("Target", 0.8))
    plot = chart["plot"]
    assert chart["unit"] == "%" and chart["table"]["rows"] == [["a", 50.0], ["b", 100.0]]
    assert chart["reference"]["value"] == 80.0
    assert chart["reference"]["y"] == pytest.approx(plot["bottom"] - 0.8 * plot["height"])


def test_stacked_bars_sit_on_each_other_and_grouped_bars_side_by_side():
    series = [Series("new", [1, 0]), Series("old", [3, 2])]
    stacked = charts.bar_chart("k", "Backlog", x_label="Level", y_label="Tickets",
                               categories=["L1", "L2"], series=series, stacked=True,
                               integer=True)
    new, old = stacked["series"]
    assert len(new["bars"]) == 1  # a zero draws nothing; the table keeps it
    assert old["bars"][0]["y"] + old["bars"][0]["height"] == new["bars"][0]["y"]
    assert old["bars"][0]["x"] == new["bars"][0]["x"]
    grouped = charts.bar_chart("k", "Volume", x_label="Level", y_label="Tickets",
                               categories=["L1", "L2"], series=series)
    first, second = (s["bars"][0] for s in grouped["series"])
    assert second["x"] == pytest.approx(first["x"] + first["width"])
    assert [t["label"] for t in grouped["x_ticks"]] == ["L1", "L2"]
