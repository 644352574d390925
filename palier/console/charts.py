"""Chart geometry for the console's server-rendered SVG charts.

Pure functions, no Django: series in, coordinates out (the plot box, axis ticks, one path
or a row of bars per series, an optional reference line), with the same numbers as a data
table and each series' highest value for the text alternative. ``console/_chart.html``
draws the result.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 14, 40
# Distinct for the common colour-vision deficiencies, and told apart by dashes as well.
COLOURS = ("#1f5fbf", "#c2410c", "#1d6b35", "#7c3aed", "#a1192b", "#0e7490")
DASHES = ("", "7 4", "2 3", "10 3 2 3", "1 3", "5 2")
REFERENCE_COLOUR = "#4a5568"


@dataclass(frozen=True)
class Series:
    """A named series; ``area``: a line chart fills it down to the x axis."""

    name: str
    values: Sequence[float | None]
    area: bool = False


@dataclass(frozen=True)
class Reference:
    """A horizontal line at ``value`` (a target), named in the legend."""

    name: str
    value: float


def nice_ticks(top: float, count: int = 4, *, integer: bool = False) -> list[float]:
    """Round tick values from 0 to at least ``top``, about ``count`` steps."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    factors = (1, 2, 5, 10) if integer else (1, 2, 2.5, 5, 10)
    step = next(f * magnitude for f in factors if f * magnitude >= raw)
    if integer:
        step = max(1.0, round(step))
    return [round(i * step, 9) for i in range(math.ceil(top / step - 1e-9) + 1)]


def _scale(values: list[float | None], percent: bool, reference: Reference | None,
           integer: bool) -> tuple[list[float], float]:
    """The y ticks and the value at the top of the plot."""
    if percent:
        return [0.0, 25.0, 50.0, 75.0, 100.0], 100.0
    top = max([v for v in values if v is not None] + [reference.value if reference else 0])
    ticks = nice_ticks(top, integer=integer)
    return ticks, ticks[-1]


def _frame(key: str, title: str, x_label: str, y_label: str, values: list[float | None], *,
           percent: bool, reference: Reference | None,
           integer: bool) -> tuple[dict, Callable[[float], float]]:
    """What every chart has (box, y ticks, axis labels, reference line) and its y scale."""
    ticks, top = _scale(values, percent, reference, integer)
    plot = {"left": LEFT, "top": TOP, "right": WIDTH - RIGHT, "bottom": HEIGHT - BOTTOM,
            "width": WIDTH - LEFT - RIGHT, "height": HEIGHT - TOP - BOTTOM}

    def y(value: float) -> float:
        return round(plot["bottom"] - min(value, top) / top * plot["height"], 2)

    frame = {"key": key, "title": title, "x_label": x_label, "y_label": y_label,
             "unit": "%" if percent else "", "width": WIDTH, "height": HEIGHT, "plot": plot,
             "x_label_x": plot["left"] + plot["width"] / 2, "x_label_y": HEIGHT - 4,
             "y_label_y": plot["top"] + plot["height"] / 2,
             "y_ticks": [{"y": y(t), "value": t} for t in ticks], "reference": None}
    if reference is not None:
        value = reference.value * 100 if percent else reference.value
        frame["reference"] = {"name": reference.name, "value": round(value, 2), "y": y(value),
                              "colour": REFERENCE_COLOUR}
    return frame, y


def _shown(values: Sequence[float | None], percent: bool) -> list[float | None]:
    """Values as drawn and tabled: shares become percentages."""
    return [None if v is None else (round(v * 100, 2) if percent else v) for v in values]


def _peak(name: str, values: list[float | None], labels: Sequence[str]) -> dict | None:
    known = [(v, i) for i, v in enumerate(values) if v is not None]
    if not known:
        return None
    value, index = max(known, key=lambda vi: (vi[0], -vi[1]))
    return {"name": name, "value": value, "label": labels[index]}


def _table(x_label: str, labels: Sequence[str], names: list[str],
           columns: list[list[float | None]]) -> dict:
    return {"head": [x_label, *names],
            "rows": [[label, *(column[i] for column in columns)]
                     for i, label in enumerate(labels)]}


def time_chart(key: str, title: str, *, x_label: str, y_label: str, labels: Sequence[str],
               series: Sequence[Series], ticks: Sequence[tuple[int, str]] = (),
               step: bool = False, percent: bool = False, integer: bool = False,
               reference: Reference | None = None) -> dict:
    """Lines over evenly spaced slots (hours, days); ``step`` draws each value across its
    slot (staff on duty), otherwise points at slot centres are joined. ``ticks``: the slot
    indexes to label on the x axis. ``percent``: values are shares, drawn as 0–100 %."""
    shown = [_shown(s.values, percent) for s in series]
    frame, y = _frame(key, title, x_label, y_label, [v for col in shown for v in col],
                      percent=percent, reference=reference, integer=integer)
    plot, slots = frame["plot"], max(1, len(labels))
    width = plot["width"] / slots

    def x(index: float) -> float:
        return round(plot["left"] + index * width, 2)

    drawn, lines = [], 0  # areas are solid; the lines take the dash patterns in turn
    for k, (s, values) in enumerate(zip(series, shown, strict=True)):
        line, area = _paths(_runs(values, x, y, step), plot["bottom"], s.area)
        drawn.append({"name": s.name, "colour": COLOURS[k % len(COLOURS)],
                      "dash": "" if s.area else DASHES[lines % len(DASHES)],
                      "path": line, "area": area, "bars": ()})
        lines += not s.area
    peaks = [_peak(s.name, values, labels) for s, values in zip(series, shown, strict=True)]
    return {**frame, "kind": "lines", "series": drawn,
            "x_ticks": [{"x": x(i), "label": label} for i, label in ticks],
            "table": _table(x_label, labels, [s.name for s in series], shown),
            "peaks": [p for p in peaks if p]}


def _runs(values: list[float | None], x: Callable[[float], float],
          y: Callable[[float], float], step: bool) -> list[list[tuple[float, float]]]:
    """The points of each unbroken run of values (a missing value breaks the line)."""
    runs: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for i, value in enumerate(values):
        if value is None:
            if current:
                runs.append(current)
            current = []
        elif step:
            current += [(x(i), y(value)), (x(i + 1), y(value))]
        else:
            current.append((x(i + 0.5), y(value)))
    return [*runs, current] if current else runs


def _paths(runs: list[list[tuple[float, float]]], floor: float, area: bool) -> tuple[str, str]:
    """The SVG path of the line and, for an area, of the shape down to the x axis."""
    line = "".join("M" + "L".join(f"{px},{py}" for px, py in run) for run in runs)
    if not area:
        return line, ""
    shape = "".join(f"M{run[0][0]},{floor}L" + "L".join(f"{px},{py}" for px, py in run)
                    + f"L{run[-1][0]},{floor}Z" for run in runs)
    return line, shape


def bar_chart(key: str, title: str, *, x_label: str, y_label: str, categories: Sequence[str],
              series: Sequence[Series], stacked: bool = False, percent: bool = False,
              integer: bool = False, reference: Reference | None = None) -> dict:
    """Bars per category: side by side per series, or ``stacked``."""
    shown = [_shown(s.values, percent) for s in series]
    extent = ([sum(v or 0 for v in col) for col in zip(*shown, strict=True)] if stacked
              else [v for col in shown for v in col])
    frame, y = _frame(key, title, x_label, y_label, extent or [0.0], percent=percent,
                      reference=reference, integer=integer)
    plot = frame["plot"]
    group = plot["width"] / max(1, len(categories))
    lanes = 1 if stacked else max(1, len(series))
    bar = group * (0.6 if stacked else 0.8) / lanes
    drawn, base = [], [0.0] * len(categories)
    for k, (s, values) in enumerate(zip(series, shown, strict=True)):
        bars = []
        for i, value in enumerate(values):
            if not value:  # nothing to draw; the table has the zero
                continue
            lane = 0 if stacked else k
            left = plot["left"] + i * group + (group - bar * lanes) / 2 + lane * bar
            low = base[i] if stacked else 0.0
            top, bottom = y(low + value), y(low)
            bars.append({"x": round(left, 2), "y": top, "width": round(bar, 2),
                         "height": round(bottom - top, 2), "value": value,
                         "category": categories[i]})
            if stacked:
                base[i] += value
        drawn.append({"name": s.name, "colour": COLOURS[k % len(COLOURS)], "dash": "",
                      "path": "", "area": "", "bars": bars})
    peaks = [_peak(s.name, values, categories) for s, values in zip(series, shown, strict=True)]
    return {**frame, "kind": "bars", "series": drawn,
            "x_ticks": [{"x": round(plot["left"] + (i + 0.5) * group, 2), "label": c}
                        for i, c in enumerate(categories)],
            "table": _table(x_label, categories, [s.name for s in series], shown),
            "peaks": [p for p in peaks if p]}
