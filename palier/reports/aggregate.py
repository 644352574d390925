"""The case metrics in SQL, over any queryset of case facts (live tickets or an event log).

Each function is one aggregate query (or one GROUP BY over a handful of distinct values);
the answer has the shape of ``metrics.aggregate``, which the tests use as the reference.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Count, F, FloatField, Q, QuerySet, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from palier.reports.metrics import escalation_pairs, share

COLUMN_LEVELS = {"L1": "seconds_l1", "L2": "seconds_l2", "L3": "seconds_l3"}


def _n(**where) -> Count:
    return Count("pk", filter=Q(**where))


def _round(value: float | None, digits: int = 3) -> float | None:
    return round(value, digits) if value is not None else None


def _level_seconds(level: str):
    column = COLUMN_LEVELS.get(level)
    if column:
        return Sum(column)
    return Sum(Cast(KT(f"level_seconds__{level}"), FloatField()))


SUMMED = ("escalations", "skips", "returns", "de_escalations", "reassignments")


def _case_measures(levels: list[str]) -> dict:
    """The case measures over facts rows."""
    return dict(
        n_=Count("pk"), resolved_n=_n(resolved=True), fcr_n=_n(resolved=True, fcr=True),
        l1_n=_n(resolved=True, l1_resolved=True), escalated_n=_n(escalations__gt=0),
        pingpong_n=Count("pk", filter=Q(pingpong_level=True) | Q(pingpong_group=True)),
        pingpong_level_n=_n(pingpong_level=True), pingpong_group_n=_n(pingpong_group=True),
        reopened_n=_n(resolved=True, reopens__gt=0),
        frt_sum=Sum("first_response_seconds"), frt_n=Count("first_response_seconds"),
        resolve_sum=Sum("resolve_seconds", filter=Q(resolved=True)),
        resolve_n=Count("resolve_seconds", filter=Q(resolved=True)),
        paused_sum=Sum("paused_seconds"), article_n=_n(with_article=True),
        **{f"{key}_sum": Sum(key) for key in SUMMED},
        **{f"seconds_{i}": _level_seconds(lv) for i, lv in enumerate(levels)},
    )


def _rollup_case_measures(levels: list[str]) -> dict:
    """The same measures over ``ReportDay`` rows (levels coded L1–L3 only)."""
    return dict(
        n_=Sum("cases"), resolved_n=Sum("resolved"), fcr_n=Sum("fcr"),
        l1_n=Sum("l1_resolved"), escalated_n=Sum("escalated"), pingpong_n=Sum("pingpong"),
        pingpong_level_n=Sum("pingpong_level"), pingpong_group_n=Sum("pingpong_group"),
        reopened_n=Sum("reopened"), frt_sum=Sum("frt_sum"), frt_n=Sum("frt_n"),
        resolve_sum=Sum("resolve_sum"), resolve_n=Sum("resolve_n"),
        paused_sum=Sum("paused_sum"), article_n=Sum("with_article"),
        **{f"{key}_sum": Sum(key) for key in SUMMED},
        **{f"seconds_{i}": Sum(COLUMN_LEVELS[lv]) for i, lv in enumerate(levels)},
    )


def case_metrics(rows: QuerySet, ranks: Mapping[str, int], *, rollup: bool = False) -> dict:
    """Volume, FCR, escalation, ping-pong, reopen, response and level times, over facts
    (or, with ``rollup``, over ``ReportDay`` rows: the same sums, pre-added per day).

    One scan: a GROUP BY over (level trail, resolving level), a few dozen groups, folded
    here; paths, trails and per-level times come from the same groups."""
    levels = sorted(ranks, key=ranks.__getitem__)
    measures = _rollup_case_measures(levels) if rollup else _case_measures(levels)
    groups = list(rows.values("level_trail", "resolved_level").annotate(**measures).order_by())
    return _fold(groups, levels, ranks)


def _total(groups: list[dict], key: str) -> float:
    return sum(g[key] or 0 for g in groups)


def _fold(groups: list[dict], levels: list[str], ranks: Mapping[str, int]) -> dict:
    n, resolved = _total(groups, "n_"), _total(groups, "resolved_n")
    escalations = _total(groups, "escalations_sum")
    trails = [(tuple(g["level_trail"].split(">")), g["n_"]) for g in groups]
    reached = {lv: sum(c for trail, c in trails if lv in trail) for lv in levels}
    frt_n, resolve_n = _total(groups, "frt_n"), _total(groups, "resolve_n")
    by_level = {}
    for lv in levels:
        mine = [g for g in groups if g["resolved_level"] == lv]
        count = _total(mine, "resolve_n")
        by_level[lv] = _round(_total(mine, "resolve_sum") / count) if count else None
    return {
        "volume": n, "resolved": resolved,
        "fcr_rate": share(_total(groups, "fcr_n"), resolved),
        "l1_resolution_rate": share(_total(groups, "l1_n"), resolved),
        "escalation_rate": share(_total(groups, "escalated_n"), n),
        "escalations": escalations, "skips": _total(groups, "skips_sum"),
        "returns": _total(groups, "returns_sum"),
        "return_rate": share(_total(groups, "returns_sum"), escalations),
        "de_escalations": _total(groups, "de_escalations_sum"),
        "reassignments": _total(groups, "reassignments_sum"),
        "pingpong": _total(groups, "pingpong_n"),
        "pingpong_level": _total(groups, "pingpong_level_n"),
        "pingpong_group": _total(groups, "pingpong_group_n"),
        "reopen_rate": share(_total(groups, "reopened_n"), resolved),
        "reached": reached, "reached_share": {lv: share(c, n) for lv, c in reached.items()},
        "first_response_seconds": _round(_total(groups, "frt_sum") / frt_n) if frt_n else None,
        "resolve_seconds": _round(_total(groups, "resolve_sum") / resolve_n)
        if resolve_n else None,
        "resolve_seconds_by_level": by_level,
        "level_seconds": {lv: round(_total(groups, f"seconds_{i}"), 3)
                          for i, lv in enumerate(levels)},
        "paused_seconds": round(_total(groups, "paused_sum"), 3),
        "with_article": _total(groups, "article_n"),
        "paths": escalation_pairs(
            ((t, c) for t, c in trails if len(t) > 1), ranks),
        "trails": [{"trail": ">".join(t), "count": c} for t, c in
                   sorted(_merge(trails).items(), key=lambda kv: (-kv[1], kv[0]))[:20]],
    }


def _merge(trails: list[tuple[tuple[str, ...], int]]) -> dict[tuple[str, ...], int]:
    out: dict[tuple[str, ...], int] = {}
    for trail, count in trails:
        out[trail] = out.get(trail, 0) + count
    return out


def volume_by_day(rows: QuerySet, *, rollup: bool = False) -> dict:
    """Cases per day, chart-ready: {"labels": [...], "series": {...}} (over facts, or
    ``ReportDay`` rows with ``rollup``)."""
    if rollup:
        rows = rows.values("day").annotate(created_n=Sum("cases"), escalated_n=Sum("escalated"),
                                           fcr_n=Sum("fcr")).order_by("day")
    else:
        rows = (rows.values(day=F("created_on")).annotate(
            created_n=Count("pk"), escalated_n=_n(escalations__gt=0), fcr_n=_n(fcr=True))
            .order_by("day"))
    rows = list(rows)
    return {"labels": [r["day"].isoformat() for r in rows],
            "series": {key: [r[f"{key}_n"] for r in rows]
                       for key in ("created", "escalated", "fcr")}}


def by_dimension(facts: QuerySet, field: str, limit: int = 50) -> list[dict]:
    """Volume, escalation and FCR per value of ``field`` (category, priority, level…)."""
    return by_dimensions(facts, {"rows": field}, limit=limit)["rows"]


def by_dimensions(rows: QuerySet, dims: dict[str, str], *, limit: int = 50,
                  names: dict[str, dict] | None = None,
                  rollup: bool = False) -> dict[str, list[dict]]:
    """Several breakdowns from one GROUP BY over all their fields, folded per field (over
    facts, or rollup rows with ``rollup``)."""
    fields = list(dict.fromkeys(dims.values()))
    if rollup:
        measures = dict(volume_n=Sum("cases"), escalated_n=Sum("escalated"),
                        resolved_n=Sum("resolved"), fcr_n=Sum("fcr"), pingpong_n=Sum("pingpong"))
    else:
        measures = dict(
            volume_n=Count("pk"), escalated_n=_n(escalations__gt=0),
            resolved_n=_n(resolved=True), fcr_n=_n(resolved=True, fcr=True),
            pingpong_n=Count("pk", filter=Q(pingpong_level=True) | Q(pingpong_group=True)))
    groups = list(rows.values(*fields).annotate(**measures).order_by())
    out = {}
    for name, field in dims.items():
        folded: dict = {}
        for g in groups:
            acc = folded.setdefault(g[field], dict.fromkeys(
                ("volume_n", "escalated_n", "resolved_n", "fcr_n", "pingpong_n"), 0))
            for key in acc:
                acc[key] += g[key]
        label = (names or {}).get(name)
        rows = sorted(folded.items(), key=lambda kv: (-kv[1]["volume_n"], str(kv[0])))[:limit]
        out[name] = [{"key": label.get(k, k) if label else k, "volume": r["volume_n"],
                      "escalation_rate": share(r["escalated_n"], r["volume_n"]),
                      "fcr_rate": share(r["fcr_n"], r["resolved_n"]),
                      "pingpong": r["pingpong_n"]} for k, r in rows]
    return out


__all__ = ["by_dimension", "by_dimensions", "case_metrics", "volume_by_day"]
